"""Oscar's report classes; the CSV formatter writes spreadsheet-safe cells (see apps.py)."""

from oscar.apps.dashboard.reports.reports import *  # noqa: F403 (the fork replaces one class)
from oscar.apps.dashboard.reports.reports import ReportCSVFormatter as OscarReportCSVFormatter

from support.dashboard.exports import SafeUnicodeCSVWriter


class ReportCSVFormatter(OscarReportCSVFormatter):
    def get_csv_writer(self, file_handle, **kwargs):
        return SafeUnicodeCSVWriter(open_file=file_handle, **kwargs)
