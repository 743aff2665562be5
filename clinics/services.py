"""Write-side rules for clinics: where a clinic is (coordinates), when it is open (hours as
text) and how one imported row becomes a clinic (``upsert_clinic``).

The CSV file format and its import policy are in ``clinics.importing``; the field rules
for one row in ``clinics.forms.ClinicRowForm``.
"""

import math
import re
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from clinics import geocoding
from clinics.models import Clinic, ClinicOpeningHours, Service, Weekday

# Clinics we list are in the US and Canada (incl. Alaska and Hawaii); a point outside this
# box is a swapped sign or swapped latitude/longitude, not a clinic.
NORTH_AMERICA = {"lat": (15.0, 84.0), "lng": (-180.0, -50.0)}

DAY_NAMES = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
HOURS_RE = re.compile(r"^([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})$", re.ASCII)
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "region", "postal_code", "country")


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
