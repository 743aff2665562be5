"""A clinic's "open now" and "today" are in the clinic's own time zone."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from freezegun import freeze_time

from clinics.timezones import zone_for
from tests.clinics.factories import ClinicFactory

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("country", "region", "zone"),
    [
        ("US", "NY", "America/New_York"),
        ("US", "ca", "America/Los_Angeles"),
        ("US", "California", "America/Los_Angeles"),
        ("US", " Arizona ", "America/Phoenix"),
        ("US", "IL", "America/Chicago"),
        ("CA", "BC", "America/Vancouver"),
        ("CA", "British Columbia", "America/Vancouver"),
        ("CA", "Québec", "America/Toronto"),
        ("CA", "NL", "America/St_Johns"),
        ("CA", "SK", "America/Regina"),
    ],
)
def test_zone_for_state_or_province(country, region, zone):
    assert zone_for(country, region).key == zone


@override_settings(TIME_ZONE="America/New_York")
@pytest.mark.parametrize(
    ("country", "region"), [("US", "Atlantis"), ("MX", "JAL"), ("", ""), ("US", "<b>")]
)
def test_unknown_places_fall_back_to_the_store_time_zone(country, region):
    assert zone_for(country, region).key == "America/New_York"


@pytest.mark.django_db
def test_open_now_is_the_clinics_own_local_time():
    new_york = ClinicFactory(region="NY", hours=[(0, time(9), time(17))])
    los_angeles = ClinicFactory(
        city="Los Angeles", region="CA", postal_code="90012", hours=[(0, time(9), time(17))]
    )
    # Monday 10:00 in New York is 07:00 in Los Angeles.
    with freeze_time(datetime(2025, 1, 6, 10, 0, tzinfo=NEW_YORK)):
        assert new_york.is_open_now()
        assert not los_angeles.is_open_now()
    # Monday 19:00 in New York is 16:00 in Los Angeles.
    with freeze_time(datetime(2025, 1, 6, 19, 0, tzinfo=NEW_YORK)):
        assert not new_york.is_open_now()
        assert los_angeles.is_open_now()


@pytest.mark.django_db
def test_today_is_the_clinics_own_day():
    # Monday hours only; Monday 23:30 in Los Angeles is already Tuesday in New York.
    los_angeles = ClinicFactory(region="CA", hours=[(0, time(20), time(23, 59))])
    with freeze_time(datetime(2025, 1, 7, 2, 30, tzinfo=NEW_YORK)):
        assert los_angeles.todays_hours_display() == "20:00–23:59"
        assert los_angeles.is_open_now()
