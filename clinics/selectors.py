"""Read-side queries for clinics: the nearest-clinic search shared by the page and the API.

The search is a bounding box on the indexed ``(latitude, longitude)`` of active clinics
(``clinic_active_lat_lng_idx``) followed by the exact great-circle (haversine) distance in
Python for the few rows inside the box. The box is the smallest latitude/longitude
rectangle containing the search circle, so no clinic within the radius is missed; at the
radii offered (≤ 500 miles) it holds a few hundred rows even with 100,000 clinics.
"""

import heapq
import math
from dataclasses import dataclass, field

from django.conf import settings

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


def _within(latitude, longitude, radius_km, service):
    min_lat, max_lat, min_lng, max_lng = bounding_box(latitude, longitude, radius_km)
    rows = Clinic.objects.filter(
        is_active=True,
        latitude__range=(min_lat, max_lat),
        longitude__range=(min_lng, max_lng),
    )
    if service is not None:
        rows = rows.filter(services=service)
    candidates = (
        (haversine_km(latitude, longitude, lat, lng), pk)
        for pk, lat, lng in rows.values_list("pk", "latitude", "longitude")
    )
    return [c for c in candidates if c[0] <= radius_km]


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
        within = _within(latitude, longitude, search_km, service)
        # Enough clinics inside the smaller circle means the nearest ``limit`` are all there.
        if len(within) >= limit or search_km >= radius_km:
            break
        search_km *= 4
    return [(pk, distance) for distance, pk in heapq.nsmallest(limit, within)]


@dataclass(frozen=True)
class ClinicHit:
    clinic: Clinic
    distance_km: float

    @property
    def distance_mi(self):
        return self.distance_km / KM_PER_MILE

    @property
    def unit(self):
        """``CLINICS_DISTANCE_UNIT`` ("mi" or "km") or, by default, the clinic's country's."""
        unit = getattr(settings, "CLINICS_DISTANCE_UNIT", "auto")
        return unit if unit in ("mi", "km") else self.clinic.distance_unit

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

    @property
    def radius_miles(self):
        return self.form.cleaned_data.get("radius") if not self.errors else None

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
    result.hits = [ClinicHit(by_pk[pk], distance) for pk, distance in window if pk in by_pk]
    if not ranked:
        where = result.origin.label
        result.message = f"No clinics within {data['radius']} miles of {where}."
        if data["service"]:
            result.message = (
                f"No clinics offering {data['service'].name} within {data['radius']} miles "
                f"of {where}."
            )
    return result
