"""Read-side queries for clinics: the nearest-clinic search shared by the page and the API.

The search is a bounding box on the indexed ``(latitude, longitude)`` of active clinics
(``clinic_active_lat_lng_idx``) with the exact great-circle (haversine) distance computed,
filtered, ordered and limited by the database for the rows inside the box. The box is the
smallest latitude/longitude rectangle containing the search circle, so no clinic within
the radius is missed. The same SQL runs on PostgreSQL and SQLite (Django registers the
math functions on SQLite connections).
"""

import math
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db import connection

from clinics import geocoding
from clinics.forms import ClinicSearchForm
from clinics.models import KM_PER_MILE, Clinic

EARTH_RADIUS_KM = 6371.0088
PAGE_SIZE = 10


def max_results():
    return getattr(settings, "CLINICS_MAX_RESULTS", 100)


def haversine_km(lat1, lng1, lat2, lng2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(latitude, longitude, radius_km):
    """(min_lat, max_lat, min_lng, max_lng) enclosing the circle; longitude spans
    everything near the poles or where the circle crosses the antimeridian."""
    angular = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angular)
    min_lat, max_lat = latitude - dlat, latitude + dlat
    if min_lat <= -90 or max_lat >= 90:
        return max(min_lat, -90), min(max_lat, 90), -180.0, 180.0
    # The widest longitude span of a circle on a sphere (not the span at its centre row).
    dlng = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(math.radians(latitude)))))
    min_lng, max_lng = longitude - dlng, longitude + dlng
    if min_lng < -180 or max_lng > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lng, max_lng


@cache
def _nearest_sql(with_service):
    clinic = Clinic._meta.db_table
    through = Clinic.services.through._meta.db_table
    service = (
        f" AND EXISTS (SELECT 1 FROM {through} s WHERE s.clinic_id = c.id AND s.service_id = %s)"  # noqa: S608
        if with_service
        else ""
    )
    # Haversine: a = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2), d = 2R · asin(√a). The box
    # keeps points far from antipodal, so a stays well below 1.
    return f"""
        SELECT id, 2 * %s * ASIN(SQRT(a)) AS distance FROM (
            SELECT c.id,
                POWER(SIN((RADIANS(c.latitude) - %s) / 2), 2)
                + %s * COS(RADIANS(c.latitude))
                  * POWER(SIN((RADIANS(c.longitude) - %s) / 2), 2) AS a
            FROM {clinic} c
            WHERE c.is_active AND c.latitude BETWEEN %s AND %s
              AND c.longitude BETWEEN %s AND %s{service}
        ) AS box
        WHERE 2 * %s * ASIN(SQRT(a)) <= %s
        ORDER BY distance, id
        LIMIT %s
    """  # noqa: S608 - table names come from the models, values are parameters


def _within(latitude, longitude, radius_km, service, limit):
    """``[(clinic_id, distance_km)]`` of the nearest ``limit`` active clinics within
    ``radius_km``, nearest first, ties by id, in one query.

    Raw SQL because this is the locator's hot path: building it with the ORM cost more than
    running it.
    """
    min_lat, max_lat, min_lng, max_lng = bounding_box(latitude, longitude, radius_km)
    phi = math.radians(latitude)
    params = [EARTH_RADIUS_KM, phi, math.cos(phi), math.radians(longitude)]
    params += [min_lat, max_lat, min_lng, max_lng]
    if service is not None:
        params.append(service.pk)
    params += [EARTH_RADIUS_KM, radius_km, limit]
    with connection.cursor() as cursor:
        cursor.execute(_nearest_sql(service is not None), params)
        return [(pk, float(distance)) for pk, distance in cursor.fetchall()]


def nearest_clinic_ids(*, latitude, longitude, radius_km, service=None, limit=20):
    """``[(clinic_id, distance_km)]`` of active clinics within the radius, nearest first
    (ties by id, so page and API order agree), at most ``limit``.

    Starts with a box a sixteenth of the radius and widens it fourfold while it holds
    fewer than ``limit`` clinics: in a city the first small box already has the nearest
    20, so the query reads tens of rows instead of the thousands within 50 miles. One
    query in towns, at most three in empty country.
    """
    search_km = radius_km / 16
    while True:
        search_km = min(search_km, radius_km)
        within = _within(latitude, longitude, search_km, service, limit)
        # Enough clinics inside the smaller circle means the nearest ``limit`` are all there.
        if len(within) >= limit or search_km >= radius_km:
            return within
        search_km *= 4


@dataclass(frozen=True)
class ClinicHit:
    clinic: Clinic
    distance_km: float
    unit: str = "mi"  # the search's unit: one for every hit of a search

    @property
    def distance_mi(self):
        return self.distance_km / KM_PER_MILE

    @property
    def distance(self):
        return self.distance_km if self.unit == "km" else self.distance_mi

    @property
    def distance_display(self):
        return f"{self.distance:.1f} {self.unit}"


@dataclass
class ClinicSearch:
    """Everything the page and the API show for one set of GET parameters."""

    form: ClinicSearchForm
    searched: bool = False
    origin: geocoding.Place | None = None
    message: str = ""
    hits: list[ClinicHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PAGE_SIZE

    @property
    def errors(self):
        return self.form.errors if self.form.is_bound and not self.form.is_valid() else {}

    @property
    def num_pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def has_previous(self):
        return self.page > 1

    unit: str = "mi"

    @property
    def radius_miles(self):
        return self.form.cleaned_data.get("radius") if not self.errors else None

    @property
    def radius_display(self):
        """The radius in the search's unit ("25 miles", or "40 km" for the same radius)."""
        miles = self.radius_miles
        if miles is None:
            return ""
        return radius_text(miles, self.unit)

    @property
    def service(self):
        return self.form.cleaned_data.get("service") if not self.errors else None


def search_clinics(params, *, per_page=PAGE_SIZE):
    """Run the locator search for GET parameters ``q``, ``lat``, ``lng``, ``radius``
    (miles), ``service`` (slug) and ``page``; the page and the API both call this."""
    form = ClinicSearchForm(params)
    result = ClinicSearch(form=form, per_page=per_page)
    if not form.is_valid():
        return result
    data = form.cleaned_data
    if form.has_location:
        result.origin = geocoding.Place(data["lat"], data["lng"], "your location")
    elif data["q"]:
        try:
            result.origin = geocoding.locate(data["q"])
        except geocoding.GeocodingError as error:
            result.searched = True
            result.message = str(error)
            return result
    else:
        result.message = "Enter a ZIP code, a postal code or a city, or use your location."
        return result

    result.searched = True
    result.unit = search_unit(data.get("unit"), result.origin)
    ranked = nearest_clinic_ids(
        latitude=result.origin.latitude,
        longitude=result.origin.longitude,
        radius_km=data["radius"] * KM_PER_MILE,
        service=data["service"],
        limit=max_results(),
    )
    result.total = len(ranked)
    result.page = data["page"]
    window = ranked[(result.page - 1) * per_page : result.page * per_page]
    clinics = Clinic.objects.filter(pk__in=[pk for pk, _ in window]).prefetch_related(
        "opening_hours", "services"
    )
    by_pk = {clinic.pk: clinic for clinic in clinics} if window else {}
    if result.unit is None:
        # "Use my location" gives no country: the nearest clinic's (the searcher is near it).
        nearest = Clinic.objects.filter(pk=ranked[0][0]).first() if ranked else None
        result.unit = nearest.distance_unit if nearest else "mi"
    if result.unit == "km":
        form.fields["radius"].widget.choices = KM_RADIUS_CHOICES
    result.hits = [
        ClinicHit(by_pk[pk], distance, result.unit) for pk, distance in window if pk in by_pk
    ]
    if not ranked:
        where = result.origin.label
        within = radius_text(data["radius"], result.unit)
        result.message = f"No clinics within {within} of {where}."
        if data["service"]:
            result.message = (
                f"No clinics offering {data['service'].name} within {within} of {where}."
            )
    return result


# The same radii (the ``radius`` parameter stays in miles), labelled for a kilometre search.
KM_RADIUS_CHOICES = [
    (10, "16 km (10 miles)"),
    (25, "40 km (25 miles)"),
    (50, "80 km (50 miles)"),
    (100, "160 km (100 miles)"),
    (250, "400 km (250 miles)"),
]


def radius_text(miles, unit):
    if unit == "km":
        return f"{round(miles * KM_PER_MILE)} km"
    return f"{miles} mile{'' if miles == 1 else 's'}"


def search_unit(chosen, origin):
    """One unit for a whole search: the searcher's choice, else ``CLINICS_DISTANCE_UNIT``,
    else the searched place's country (km in Canada, miles in the US); None when the place
    has no country (coordinates), which the caller settles from the nearest clinic."""
    if chosen in ("mi", "km"):
        return chosen
    configured = getattr(settings, "CLINICS_DISTANCE_UNIT", "auto")
    if configured in ("mi", "km"):
        return configured
    country = getattr(origin, "country", "")
    if country == "CA":
        return "km"
    if country == "US":
        return "mi"
    return None
