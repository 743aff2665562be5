import re

import pytest

from demo.clinics import load_demo_clinics
from tests.clinics.factories import ClinicFactory, ServiceFactory

API = "/api/clinics/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "10001"},
        {"q": "10001", "radius": "250", "service": "tens-therapy"},
        {"lat": "43.65", "lng": "-79.38", "radius": "100"},
        {"q": "Chicago", "radius": "10"},
    ],
)
def test_api_returns_the_same_clinics_in_the_same_order_as_the_page(client, params):
    load_demo_clinics()
    page = client.get("/clinics/", params).content.decode()
    page_slugs = re.findall(r'data-clinic="([^"]+)"', page)
    body = client.get(API, params).json()
    assert [result["slug"] for result in body["results"]] == page_slugs
    assert page_slugs


@pytest.mark.django_db
@pytest.mark.django_db
def test_api_result_fields(client):
    load_demo_clinics()
    body = client.get(API, {"q": "10001", "radius": "10"}).json()
    assert body["origin"]["label"].startswith("10001")
    assert body["count"] == 3 and body["page"] == 1 and body["num_pages"] == 1
    first = body["results"][0]
    assert first["name"] == "Midtown Pain Relief Clinic"
    assert first["distance_unit"] == "mi"
    assert first["distance"] < first["distance_km"]
    assert first["address"]["postal_code"] == "10001"
    assert {"open_now", "today", "hours", "services", "directions_url", "url"} <= set(first)
    distances = [r["distance_km"] for r in body["results"]]
    assert distances == sorted(distances)


@pytest.mark.django_db
def test_api_pagination_links(client):
    for i in range(15):
        ClinicFactory(latitude=40.75 + i * 0.001, longitude=-73.99)
    body = client.get(API, {"q": "10001"}).json()
    assert body["count"] == 15 and len(body["results"]) == 10
    assert body["next"].startswith("/api/clinics/?") and "page=2" in body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None


@pytest.mark.django_db
def test_api_unknown_place_is_an_empty_result_with_a_message(client):
    body = client.get(API, {"q": "Xqzzyville"}).json()
    assert body["results"] == [] and body["origin"] is None
    assert "couldn't find" in body["message"] or "couldn’t find" in body["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"lat": "-91", "lng": "0"}, "lat"),
        ({"lat": "1e999", "lng": "0"}, "lat"),
        ({"lat": "40", "lng": "west"}, "lng"),
        ({"q": "10001", "radius": "0"}, "radius"),
        ({"q": "10001", "radius": "99999"}, "radius"),
        ({"q": "'; DROP TABLE clinics_clinic; --" * 400}, "q"),
    ],
)
def test_api_bad_input_is_400_with_field_errors(client, params, field):
    response = client.get(API, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert body["message"]


@pytest.mark.django_db
def test_api_rejects_post(client):
    assert client.post(API, {"q": "10001"}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_api_query_count_does_not_grow_with_clinics(client, django_assert_max_num_queries, count):
    tens = ServiceFactory(name="TENS therapy")
    for _ in range(count):
        ClinicFactory(services=[tens])
    # Service, up to three widening boxes, clinics, hours, services.
    with django_assert_max_num_queries(7):
        body = client.get(API, {"q": "10001", "service": tens.slug}).json()
    assert body["count"] == count
