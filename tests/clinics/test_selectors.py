import math

import pytest

from clinics.selectors import bounding_box, haversine_km, nearest_clinic_ids, search_clinics
from tests.clinics.factories import ClinicFactory, ServiceFactory


def test_haversine_new_york_to_boston_is_about_306_km():
    assert haversine_km(40.7128, -74.0060, 42.3601, -71.0589) == pytest.approx(306, abs=2)


@pytest.mark.parametrize("latitude", [0, 40, 70])
def test_bounding_box_contains_every_point_of_the_circle(latitude):
    min_lat, max_lat, min_lng, max_lng = bounding_box(latitude, -100, 80)
    for bearing_step in range(36):
        # Walk round the circle at 80 km and check each point is inside the box.
        bearing = math.radians(bearing_step * 10)
        d = 80 / 6371.0088
        lat1 = math.radians(latitude)
        lat2 = math.asin(
            math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(bearing)
        )
        lng2 = -100 + math.degrees(
            math.atan2(
                math.sin(bearing) * math.sin(d) * math.cos(lat1),
                math.cos(d) - math.sin(lat1) * math.sin(lat2),
            )
        )
        assert min_lat - 1e-9 <= math.degrees(lat2) <= max_lat + 1e-9
        assert min_lng - 1e-9 <= lng2 <= max_lng + 1e-9


@pytest.mark.django_db
def test_nearest_clinics_are_sorted_by_distance_within_radius():
    far = ClinicFactory(latitude=40.90, longitude=-73.99)  # ~17 km
    near = ClinicFactory(latitude=40.75, longitude=-73.99)
    middle = ClinicFactory(latitude=40.80, longitude=-73.99)
    ClinicFactory(latitude=42.36, longitude=-71.06)  # Boston, out of range
    ClinicFactory(latitude=40.75, longitude=-73.99, is_active=False)
    found = nearest_clinic_ids(latitude=40.7484, longitude=-73.9967, radius_km=40)
    assert [pk for pk, _ in found] == [near.pk, middle.pk, far.pk]
    assert [d for _, d in found] == sorted(d for _, d in found)


@pytest.mark.django_db
def test_service_filter_keeps_only_clinics_offering_it():
    tens = ServiceFactory(name="TENS therapy")
    with_tens = ClinicFactory(services=[tens])
    ClinicFactory()
    found = nearest_clinic_ids(latitude=40.75, longitude=-74, radius_km=50, service=tens)
    assert [pk for pk, _ in found] == [with_tens.pk]


@pytest.mark.django_db
def test_search_pages_through_results_in_distance_order():
    clinics = [ClinicFactory(latitude=40.75 + i * 0.01, longitude=-73.99) for i in range(12)]
    first = search_clinics({"lat": "40.75", "lng": "-73.99", "radius": "50"})
    second = search_clinics({"lat": "40.75", "lng": "-73.99", "radius": "50", "page": "2"})
    assert first.total == 12 and first.num_pages == 2
    got = [hit.clinic for hit in first.hits + second.hits]
    assert got == clinics


@pytest.mark.django_db
def test_one_unit_per_search_from_the_nearest_clinic_when_searching_by_coordinates():
    ClinicFactory(latitude=45.0, longitude=-75.0, country="CA", postal_code="K1A 0B1")
    ClinicFactory(latitude=45.0, longitude=-74.9)
    result = search_clinics({"lat": "45", "lng": "-75", "radius": "25"})
    assert result.unit == "km"
    assert [hit.unit for hit in result.hits] == ["km", "km"]
    assert result.hits[1].distance == pytest.approx(result.hits[1].distance_km)
    assert result.radius_display == "40 km"


@pytest.mark.django_db
def test_the_searcher_may_choose_the_unit():
    ClinicFactory(latitude=45.0, longitude=-75.0, country="CA", postal_code="K1A 0B1")
    ClinicFactory(latitude=45.0, longitude=-74.9)
    result = search_clinics({"lat": "45", "lng": "-75", "radius": "25", "unit": "mi"})
    assert [hit.unit for hit in result.hits] == ["mi", "mi"]
    assert result.hits[1].distance == pytest.approx(result.hits[1].distance_km / 1.609344)
    assert result.radius_display == "25 miles"
    assert search_clinics({"lat": "45", "lng": "-75", "unit": "furlongs"}).errors
