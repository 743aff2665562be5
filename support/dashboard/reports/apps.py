"""Oscar's reports dashboard, forked only so its CSV downloads are spreadsheet-safe.

Every report (orders, baskets, vouchers, offers, analytics) gets its writer from
``ReportCSVFormatter``, loaded with ``get_class``; this fork's version (reports.py) writes
through ``support.dashboard.exports.SafeUnicodeCSVWriter``. Everything else is Oscar's.
"""

from oscar.apps.dashboard.reports import apps


class ReportsDashboardConfig(apps.ReportsDashboardConfig):
    name = "support.dashboard.reports"
