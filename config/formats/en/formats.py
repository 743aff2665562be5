"""The store's date and time formats (US English), read by Django in place of its en locale's
(``FORMAT_MODULE_PATH`` in config/settings.py). Input formats stay Django's."""

DATE_FORMAT = "M j, Y"  # Dec 6, 2026
DATETIME_FORMAT = "M j, Y, g:i A"  # Dec 6, 2026, 3:05 PM
TIME_FORMAT = "g:i A"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
