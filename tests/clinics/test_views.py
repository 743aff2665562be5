import json
import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from freezegun import freeze_time

from demo.clinics import load_demo_clinics
from tests.clinics.factories import ClinicFactory, ServiceFactory

LOCATOR = "/clinics/"


@pytest.mark.django_db
def test_locator_lists_nearest_first_with_distance_phone_and_directions(client):
    load_demo_clinics()
    response = client.get(LOCATOR, {"q": "10001"})
    assert response.status_code == 200
    html = response.content.decode()
    names = re.findall(r'data-clinic="([^"]+)"', html)
    assert names[:3] == [
        "midtown-pain-relief-clinic",
        "hudson-physio-jersey-city",
        "park-slope-chiropractic",
    ]
    assert 'href="tel:+12125550101"' in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=350+W+31st+St" in html
    assert " mi</span>" in html
    assert 'id="clinic-map-markers"' in html


@pytest.mark.django_db
def test_canadian_results_show_kilometres(client):
    load_demo_clinics()
    html = client.get(LOCATOR, {"q": "Toronto"}).content.decode()
    assert re.search(r"\d+\.\d km</span>", html)
    assert not re.search(r"\d+\.\d mi</span>", html)
    assert "within 40 km of" in html and "miles of" not in html


@pytest.mark.django_db
def test_us_search_lists_every_clinic_in_miles_even_canadian_ones(client):
    load_demo_clinics()
    html = client.get(LOCATOR, {"q": "Buffalo", "radius": "250"}).content.decode()
    assert re.search(r"\d+\.\d mi</span>", html)
    assert not re.search(r"\d+\.\d km</span>", html)
    assert "within 250 miles of" in html


@pytest.mark.django_db
def test_empty_page_shows_the_form_and_a_hint(client):
    response = client.get(LOCATOR)
    assert response.status_code == 200
    assert b'name="q"' in response.content
    assert b"Use my location" in response.content


@pytest.mark.django_db
def test_unknown_place_is_a_clear_message(client):
    response = client.get(LOCATOR, {"q": "Xqzzyville"})
    assert response.status_code == 200
    assert "couldn’t find" in response.content.decode() or "couldn't find" in (
        response.content.decode().replace("&#x27;", "'")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"lat": "91", "lng": "0"},
        {"lat": "abc", "lng": "-73"},
        {"lat": "nan", "lng": "-73"},
        {"lat": "40.7"},
        {"q": "10001", "radius": "-5"},
        {"q": "10001", "radius": "100000"},
        {"q": "10001", "radius": "ten"},
        {"q": "x" * 10_000},
        {"q": "10001", "service": "no-such-service"},
        {"q": "10001", "page": "0"},
    ],
)
def test_bad_parameters_get_a_400_with_a_message(client, params):
    response = client.get(LOCATOR, params)
    assert response.status_code == 400
    assert b"text-danger" in response.content or b"alert-danger" in response.content


@pytest.mark.django_db
def test_html_and_sql_in_the_query_are_shown_escaped(client):
    ClinicFactory()
    response = client.get(LOCATOR, {"q": "<script>alert(1)</script>' OR 1=1 --"})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_locator_query_count_does_not_grow_with_clinics(
    client, django_assert_max_num_queries, count
):
    tens = ServiceFactory(name="TENS therapy")
    for _ in range(count):
        ClinicFactory(services=[tens])
    # The header and footer (other apps) add their own few queries; ours are counted
    # separately: service, up to three widening boxes, clinics, hours, services, choices.
    with django_assert_max_num_queries(25) as captured:
        response = client.get(LOCATOR, {"q": "10001", "service": tens.slug, "radius": "50"})
    ours = [q for q in captured.captured_queries if "clinics_" in q["sql"]]
    assert len(ours) <= 8
    assert response.status_code == 200
    assert response.content.count(b'class="clinic-result') == min(count, 10)


@pytest.mark.django_db
def test_todays_hours_and_open_now_use_local_time(client):
    clinic = ClinicFactory(hours=[(0, time(9), time(17))])
    monday_morning = datetime(2025, 1, 6, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    with freeze_time(monday_morning):
        html = client.get(LOCATOR, {"q": "10001"}).content.decode()
    assert "Today: 09:00–17:00" in html and "Open now" in html
    with freeze_time(monday_morning.replace(hour=18)):
        html = client.get(LOCATOR, {"q": "10001", "radius": "10"}).content.decode()
    assert "Closed now" in html
    assert clinic.name in html


@pytest.mark.django_db
def test_clinic_page_shows_hours_services_and_json_ld(client):
    clinic = ClinicFactory(name="Hours & <Co>", services=[ServiceFactory(name="Massage therapy")])
    response = client.get(reverse("clinics:detail", kwargs={"slug": clinic.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Massage therapy" in html
    assert "Monday" in html and "09:00–17:00" in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "MedicalClinic"
    assert data["name"] == "Hours & <Co>"
    assert data["geo"]["latitude"] == clinic.latitude
    assert "<Co>" not in match.group(1)


@pytest.mark.django_db
def test_inactive_or_unknown_clinic_page_is_404(client):
    clinic = ClinicFactory(is_active=False)
    assert client.get(f"/clinics/{clinic.slug}/").status_code == 404
    assert client.get("/clinics/no-such-clinic/").status_code == 404


@pytest.mark.django_db
def test_sitemap_lists_active_clinics():
    from clinics.sitemaps import ClinicSitemap

    active = ClinicFactory()
    ClinicFactory(is_active=False)
    assert list(ClinicSitemap().items()) == [active]


def test_tile_url_comes_from_settings(settings, client, db):
    settings.CLINICS_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    ClinicFactory()
    html = client.get(LOCATOR, {"q": "10001"}).content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html


def test_locator_works_without_tiles(settings, client, db):
    settings.CLINICS_TILE_URL = ""
    clinic = ClinicFactory()
    response = client.get(LOCATOR, {"q": "10001"})
    assert response.status_code == 200
    assert clinic.name in response.content.decode()


@pytest.mark.django_db
def test_open_now_on_cached_locator_pages_is_at_most_a_minute_old(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    ClinicFactory(hours=[(0, time(9), time(17))])
    client.get("/clinics/")  # creates the site settings rows a first visit creates
    start = datetime(2025, 1, 6, 16, 59, 30, tzinfo=ZoneInfo("America/New_York"))
    with freeze_time(start) as clock:
        first = client.get(LOCATOR, {"q": "10001"})
        assert "max-age=60" in first["Cache-Control"]
        assert "Open now" in first.content.decode()
        assert client.get(LOCATOR, {"q": "10001"})["X-Page-Cache"] == "hit"
        clock.tick(61)  # 17:00:31: closed, and the cached page has expired
        later = client.get(LOCATOR, {"q": "10001"})
        assert later["X-Page-Cache"] == "miss"
        assert "Closed now" in later.content.decode()
