"""Forms for the locator search (page and API share one), the admin's clinic editor and
the clinic CSV import (the upload and the field rules for one row)."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from clinics import geocoding, services
from clinics.models import Service
from clinics.services import ADDRESS_FIELDS

MAX_QUERY_LENGTH = 100
DEFAULT_RADIUS_MILES = 25
MAX_RADIUS_MILES = 500
RADIUS_CHOICES = [
    (10, "10 miles (16 km)"),
    (25, "25 miles (40 km)"),
    (50, "50 miles (80 km)"),
    (100, "100 miles (160 km)"),
    (250, "250 miles (400 km)"),
]
COUNTRY_ALIASES = {
    "US": "US",
    "USA": "US",
    "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US",
    "CA": "CA",
    "CAN": "CA",
    "CANADA": "CA",
}
TRUE_WORDS = {"1", "true", "yes", "y", "active"}
FALSE_WORDS = {"0", "false", "no", "n", "inactive"}


class ClinicSearchForm(forms.Form):
    """What a shopper (or an API client) asks for. Both read the same GET parameters."""

    q = forms.CharField(
        label=_("ZIP code, postal code or city"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": "e.g. 10001, M5V 2T6 or Chicago",
                "autocomplete": "postal-code",
            }
        ),
        error_messages={
            "max_length": _("Search text is too long: at most %(limit_value)d characters.")
        },
    )
    lat = forms.FloatField(
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Latitude must be a number between -90 and 90.")},
    )
    lng = forms.FloatField(
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Longitude must be a number between -180 and 180.")},
    )
    radius = forms.IntegerField(
        label=_("Within"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_MILES,
        widget=forms.Select(choices=RADIUS_CHOICES, attrs={"class": "custom-select"}),
        error_messages={"invalid": _("Radius must be a whole number of miles.")},
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any service"),
        widget=forms.Select(attrs={"class": "custom-select"}),
        error_messages={"invalid_choice": _("We don't know that service.")},
    )
    unit = forms.ChoiceField(
        label=_("Distances in"),
        required=False,
        choices=[("", _("Local unit")), ("mi", _("miles")), ("km", _("kilometres"))],
        widget=forms.Select(attrs={"class": "custom-select custom-select-sm w-auto"}),
        error_messages={"invalid_choice": _("Distances can be in mi or km.")},
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "radius" not in data:
            data = data.copy()
            data["radius"] = DEFAULT_RADIUS_MILES
        super().__init__(data, *args, **kwargs)

    def clean_q(self):
        query = " ".join(self.cleaned_data["q"].split())
        if any(ord(ch) < 32 for ch in query):
            raise forms.ValidationError(_("Search text contains control characters."))
        return query

    def clean_radius(self):
        return self.cleaned_data["radius"] or DEFAULT_RADIUS_MILES

    def clean_page(self):
        return self.cleaned_data["page"] or 1

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        if (
            (lat is None) != (lng is None)
            and not self.has_error("lat")
            and not self.has_error("lng")
        ):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned

    @property
    def has_location(self):
        return self.cleaned_data.get("lat") is not None and self.cleaned_data.get("lng") is not None


class ClinicAdminForm(WagtailAdminModelForm):
    """The snippet editor: an edited address is geocoded again unless its coordinates were
    set by hand.

    Typing coordinates into the form marks them as entered by hand, so a later address
    edit keeps them; untick the box to have the address geocoded again. Validation only
    checks what was typed; the look-up (a network call) is :meth:`locate`, which the admin
    views call once the form is valid (``clinics.wagtail_hooks.LocateBeforeSavingMixin``).
    """

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            self.add_error("longitude" if lng is None else "latitude", "Give both or neither.")
            return cleaned
        coordinates_typed = {"latitude", "longitude"} & set(self.changed_data)
        if coordinates_typed and lat is not None:
            cleaned["coordinates_manual"] = True
        if cleaned.get("coordinates_manual") and lat is not None:
            try:
                services.check_coordinates(lat, lng)
            except ValueError as error:
                self.add_error("latitude", str(error))
        return cleaned

    def locate(self):
        """Give the clinic the coordinates its (valid) address should have. Raises
        ``geocoding.GeocodingError`` when a new or changed address cannot be placed."""
        cleaned = self.cleaned_data
        address_changed = bool(set(ADDRESS_FIELDS) & set(self.changed_data))
        latitude, longitude = services.resolve_coordinates(
            address={field: cleaned.get(field, "") for field in ADDRESS_FIELDS},
            latitude=cleaned.get("latitude"),
            longitude=cleaned.get("longitude"),
            coordinates_manual=cleaned.get("coordinates_manual", False),
            address_changed=address_changed or self.instance._state.adding,
        )
        cleaned["latitude"], cleaned["longitude"] = latitude, longitude
        self.instance.latitude, self.instance.longitude = latitude, longitude


class ClinicImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with a header row; the same columns as the export."),
    )

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it up."))
        return upload


class ClinicRowForm(forms.Form):
    """Field rules for one CSV row (the same limits as the model)."""

    external_id = forms.CharField(max_length=64)
    name = forms.CharField(max_length=255)
    slug = forms.SlugField(max_length=255, required=False)
    address_line1 = forms.CharField(max_length=255)
    address_line2 = forms.CharField(max_length=255, required=False)
    city = forms.CharField(max_length=100)
    region = forms.CharField(max_length=100)
    postal_code = forms.CharField(max_length=10)
    country = forms.CharField()
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    phone = forms.CharField(max_length=32, required=False)
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    services = forms.CharField(required=False)
    hours = forms.CharField(required=False)
    is_active = forms.CharField(required=False)
    staff_notes = forms.CharField(required=False)

    def clean_country(self):
        value = COUNTRY_ALIASES.get(self.cleaned_data["country"].strip().upper())
        if value is None:
            raise forms.ValidationError("Country must be US or CA.")
        return value

    def clean_is_active(self):
        value = self.cleaned_data["is_active"].strip().lower()
        if not value or value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise forms.ValidationError("Use yes or no.")

    def clean_hours(self):
        try:
            return services.parse_hours(self.cleaned_data["hours"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_services(self):
        names = [" ".join(n.split()) for n in self.cleaned_data["services"].split(";")]
        names = sorted({n for n in names if n}, key=str.lower)
        for name in names:
            if len(name) > 100 or not slugify(name):
                raise forms.ValidationError(f"“{name[:40]}” is not a usable service name.")
        return names

    def clean(self):
        cleaned = super().clean()
        country, postal = cleaned.get("country"), cleaned.get("postal_code")
        if country and postal:
            postal = geocoding.normalize_postal_code(postal, country)
            pattern = geocoding.US_ZIP_RE if country == "US" else geocoding.CA_POSTAL_RE
            match = pattern.match(postal)
            if not match or (country == "CA" and not match.group(2)):
                self.add_error("postal_code", f"“{postal}” is not a {country} postal code.")
            cleaned["postal_code"] = postal
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error("latitude", "Give both latitude and longitude, or neither.")
        elif lat is not None and lng is not None:
            try:
                services.check_coordinates(lat, lng)
            except ValueError as error:
                self.add_error("latitude", str(error))
        return cleaned
