"""Fixtures for the marketing tests: the test URLs, a Wagtail site, tracking switched on."""

import pytest
from django.conf import settings as django_settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from marketing.models import TrackingSettings

PIXEL_ID = "1234567890"
GA4_ID = "G-TEST12345"


@pytest.fixture(autouse=True)
def marketing_urls(settings):
    settings.ROOT_URLCONF = "tests.marketing.urls"


@pytest.fixture(autouse=True)
def wagtail_site(db):
    """The default site. Wagtail's migrations create it (with the locale and the root
    collection), but a live-server test earlier in the run flushes the database."""
    language = get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="Home", slug="home"))
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    return site


@pytest.fixture
def tracking_on(wagtail_site):
    """The Meta Pixel (and GA4) ids set for the default site."""
    tracking, _ = TrackingSettings.objects.update_or_create(
        site=wagtail_site, defaults={"meta_pixel_id": PIXEL_ID, "ga4_measurement_id": GA4_ID}
    )
    return tracking
