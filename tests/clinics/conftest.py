import pytest


@pytest.fixture(autouse=True)
def _offline_geocoder(settings):
    """Tests never touch the network: the offline geocoder unless a test picks another."""
    settings.CLINICS_GEOCODER = "offline"
