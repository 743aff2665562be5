"""The address book's form, and the US/Canada rules every address form of the store shares.

Oscar's form is made for the UK: an optional free-text "State/County", a "Post/Zip-code"
checked only by a pattern, a third address line. The store ships to the United States and
Canada only (shop/tax/regions.py), so ``NorthAmericanAddressMixin`` asks for the country, a
state or province from a list grouped by country (it works without JavaScript;
static/js/address.js narrows it to the chosen country and renames "State"/"Province" and
"ZIP code"/"Postal code"), and checks that the state belongs to the country and agrees with
the ZIP or postal code. Digits typed on a phone's own keyboard (Arabic-Indic, full-width...)
are read as ASCII (config/fields.py: ``ascii_digits``). The state is stored as its two-letter
code and the postcode formatted (``10118-0110``, ``H2X 1Y4``), so every address prints as
"City, ST 12345" (templates/includes/address.html).
"""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from oscar.apps.address import forms as oscar_forms
from oscar.core.loading import get_model

from config.fields import ascii_digits
from shop.tax.regions import COUNTRY_NAMES, REGIONS, region_from_postcode, region_from_text

Country = get_model("address", "Country")

FIELD_ORDER = [
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line4",
    "country",
    "state",
    "postcode",
    "phone_number",
    "notes",
]
LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "line1": "Address",
    "line2": "Apartment, suite, etc. (optional)",
    "line4": "City",
    "country": "Country",
    "state": "State",
    "postcode": "ZIP code",
    "phone_number": "Phone (optional, for delivery questions)",
    "notes": "Delivery instructions (optional)",
}
# What a country calls its regions and its postcodes (static/js/address.js swaps them).
REGION_WORD = {"US": "State", "CA": "Province"}
POSTCODE_WORD = {"US": "ZIP code", "CA": "Postal code"}
IN_COUNTRY = {"US": "in the United States", "CA": "in Canada"}

ZIP_PATTERN = re.compile(r"([0-9]{5})(?:-?([0-9]{4}))?", re.ASCII)
# Canada Post never uses D, F, I, O, Q or U, nor W or Z as the first letter.
POSTAL_CODE_PATTERN = re.compile(
    r"([ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z])([0-9][ABCEGHJ-NPRSTV-Z][0-9])", re.ASCII
)
POSTCODE_MESSAGES = {
    "US": "Enter a 5-digit ZIP code, like 10118 or 10118-0110.",
    "CA": "Enter a postal code like K1A 0B1 (letter, digit, letter, digit, letter, digit).",
}
PHONE_MESSAGE = "Enter a phone number with its area code, like (212) 555-0100."
# Digits, spaces, brackets, dashes, dots, a leading + and an extension: what a person types.
PHONE_PATTERN = re.compile(r"\+?[0-9 ().-]{7,25}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?", re.ASCII | re.I)
DASHES = re.compile("[\u2010-\u2015\u2212\u30fc\ufe63]")


def region_select_choices():
    """("", prompt), then one group per country of (code, name): codes do not repeat across
    the two countries, so the stored value is the plain two-letter code."""
    return [("", "Choose…")] + [
        (COUNTRY_NAMES[country], list(regions.items())) for country, regions in REGIONS.items()
    ]


def format_postcode(country, text):
    """The postcode as the country writes it, or None when it is not one."""
    code = "".join(ascii_digits(text).split()).upper()
    if country == "US":
        match = ZIP_PATTERN.fullmatch(code)
        return match and "-".join(part for part in match.groups() if part)
    if country == "CA":
        match = POSTAL_CODE_PATTERN.fullmatch(code)
        return match and " ".join(match.groups())
    return code


def place_words(country):
    return REGION_WORD.get(country, "State"), POSTCODE_WORD.get(country, "ZIP code")


class NorthAmericanAddressMixin:
    """US and Canadian addresses for a form made from one of Oscar's address models."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("line3", None)
        self.fields["state"] = forms.ChoiceField(choices=region_select_choices())
        self.fields["state"].widget.attrs.update(
            {
                "data-address-region": "",
                "data-country-groups": ",".join(
                    f"{code}:{name}" for code, name in COUNTRY_NAMES.items()
                ),
                "data-label-us": REGION_WORD["US"],
                "data-label-ca": REGION_WORD["CA"],
                "autocomplete": "address-level1",
            }
        )
        if "country" in self.fields:
            field = self.fields["country"]
            field.queryset = field.queryset.filter(iso_3166_1_a2__in=REGIONS).order_by(
                "-iso_3166_1_a2"  # the United States first
            )
            field.empty_label = None
            field.widget.attrs.update({"data-address-country": "", "autocomplete": "country"})
        self.fields["postcode"].widget.attrs.update(
            {
                "data-label-us": POSTCODE_WORD["US"],
                "data-label-ca": POSTCODE_WORD["CA"],
                "autocomplete": "postal-code",
            }
        )
        self.fields["phone_number"].widget.attrs.update({"type": "tel", "autocomplete": "tel"})
        self.order_fields(FIELD_ORDER)
        for name, label in LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        self._name_places(self._country_code())
        state = self.instance.state
        if state and not self.is_bound:
            self.initial["state"] = region_from_text(self._country_code(), state) or state

    def _country_code(self):
        """The country the form is about: the posted one, else the address's, else the US."""
        if self.is_bound and "country" in self.fields:
            code = str(self.data.get(self.add_prefix("country"), "")).upper()
            if code in REGIONS:
                return code
        return getattr(self.instance, "country_id", None) or "US"

    def _name_places(self, country):
        region_word, postcode_word = place_words(country)
        self.fields["state"].label = region_word
        self.fields["state"].error_messages["required"] = f"Choose a {region_word.lower()}."
        self.fields["postcode"].label = postcode_word

    def clean_phone_number(self):
        """Read a phone keyboard's digits as ASCII and refuse what is not a phone number;
        Oscar's PhoneNumberMixin then checks it is a real number in the country."""
        text = DASHES.sub("-", ascii_digits(self.cleaned_data.get("phone_number", ""))).strip()
        if text and not PHONE_PATTERN.fullmatch(text):
            raise forms.ValidationError(PHONE_MESSAGE, code="invalid")
        return text

    def clean(self):
        cleaned_data = super().clean()
        country = cleaned_data.get("country")
        country_code = getattr(country, "iso_3166_1_a2", None) or self._country_code()
        region_word, postcode_word = place_words(country_code)
        state = cleaned_data.get("state")
        if state and state not in REGIONS.get(country_code, {}):
            self.add_error(
                "state",
                f"Choose a {region_word.lower()} {IN_COUNTRY.get(country_code, '')}.",
            )
            state = None
        raw_postcode = cleaned_data.get("postcode")
        if raw_postcode:
            postcode = format_postcode(country_code, raw_postcode)
            if not postcode:
                self.add_error("postcode", POSTCODE_MESSAGES.get(country_code, "Not valid."))
                return cleaned_data
            cleaned_data["postcode"] = postcode
            home = region_from_postcode(country_code, postcode)
            if state and home and home != state:
                names = REGIONS[country_code]
                self.add_error(
                    "postcode",
                    f"{postcode_word} {postcode} is in {names[home]}, not {names[state]}. "
                    f"Check the {postcode_word.replace('Postal', 'postal')} and the "
                    f"{region_word.lower()}.",
                )
        return cleaned_data

    def _post_clean(self):
        """Oscar's model checks the postcode again, in its UK words ("Post/Zip-code"), and
        says a refused one is missing: once this form has refused it, its message is
        enough."""
        refused = self.has_error("postcode")
        kept = self._errors.get(NON_FIELD_ERRORS) if refused else None
        own = self._errors.get("postcode") if refused else None
        super()._post_clean()
        if refused:
            self._errors["postcode"] = own
            if kept is None:
                self._errors.pop(NON_FIELD_ERRORS, None)
            else:
                self._errors[NON_FIELD_ERRORS] = kept


class UserAddressForm(NorthAmericanAddressMixin, oscar_forms.UserAddressForm):
    """The address book's form (Oscar's, with the US/Canada rules above)."""
