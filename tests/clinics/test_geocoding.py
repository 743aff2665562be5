from types import SimpleNamespace

import pytest
from geopy.exc import GeocoderTimedOut

from clinics import geocoding
from clinics.models import GeocodeCacheEntry
from tests.clinics.factories import ClinicFactory


def test_us_zip_code_is_placed_at_its_centroid():
    place = geocoding.locate("10001")
    assert place.country == "US"
    assert place.latitude == pytest.approx(40.75, abs=0.05)
    assert place.longitude == pytest.approx(-73.99, abs=0.05)


def test_zip_plus_four_uses_the_five_digit_zip():
    assert geocoding.locate("10001-1234") == geocoding.locate("10001")


def test_unknown_zip_code_says_so():
    with pytest.raises(geocoding.PlaceNotFound, match="ZIP code 00000"):
        geocoding.locate("00000")


@pytest.mark.parametrize(
    ("query", "country"),
    [("Toronto", "CA"), ("chicago", "US"), ("Springfield, IL", "US"), ("Vancouver BC", "CA")],
)
def test_city_names_are_found(query, country):
    place = geocoding.locate(query)
    assert place.country == country


def test_city_with_state_picks_that_state():
    place = geocoding.locate("Portland, ME")
    assert place.latitude == pytest.approx(43.66, abs=0.2)


def test_unknown_place_gives_a_clear_message():
    with pytest.raises(geocoding.PlaceNotFound, match="couldn't find"):
        geocoding.locate("Xqzzyville")


def test_empty_query_is_refused():
    with pytest.raises(geocoding.PlaceNotFound):
        geocoding.locate("   ")


@pytest.mark.django_db
def test_canadian_postal_code_uses_centroid_of_clinics_in_same_area():
    ClinicFactory(country="CA", postal_code="M5V 1L9", latitude=43.64, longitude=-79.40)
    ClinicFactory(country="CA", postal_code="M5V 2T6", latitude=43.66, longitude=-79.38)
    place = geocoding.locate("m5v3l9")
    assert place.country == "CA"
    assert place.latitude == pytest.approx(43.65)
    assert place.longitude == pytest.approx(-79.39)


@pytest.mark.django_db
def test_canadian_postal_code_without_clinics_nearby_is_honest():
    with pytest.raises(geocoding.PlaceNotFound, match="can't place the postal code K1A 0B1"):
        geocoding.locate("K1A 0B1")


@pytest.mark.django_db
def test_address_geocodes_by_zip_then_city():
    by_zip = geocoding.geocode_address(
        address_line1="1 Main St", city="New York", region="NY", postal_code="10001", country="US"
    )
    assert by_zip.latitude == pytest.approx(40.75, abs=0.05)
    by_city = geocoding.geocode_address(
        address_line1="1 Main St", city="Ottawa", region="ON", postal_code="K1A 0B1", country="CA"
    )
    assert by_city.latitude == pytest.approx(45.4, abs=0.1)


class FakeGeopy:
    """Stands in for geopy's Nominatim; counts look-ups."""

    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.calls = []

    def geocode(self, query, **kwargs):
        self.calls.append(query)
        if self.error:
            raise self.error
        hit = self.answers.get(query)
        if hit is None:
            return None
        lat, lng, label = hit
        return SimpleNamespace(
            latitude=lat, longitude=lng, address=label, raw={"address": {"country_code": "ca"}}
        )


@pytest.mark.django_db
def test_nominatim_answers_are_cached_so_a_query_costs_one_lookup():
    fake = FakeGeopy({"halifax": (44.65, -63.57, "Halifax, Nova Scotia, Canada")})
    geocoder = geocoding.NominatimGeocoder(client=fake)
    first = geocoder.locate("Halifax")
    second = geocoding.NominatimGeocoder(client=fake).locate("  HALIFAX ")
    assert first == second
    assert first.country == "CA"
    assert fake.calls == ["halifax"]
    assert GeocodeCacheEntry.objects.count() == 1


@pytest.mark.django_db
def test_nominatim_not_found_is_cached_too():
    fake = FakeGeopy()
    geocoder = geocoding.NominatimGeocoder(client=fake)
    for _ in range(2):
        with pytest.raises(geocoding.PlaceNotFound):
            geocoder.locate("Nowhere at all")
    assert fake.calls == ["nowhere at all"]


@pytest.mark.django_db
def test_nominatim_outage_is_reported_and_not_cached():
    geocoder = geocoding.NominatimGeocoder(client=FakeGeopy(error=GeocoderTimedOut("slow")))
    with pytest.raises(geocoding.GeocoderUnavailable):
        geocoder.locate("Halifax")
    assert not GeocodeCacheEntry.objects.exists()


@pytest.mark.django_db
def test_provider_is_chosen_by_setting(settings):
    settings.CLINICS_GEOCODER = "nominatim"
    assert isinstance(geocoding.get_geocoder(), geocoding.NominatimGeocoder)
    settings.CLINICS_GEOCODER = "offline"
    assert isinstance(geocoding.get_geocoder(), geocoding.OfflineGeocoder)
