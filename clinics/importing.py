"""Clinics as CSV: the file format, the import (upsert, row by row) and the export.

Import policy (documented in the README): **good rows import, bad rows are reported.**
Each row is its own transaction, so a clinic is written whole (fields, hours, services)
or not at all; a row that fails validation or geocoding is skipped and listed with its
row number, field and reason. Problems with the file as a whole (not CSV text, wrong
columns) reject the file before any row is written. Rows are matched to clinics by
``external_id``; a row equal to what is stored writes nothing, so importing the same file
twice changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from clinics import geocoding
from clinics.forms import ClinicRowForm
from clinics.models import Clinic
from clinics.services import format_hours, upsert_clinic
from config import spreadsheet
from config.spreadsheet import ImportFileError, decode_csv_bytes, unescape_cell

REQUIRED_COLUMNS = [
    "external_id",
    "name",
    "address_line1",
    "city",
    "region",
    "postal_code",
    "country",
]
OPTIONAL_COLUMNS = [
    "slug",
    "address_line2",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "services",
    "hours",
    "is_active",
    "staff_notes",
]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number: the header is row 1
    field: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self):
        return sorted({error.row for error in self.rejected})

    @property
    def ok(self):
        return not self.file_errors and not self.rejected

    def summary(self):
        if self.file_errors:
            return "File rejected: " + " ".join(self.file_errors)
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected_rows)} rows rejected."
        )


def _read_rows(text):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError("The file is empty.")
        header = [name.strip().lower() for name in header]
        if problem := spreadsheet.header_problem(header, REQUIRED_COLUMNS, OPTIONAL_COLUMNS):
            raise ImportFileError(problem)
        rows = []
        for number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            rows.append((number, header, values))
        return rows
    except csv.Error as error:
        raise ImportFileError(f"The file is not valid CSV: {error}.") from error


def import_clinics_csv(raw, *, progress=None):
    """Import clinics from CSV bytes (or text); returns an :class:`ImportReport`.

    ``progress`` wraps the row iterable (the command passes ``tqdm``).
    """
    report = ImportReport()
    try:
        rows = _read_rows(decode_csv_bytes(raw))
    except ImportFileError as error:
        report.file_errors.append(str(error))
        return report

    ids = {}
    for number, header, values in rows:
        if "external_id" in header and len(values) > header.index("external_id"):
            key = unescape_cell(values[header.index("external_id")].strip())
            ids.setdefault(key, []).append(number)

    for number, header, values in progress(rows) if progress else rows:
        if len(values) != len(header):
            report.rejected.append(
                RowError(number, "", f"{len(values)} values for {len(header)} columns.")
            )
            continue
        data = {
            name: unescape_cell(value.strip()).strip()
            for name, value in zip(header, values, strict=True)
        }
        data.update({name: "" for name in OPTIONAL_COLUMNS if name not in data})
        duplicates = ids.get(data["external_id"], [])
        if data["external_id"] and len(duplicates) > 1:
            others = ", ".join(str(n) for n in duplicates if n != number)
            report.rejected.append(
                RowError(
                    number, "external_id", f"“{data['external_id'][:64]}” is also on row {others}."
                )
            )
            continue
        form = ClinicRowForm(data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                for message in messages:
                    report.rejected.append(
                        RowError(number, "" if name == "__all__" else name, message)
                    )
            continue
        try:
            outcome = upsert_clinic(form.cleaned_data)
        except geocoding.GeocodingError as error:
            report.rejected.append(RowError(number, "postal_code", str(error)))
            continue
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    report.rejected.append(
                        RowError(number, "" if name == "__all__" else name, message)
                    )
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def write_report_csv(report, stream):
    writer = spreadsheet.writer(stream)
    writer.writerow(["row", "field", "reason"])
    for message in report.file_errors:
        writer.writerow(["", "", message])
    for error in report.rejected:
        writer.writerow([error.row, error.field, error.reason])


def export_clinics_csv(stream, queryset=None):
    """Write clinics as CSV in the import format; importing the result changes nothing."""
    queryset = queryset if queryset is not None else Clinic.objects.all()
    writer = spreadsheet.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    clinics = queryset.order_by("external_id").prefetch_related("opening_hours", "services")
    for clinic in clinics.iterator(chunk_size=500):
        writer.writerow(
            [
                clinic.external_id,
                clinic.name,
                clinic.address_line1,
                clinic.city,
                clinic.region,
                clinic.postal_code,
                clinic.country,
                clinic.slug,
                clinic.address_line2,
                clinic.latitude,
                clinic.longitude,
                clinic.phone,
                clinic.email,
                clinic.website,
                "; ".join(sorted((s.name for s in clinic.services.all()), key=str.lower)),
                format_hours(clinic.opening_hours.all()),
                "yes" if clinic.is_active else "no",
                clinic.staff_notes,
            ]
        )
        count += 1
    return count
