"""US and Canadian addresses: the checkout and address-book forms (shop/address/forms.py),
the one way an address prints (templates/includes/address.html) and the phone format."""

import pytest
from oscar.core.loading import get_class, get_model

from config.fields import ascii_digits
from shop.tax.regions import CA_PROVINCES, US_STATES

ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")
UserAddressForm = get_class("address.forms", "UserAddressForm")
UserAddress = get_model("address", "UserAddress")

pytestmark = pytest.mark.django_db

NEW_YORK = {
    "first_name": "Ada",
    "last_name": "Shopper",
    "line1": "350 Fifth Avenue",
    "line2": "Suite 100",
    "line4": "New York",
    "country": "US",
    "state": "NY",
    "postcode": "10118",
    "phone_number": "212 555 0100",
}
TORONTO = {
    **NEW_YORK,
    "line1": "290 Bremner Blvd",
    "line4": "Toronto",
    "country": "CA",
    "state": "ON",
    "postcode": "m5v 3l9",
    "phone_number": "416-555-0199",
}


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        username="ada", email="ada@example.com", password="pass-1234-word"
    )


def shipping_form(**changes):
    form = ShippingAddressForm(data={**NEW_YORK, **changes})
    form.is_valid()
    return form


def test_the_two_forms_are_the_stores():
    assert ShippingAddressForm.__module__ == "shop.checkout.forms"
    assert UserAddressForm.__module__ == "shop.address.forms"


def test_state_codes_never_repeat_across_the_two_countries():
    assert not set(US_STATES) & set(CA_PROVINCES)


def test_us_address_is_accepted_and_zip_plus_four_formatted():
    form = shipping_form(postcode="10118 0110")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["state"] == "NY"
    assert form.cleaned_data["postcode"] == "10118-0110"
    assert str(form.cleaned_data["phone_number"]) == "+12125550100"


def test_canadian_address_is_accepted_and_postal_code_formatted():
    form = ShippingAddressForm(data=TORONTO)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode"] == "M5V 3L9"
    assert form.cleaned_data["state"] == "ON"


def test_a_state_is_required():
    form = shipping_form(state="")
    assert form.errors["state"] == ["Choose a state."]
    form = ShippingAddressForm(data={**TORONTO, "state": ""})
    assert form.errors["state"] == ["Choose a province."]


def test_a_province_is_refused_for_the_united_states():
    assert shipping_form(state="ON").errors["state"] == ["Choose a state in the United States."]
    form = ShippingAddressForm(data={**TORONTO, "state": "NY"})
    assert form.errors["state"] == ["Choose a province in Canada."]


def test_a_zip_code_from_another_state_is_refused():
    errors = shipping_form(postcode="97201").errors
    assert errors["postcode"] == [
        "ZIP code 97201 is in Oregon, not New York. Check the ZIP code and the state."
    ]
    assert "__all__" not in errors


def test_a_postal_code_from_another_province_is_refused():
    form = ShippingAddressForm(data={**TORONTO, "postcode": "H2X 1Y4"})
    assert form.errors["postcode"] == [
        "Postal code H2X 1Y4 is in Quebec, not Ontario. Check the postal code and the province."
    ]


@pytest.mark.parametrize(
    ("field", "typed", "kept"),
    [
        ("postcode", "١٠١١٨", "10118"),  # Arabic-Indic
        ("postcode", "１０１１８－０１１０", "10118-0110"),  # full-width
        ("postcode", "۱۰۱۱۸", "10118"),  # Persian
        ("phone_number", "(٢١٢) ٥٥٥-٠١٠٠", "+12125550100"),
        ("phone_number", "（２１２）５５５−０１００", "+12125550100"),
    ],
)
def test_digits_of_other_scripts_are_read_as_ascii(field, typed, kept):
    form = shipping_form(**{field: typed})
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data[field]) == kept


def test_full_width_canadian_postal_code_is_read():
    form = ShippingAddressForm(data={**TORONTO, "postcode": "Ｍ５Ｖ　３Ｌ９"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postcode"] == "M5V 3L9"


def test_ascii_digits_leaves_letters_and_ascii_alone():
    assert ascii_digits("Ab-12") == "Ab-12"
    assert ascii_digits("٣") == "3"
    assert ascii_digits(None) == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": "ABCDE"}, "postcode", "Enter a 5-digit ZIP code, like 10118 or 10118-0110."),
        ({"postcode": "1011"}, "postcode", "Enter a 5-digit ZIP code"),
        ({"postcode": "10118-01"}, "postcode", "Enter a 5-digit ZIP code"),
        ({"country": "CA", "state": "ON", "postcode": "12345"}, "postcode", "K1A 0B1"),
        ({"country": "CA", "state": "ON", "postcode": "D1A 1A1"}, "postcode", "K1A 0B1"),
        ({"phone_number": "call me maybe"}, "phone_number", "like (212) 555-0100"),
        ({"phone_number": "<script>"}, "phone_number", "like (212) 555-0100"),
        ({"phone_number": "555"}, "phone_number", "like (212) 555-0100"),
        ({"phone_number": "999 999 9999"}, "phone_number", "not a valid"),
        ({"state": "ZZ"}, "state", "Select a valid choice"),
        ({"country": "GB"}, "country", "Select a valid choice"),
    ],
)
def test_junk_is_refused_with_a_message(changes, field, message):
    form = shipping_form(**changes)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert "Post/Zip-code" not in str(form.errors)


def test_labels_are_american_and_the_third_line_is_gone():
    form = ShippingAddressForm()
    labels = {name: field.label for name, field in form.fields.items()}
    assert "line3" not in labels
    assert labels["first_name"] == "First name"
    assert labels["line1"] == "Address"
    assert labels["line2"] == "Apartment, suite, etc. (optional)"
    assert labels["line4"] == "City"
    assert labels["state"] == "State"
    assert labels["postcode"] == "ZIP code"
    assert labels["phone_number"] == "Phone (optional, for delivery questions)"
    canadian = ShippingAddressForm(data=TORONTO)
    assert canadian.fields["state"].label == "Province"
    assert canadian.fields["postcode"].label == "Postal code"


def test_checkout_page_shows_a_grouped_state_select_and_the_script(client, product):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    page = client.get("/shop/checkout/").content.decode()
    assert '<optgroup label="Canada">' in page and '<option value="QC">Quebec</option>' in page
    assert "js/address.js" in page
    for old in ("Third line of address", "Post/Zip-code", "State/County"):
        assert old not in page


def test_checkout_with_junk_answers_with_the_form_not_an_error(client, product):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    junk = {**NEW_YORK, "postcode": "٩" * 300, "phone_number": "x" * 500, "state": "\x00"}
    response = client.post("/shop/checkout/", {**junk, "action": "update"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"postcode", "phone_number", "state"} <= set(errors)


def test_checkout_keeps_the_formatted_address(client, product):
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    response = client.post("/shop/checkout/", {**TORONTO, "postcode": "m5v3l9", "action": "update"})
    assert response.status_code == 200
    stored = client.session["checkout_data"]["shipping"]["new_address_fields"]
    assert stored["postcode"] == "M5V 3L9" and stored["state"] == "ON"


def test_address_book_saves_the_state_code_and_formatted_zip(client, customer):
    client.force_login(customer)
    response = client.post("/shop/accounts/addresses/add/", {**NEW_YORK, "postcode": "١٠١١٨-٠١١٠"})
    assert response.status_code == 302
    address = UserAddress.objects.get(user=customer)
    assert (address.state, address.postcode) == ("NY", "10118-0110")
    assert str(address.phone_number) == "+12125550100"


def test_address_book_refuses_a_zip_from_another_state(client, customer):
    client.force_login(customer)
    response = client.post("/shop/accounts/addresses/add/", {**NEW_YORK, "state": "CA"})
    assert response.status_code == 200
    assert "ZIP code 10118 is in New York, not California" in response.content.decode()
    assert not UserAddress.objects.exists()


def test_editing_an_old_address_preselects_its_state(client, customer):
    address = UserAddress.objects.create(
        user=customer,
        first_name="Ada",
        last_name="Shopper",
        line1="1 Main St",
        line4="Albany",
        state="New York",
        postcode="12207",
        country_id="US",
    )
    client.force_login(customer)
    page = client.get(f"/shop/accounts/addresses/{address.pk}/").content.decode()
    assert '<option value="NY" selected>New York</option>' in page
