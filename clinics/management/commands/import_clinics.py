"""``manage.py import_clinics FILE``: upsert clinics from CSV with a progress bar.

Good rows are imported and bad rows are reported (row, field, reason); see
``clinics.importing`` for the policy. ``--report FILE`` also writes the rejected rows as CSV.
The exit status is 1 when the file is refused or any row is rejected, so scripts notice.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from clinics import importing


class Command(BaseCommand):
    help = "Import clinics from a CSV file (upsert by external_id)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, or - for standard input")
        parser.add_argument("--report", help="Write rejected rows to this CSV file")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as handle:
                    raw = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error

        def progress(rows):
            return tqdm(
                rows,
                desc="Importing clinics",
                unit="row",
                file=self.stderr._out,
                disable=options["no_progress"] or None,
            )

        report = importing.import_clinics_csv(raw, progress=progress)
        if options["report"]:
            with open(options["report"], "w", newline="", encoding="utf-8") as handle:
                importing.write_report_csv(report, handle)
        if report.file_errors:
            raise CommandError(report.summary())
        for error in report.rejected:
            self.stderr.write(f"row {error.row}: {error.field or '(row)'}: {error.reason}")
        self.stdout.write(report.summary())
        if report.rejected:
            raise CommandError(f"{len(report.rejected_rows)} rows rejected; see above.")
