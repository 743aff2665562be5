"""Write-side rules for clinics: coordinates, CSV import (upsert) and export.

Import policy (documented in the README): **good rows import, bad rows are reported.**
Each row is its own transaction, so a clinic is written whole (fields, hours, services)
or not at all; a row that fails validation or geocoding is skipped and listed with its
row number, field and reason. Problems with the file as a whole (not CSV text, wrong
columns) reject the file before any row is written. Rows are matched to clinics by
``external_id``; a row equal to what is stored writes nothing, so importing the same file
twice changes nothing.
"""

import codecs
import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from clinics import geocoding
from clinics.models import Clinic, ClinicOpeningHours, Service, Weekday
from config import spreadsheet
from config.spreadsheet import unescape_cell

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

# Clinics we list are in the US and Canada (incl. Alaska and Hawaii); a point outside this
# box is a swapped sign or swapped latitude/longitude, not a clinic.
NORTH_AMERICA = {"lat": (15.0, 84.0), "lng": (-180.0, -50.0)}

COUNTRY_ALIASES = {
    "US": "US",
    "USA": "US",
    "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US",
    "CA": "CA",
    "CAN": "CA",
    "CANADA": "CA",
}
DAY_NAMES = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
TRUE_WORDS = {"1", "true", "yes", "y", "active"}
FALSE_WORDS = {"0", "false", "no", "n", "inactive"}
HOURS_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


# --- Coordinates --------------------------------------------------------------------------


def check_coordinates(latitude, longitude):
    """Raise ``ValueError`` for coordinates that cannot be a clinic of ours."""
    for value in (latitude, longitude):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError("Coordinates must be numbers.")
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise ValueError("Latitude must be within ±90 and longitude within ±180.")
    lat_min, lat_max = NORTH_AMERICA["lat"]
    lng_min, lng_max = NORTH_AMERICA["lng"]
    if not (lat_min <= latitude <= lat_max and lng_min <= longitude <= lng_max):
        raise ValueError(
            f"({latitude}, {longitude}) is outside the US and Canada; "
            "check for a missing minus sign or swapped latitude and longitude."
        )


def resolve_coordinates(*, address, latitude, longitude, coordinates_manual, address_changed):
    """The coordinates a clinic should have after an edit, as ``(latitude, longitude)``.

    Hand-entered coordinates win; otherwise a new or changed address (or missing
    coordinates) is geocoded. Raises ``geocoding.GeocodingError`` or ``ValueError``.
    """
    has_coordinates = latitude is not None and longitude is not None
    if coordinates_manual and has_coordinates:
        check_coordinates(latitude, longitude)
        return latitude, longitude
    if has_coordinates and not address_changed:
        return latitude, longitude
    place = geocoding.geocode_address(
        address_line1=address.get("address_line1", ""),
        city=address.get("city", ""),
        region=address.get("region", ""),
        postal_code=address.get("postal_code", ""),
        country=address.get("country", ""),
    )
    return place.latitude, place.longitude


# --- Opening hours as text ("Mon 09:00-17:00; Sat 10:00-14:00; Sun closed") -------------


def parse_hours(text):
    """Parse the CSV ``hours`` column into ``[(weekday, opens, closes, closed)]``.

    Days not mentioned are closed. Raises ``ValueError`` with a readable reason.
    """
    rows = []
    seen = set()
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        day_name, _, spans = part.partition(" ")
        weekday = DAY_NAMES.get(day_name.strip().lower()[:3])
        if weekday is None or len(day_name.strip()) < 3:
            raise ValueError(f"“{day_name}” is not a weekday (use Mon, Tue, ... Sun).")
        if weekday in seen:
            raise ValueError(f"{day_name} is listed twice.")
        seen.add(weekday)
        spans = spans.strip()
        if spans.lower() == "closed":
            rows.append((weekday, None, None, True))
            continue
        for span in filter(None, (s.strip() for s in spans.split(","))):
            match = HOURS_RE.match(span)
            if not match:
                raise ValueError(f"“{span}” is not a time range like 09:00-17:00.")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
                raise ValueError(f"“{span}” is not a valid time range.")
            opens = time(h1, m1)
            closes = time(23, 59) if h2 == 24 else time(h2, m2)
            if opens == closes:
                raise ValueError(f"“{span}” opens and closes at the same time.")
            rows.append((weekday, opens, closes, False))
        if not spans:
            raise ValueError(f"{day_name} has no hours (write “{day_name} closed”).")
    return sorted(rows, key=lambda r: (r[0], r[1] or time(0)))


def format_hours(rows):
    by_day = {}
    for row in rows:
        if row.closed or row.opens is None or row.closes is None:
            by_day.setdefault(row.weekday, ["closed"])
        else:
            spans = by_day.setdefault(row.weekday, [])
            if spans == ["closed"]:
                spans.clear()
            spans.append(f"{row.opens:%H:%M}-{row.closes:%H:%M}")
    names = {value: label[:3] for value, label in Weekday.choices}
    return "; ".join(f"{names[day]} {','.join(by_day[day])}" for day in sorted(by_day))


# --- One row ------------------------------------------------------------------------------


class ClinicRowForm(forms.Form):
    """Field rules for one CSV row (the same limits as the model)."""

    external_id = forms.CharField(max_length=64)
    name = forms.CharField(max_length=255)
    slug = forms.SlugField(max_length=255, required=False)
    address_line1 = forms.CharField(max_length=255)
    address_line2 = forms.CharField(max_length=255, required=False)
    city = forms.CharField(max_length=100)
    region = forms.CharField(max_length=100)
    postal_code = forms.CharField(max_length=10)
    country = forms.CharField()
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    phone = forms.CharField(max_length=32, required=False)
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    services = forms.CharField(required=False)
    hours = forms.CharField(required=False)
    is_active = forms.CharField(required=False)
    staff_notes = forms.CharField(required=False)

    def clean_country(self):
        value = COUNTRY_ALIASES.get(self.cleaned_data["country"].strip().upper())
        if value is None:
            raise forms.ValidationError("Country must be US or CA.")
        return value

    def clean_is_active(self):
        value = self.cleaned_data["is_active"].strip().lower()
        if not value or value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise forms.ValidationError("Use yes or no.")

    def clean_hours(self):
        try:
            return parse_hours(self.cleaned_data["hours"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_services(self):
        names = [" ".join(n.split()) for n in self.cleaned_data["services"].split(";")]
        names = sorted({n for n in names if n}, key=str.lower)
        for name in names:
            if len(name) > 100 or not slugify(name):
                raise forms.ValidationError(f"“{name[:40]}” is not a usable service name.")
        return names

    def clean(self):
        cleaned = super().clean()
        country, postal = cleaned.get("country"), cleaned.get("postal_code")
        if country and postal:
            postal = geocoding.normalize_postal_code(postal, country)
            pattern = geocoding.US_ZIP_RE if country == "US" else geocoding.CA_POSTAL_RE
            match = pattern.match(postal)
            if not match or (country == "CA" and not match.group(2)):
                self.add_error("postal_code", f"“{postal}” is not a {country} postal code.")
            cleaned["postal_code"] = postal
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error("latitude", "Give both latitude and longitude, or neither.")
        elif lat is not None and lng is not None:
            try:
                check_coordinates(lat, lng)
            except ValueError as error:
                self.add_error("latitude", str(error))
        return cleaned


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


def _unique_slug(base, external_id, exclude_pk=None):
    slug = slugify(base)[:200] or slugify(external_id)[:200] or "clinic"
    taken = Clinic.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
    if taken:
        slug = f"{slug}-{slugify(external_id)}"[:255]
    return slug


def _services_for(names):
    services = []
    for name in names:
        service = Service.objects.filter(name__iexact=name).first()
        if service is None:
            slug = slugify(name)[:100]
            service, _ = Service.objects.get_or_create(slug=slug, defaults={"name": name})
        services.append(service)
    return services


ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "region", "postal_code", "country")
SCALAR_FIELDS = [
    "name",
    *ADDRESS_FIELDS,
    "phone",
    "email",
    "website",
    "is_active",
    "staff_notes",
]


def _hours_key(rows):
    return sorted(rows, key=lambda r: (r[0], r[1] or time(0), r[2] or time(0)))


def upsert_clinic(data):
    """Create or update one clinic from a validated row; returns "created", "updated" or
    "unchanged". Raises ``geocoding.GeocodingError``, ``ValidationError`` or ``ValueError``.

    One transaction: the clinic, its hours and its services are written together or not
    at all. Coordinates in the row are kept as entered by hand unless they equal what is
    stored; a row without them keeps stored coordinates while the address is unchanged,
    so re-importing never geocodes (or pays for a look-up) twice.
    """
    with transaction.atomic():
        clinic = (
            Clinic.objects.select_for_update()
            .filter(external_id=data["external_id"])
            .prefetch_related("opening_hours", "services")
            .first()
        )
        created = clinic is None
        if created:
            clinic = Clinic(external_id=data["external_id"])
            stored_address = None
            stored_hours, stored_services = [], []
        else:
            stored_address = tuple(getattr(clinic, name) for name in ADDRESS_FIELDS)
            stored_hours = [
                (h.weekday, h.opens, h.closes, h.closed) for h in clinic.opening_hours.all()
            ]
            stored_services = [s.name.lower() for s in clinic.services.all()]
        address_changed = stored_address != tuple(data[name] for name in ADDRESS_FIELDS)

        changed = created
        for name in SCALAR_FIELDS:
            if getattr(clinic, name) != data[name]:
                setattr(clinic, name, data[name])
                changed = True

        stored_coordinates = (clinic.latitude, clinic.longitude, clinic.coordinates_manual)
        if data["latitude"] is not None:
            if (data["latitude"], data["longitude"]) == stored_coordinates[:2]:
                coordinates = stored_coordinates
            else:
                coordinates = (data["latitude"], data["longitude"], True)
        elif clinic.has_coordinates and (clinic.coordinates_manual or not address_changed):
            coordinates = stored_coordinates
        else:
            lat, lng = resolve_coordinates(
                address=data,
                latitude=None,
                longitude=None,
                coordinates_manual=False,
                address_changed=True,
            )
            coordinates = (lat, lng, False)
        if coordinates != stored_coordinates:
            clinic.latitude, clinic.longitude, clinic.coordinates_manual = coordinates
            changed = True

        if data["slug"] and clinic.slug != data["slug"]:
            if Clinic.objects.filter(slug=data["slug"]).exclude(pk=clinic.pk).exists():
                raise ValidationError({"slug": f"“{data['slug']}” belongs to another clinic."})
            clinic.slug = data["slug"]
            changed = True
        elif not clinic.slug:
            clinic.slug = _unique_slug(f"{data['name']} {data['city']}", data["external_id"])

        hours_changed = created or _hours_key(stored_hours) != _hours_key(data["hours"])
        services_changed = created or sorted(stored_services) != sorted(
            name.lower() for name in data["services"]
        )
        if not (changed or hours_changed or services_changed):
            return "unchanged"

        clinic.full_clean(exclude=["services"])
        if hours_changed:
            clinic.opening_hours = [
                ClinicOpeningHours(
                    weekday=weekday, opens=opens, closes=closes, closed=closed, sort_order=i
                )
                for i, (weekday, opens, closes, closed) in enumerate(data["hours"])
            ]
        if services_changed:
            clinic.services = _services_for(data["services"])
        clinic.save()
        return "created" if created else "updated"


# --- Files --------------------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was imported."""


def decode_csv_bytes(raw):
    """CSV bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Anything else is refused rather than guessed: a wrong guess would store "Montr\u00c3\u00a9al".
    """
    if isinstance(raw, str):
        return raw
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "The file claims to be UTF-16 but is not valid UTF-16."
            ) from error
    if b"\x00" in raw[:4096]:
        raise ImportFileError(
            "The file is not CSV text (it contains NUL bytes; UTF-16 without a byte-order "
            "mark?). Save it as “CSV UTF-8” and try again."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not UTF-8 text (byte 0x{raw[error.start]:02X} on line {line}, "
            "probably Latin-1 or Windows-1252). Save it as “CSV UTF-8” and try again."
        ) from error


def _read_rows(text):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError("The file is empty.")
        header = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        unknown = [name for name in header if name not in COLUMNS]
        duplicated = sorted({name for name in header if header.count(name) > 1})
        problems = []
        if missing:
            problems.append(f"Missing columns: {', '.join(missing)}.")
        if unknown:
            shown = ", ".join(repr(name[:40]) for name in unknown[:10])
            problems.append(f"Unknown columns: {shown}.")
        if duplicated:
            problems.append(f"Repeated columns: {', '.join(duplicated)}.")
        if problems:
            raise ImportFileError(" ".join(problems) + f" Expected columns: {', '.join(COLUMNS)}.")
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
