"""Shop managers edit the sales tax table in the dashboard; bad rows are refused with a
message and nothing is written."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry

from shop.tax.models import TaxRate
from tests.support.conftest import make_user

pytestmark = pytest.mark.django_db

ADD_URL = "/dashboard/tax/add/"
GOOD = {
    "country": "US",
    "region": "ny",
    "postcode_prefix": "107 ",  # Yonkers: no seeded local row there
    "name": "Sales tax",
    "rate": "8.875",
    "shipping_taxable": "on",
    "source": "NYS Publication 718 (Yonkers), 2026-12-02",
}


@pytest.fixture
def manager_client(client):
    client.force_login(make_user("shop_manager", "manager"))
    return client


@pytest.fixture
def ny_row(db):
    return TaxRate.objects.get_or_create(
        country="US", region="NY", postcode_prefix="", name="Sales tax", defaults={"rate": 4}
    )[0]


def errors_of(response):
    return " ".join(
        str(error) for errors in response.context["form"].errors.values() for error in errors
    )


def test_manager_adds_a_local_rate_and_the_change_is_recorded(manager_client, ny_row):
    response = manager_client.post(ADD_URL, GOOD)
    assert response.status_code == 302
    rate = TaxRate.objects.get(postcode_prefix="107")
    assert (rate.region, rate.rate, rate.shipping_taxable) == ("NY", Decimal("8.875"), True)
    entry = LogEntry.objects.get(object_id=str(rate.pk))
    assert entry.user.username == "manager" and entry.is_addition()
    page = manager_client.get("/dashboard/tax/").content.decode()
    assert "8.875" in page and "New York" in page


def test_manager_edits_a_rate(manager_client, ny_row):
    data = {**GOOD, "postcode_prefix": "", "rate": "4.5"}
    response = manager_client.post(f"/dashboard/tax/{ny_row.pk}/", data)
    assert response.status_code == 302
    ny_row.refresh_from_db()
    assert ny_row.rate == Decimal("4.5")


@pytest.mark.parametrize("rate", ["20.5", "-1", "100", "abc", "1e3", "4.12345", "NaN"])
def test_rate_outside_0_to_20_percent_is_refused(manager_client, rate):
    response = manager_client.post(ADD_URL, {**GOOD, "rate": rate})
    assert response.status_code == 200
    assert not TaxRate.objects.filter(postcode_prefix="107").exists()
    assert errors_of(response)


def test_rate_above_20_percent_says_the_allowed_range(manager_client):
    response = manager_client.post(ADD_URL, {**GOOD, "rate": "25"})
    assert "from 0 to 20 percent" in errors_of(response)


@pytest.mark.parametrize(("country", "region"), [("US", "ZZ"), ("US", "QC"), ("CA", "NY")])
def test_unknown_region_is_refused(manager_client, country, region):
    response = manager_client.post(ADD_URL, {**GOOD, "country": country, "region": region})
    assert response.status_code == 200
    assert "is not a state or province of" in errors_of(response)
    assert not TaxRate.objects.filter(region=region, postcode_prefix="107").exists()


def test_duplicate_region_row_is_refused(manager_client, ny_row):
    response = manager_client.post(
        ADD_URL, {**GOOD, "postcode_prefix": "", "name": "sales  TAX", "rate": "5"}
    )
    assert response.status_code == 200
    assert "already has a “sales TAX” rate for the whole region" in errors_of(response)
    assert TaxRate.objects.filter(country="US", region="NY", postcode_prefix="").count() == 1


def test_hostile_postcode_prefix_is_refused(manager_client):
    response = manager_client.post(ADD_URL, {**GOOD, "postcode_prefix": "<b>1"})
    assert response.status_code == 200
    assert "letters and digits" in errors_of(response)


def test_manager_deletes_a_rate(manager_client, ny_row):
    response = manager_client.post(f"/dashboard/tax/{ny_row.pk}/delete/")
    assert response.status_code == 302
    assert not TaxRate.objects.filter(pk=ny_row.pk).exists()


@pytest.mark.parametrize("role", ["support", "editor", "staff"])
def test_other_staff_cannot_see_or_change_rates(client, ny_row, role):
    client.force_login(make_user(role))
    assert client.get("/dashboard/tax/").status_code == 403
    assert client.post(ADD_URL, GOOD).status_code == 403
    assert client.post(f"/dashboard/tax/{ny_row.pk}/delete/").status_code == 403
    assert TaxRate.objects.filter(pk=ny_row.pk).exists()


def test_customer_cannot_open_the_tax_table(client, ny_row):
    client.force_login(make_user("customer"))
    assert client.get("/dashboard/tax/").status_code == 403


def test_dashboard_menu_shows_sales_tax_to_managers_only(client):
    client.force_login(make_user("shop_manager", "manager"))
    assert "/dashboard/tax/" in client.get("/dashboard/").content.decode()
    client.force_login(make_user("support", "agent"))
    assert "/dashboard/tax/" not in client.get("/dashboard/").content.decode()
