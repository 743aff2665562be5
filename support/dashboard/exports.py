"""Oscar's CSV writer, spreadsheet-safe: the order export and every dashboard report write
through it (config/spreadsheet.py says why), so a shopper who typed ``=HYPERLINK(...)`` as
a name cannot put a live formula in a staff member's spreadsheet."""

from oscar.core.compat import UnicodeCSVWriter

from config.spreadsheet import safe_writer_class

SafeUnicodeCSVWriter = safe_writer_class(UnicodeCSVWriter)
