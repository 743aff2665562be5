"""``manage.py export_clinics [FILE]``: all clinics as CSV in the import format."""

from django.core.management.base import BaseCommand

from clinics import importing


class Command(BaseCommand):
    help = "Export clinics as CSV (the format import_clinics reads)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="Output file; - for stdout")

    def handle(self, *args, **options):
        if options["file"] == "-":
            count = importing.export_clinics_csv(self.stdout)
        else:
            with open(options["file"], "w", newline="", encoding="utf-8") as handle:
                count = importing.export_clinics_csv(handle)
        self.stderr.write(f"Exported {count} clinics.")
