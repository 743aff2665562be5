"""Digits that are not ASCII (issue 24): a ZIP or postal code typed in another script's
digits works where a person expects it to (read as ASCII by ``config.fields.ascii_digits``)
and is stored as ASCII; where it can't work the answer is a form error, never a 500."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from oscar.test.factories import create_product

from clinics import importing, services
from clinics.models import Clinic
from config.fields import QuantityField
from demo.clinics import load_demo_clinics
from marketing.models import TrackingSettings
from shop.payments.intents import find_payment
from shop.tax.forms import DestinationForm, TaxRateForm
from shop.tax.models import TaxRate
from shop.tax.providers import Destination
from shop.tax.seed import seed_rates
from tests.clinics.factories import ClinicFactory
from tests.support.conftest import make_user

pytestmark = pytest.mark.django_db

# 10001 (Manhattan) in Arabic-Indic, Devanagari and full-width digits.
ZIP_10001 = ["١٠٠٠١", "१०००१", "１０００１"]
HEADER = "external_id,name,address_line1,city,region,postal_code,country,hours"


@pytest.mark.parametrize("typed", ZIP_10001)
def test_locator_reads_a_zip_code_in_any_script_as_the_ascii_one(client, typed):
    load_demo_clinics()
    response = client.get("/clinics/", {"q": typed})
    assert response.status_code == 200
    assert b'data-clinic="midtown-pain-relief-clinic"' in response.content


@pytest.mark.parametrize("typed", [*ZIP_10001, "١٢٣", "１２"])
def test_locator_api_answers_a_zip_code_in_any_script_without_a_500(client, typed):
    load_demo_clinics()
    response = client.get("/api/clinics/", {"q": typed})
    assert response.status_code in (200, 400)
    if typed in ZIP_10001:
        assert response.status_code == 200
        assert response.json()["results"][0]["slug"] == "midtown-pain-relief-clinic"


@pytest.mark.parametrize("typed", ["١٠٠١٨", "१००१८", "１００１８"])
def test_tax_destination_form_reads_the_zip_code_as_ascii(client, typed):
    seed_rates()
    product = create_product(title="Device", price=Decimal("100.00"), num_in_stock=5)
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    response = client.post("/shop/basket/tax-destination/", {"region": "", "postcode": typed})
    assert response.status_code == 302
    form = DestinationForm({"region": "", "postcode": typed})
    assert form.is_valid()
    assert form.destination() == Destination("US", "NY", "10018")
    assert "New York" in client.get("/shop/basket/").content.decode()


@pytest.mark.parametrize("typed", ["١٠٠", "१००", "１００"])
def test_tax_rate_postcode_prefix_is_stored_in_ascii(typed):
    rate = TaxRate(country="US", region="NY", postcode_prefix=typed, name="Local", rate=1)
    rate.full_clean()
    assert rate.postcode_prefix == "100"
    form = TaxRateForm(
        {
            "country": "US",
            "region": "NY",
            "postcode_prefix": typed,
            "name": "Local",
            "rate": "1",
            "source": "test",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode_prefix"] == "100"


def test_tax_rate_prefix_in_letters_of_another_script_is_refused(client):
    client.force_login(make_user("shop_manager", "manager"))
    data = {"country": "US", "region": "NY", "postcode_prefix": "مرح", "name": "Local"}
    response = client.post("/dashboard/tax/add/", {**data, "rate": "1", "source": "test"})
    assert response.status_code == 200
    assert "Use only the letters and digits" in response.content.decode()
    assert not TaxRate.objects.filter(name="Local").exists()
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("typed", ZIP_10001)
def test_clinic_import_stores_the_zip_code_in_ascii(typed):
    text = f"{HEADER}\nc-1,Midtown,1 W 34th St,New York,NY,{typed},US,Mon 09:00-17:00\n"
    report = importing.import_clinics_csv(text.encode("utf-8"))
    assert report.created == 1, report.rejected
    assert Clinic.objects.get(external_id="c-1").postal_code == "10001"


def test_clinic_import_refuses_hours_in_another_script_with_a_message():
    text = f"{HEADER}\nc-1,Midtown,1 W 34th St,New York,NY,10001,US,Mon ٠٩:٠٠-١٧:٠٠\n"
    report = importing.import_clinics_csv(text.encode("utf-8"))
    assert report.created == 0 and [e.field for e in report.rejected] == ["hours"]
    with pytest.raises(ValueError, match="is not a time range"):
        services.parse_hours("Mon ٠٩:٠٠-١٧:٠٠")


def test_clinic_phone_link_has_ascii_digits():
    clinic = ClinicFactory(phone="(٢١٢) ٥٥٥-٠١٠١")
    assert clinic.phone_uri == "tel:2125550101"


@pytest.mark.parametrize("typed, expected", [("١", 1), ("１２", 12), (" 3 ", 3), ("१००", 100)])
def test_quantity_field_reads_any_script_as_ascii(typed, expected):
    assert QuantityField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["x", "", "1e9", "9" * 30, "-1", "0", "1.5", "١.٥"])
def test_quantity_field_refuses_anything_but_a_positive_whole_number(typed):
    with pytest.raises(ValidationError, match="whole number|at least 1"):
        QuantityField().clean(typed)


@pytest.mark.parametrize("metadata_id", ["١", "9" * 30, "x", "-1", ""])
def test_payment_metadata_id_that_is_not_a_database_id_finds_nothing(metadata_id):
    intent = SimpleNamespace(id="pi_unknown", metadata={"payment": metadata_id})
    assert find_payment(intent) is None


@pytest.mark.parametrize("pixel_id", ["١٢٣٤٥٦٧", "１２３４５６７"])
def test_meta_pixel_id_in_another_scripts_digits_is_refused(pixel_id):
    field = TrackingSettings._meta.get_field("meta_pixel_id")
    with pytest.raises(ValidationError, match="is a number"):
        field.run_validators(pixel_id)
    field.run_validators("1234567")
