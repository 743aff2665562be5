from django import forms

from .models import MAX_RATE, TaxRate
from .providers import Destination
from .regions import normalise_postcode, region_choices, region_from_postcode


class TaxRateForm(forms.ModelForm):
    """A rate row as a shop manager edits it: every refusal says what to change."""

    class Meta:
        model = TaxRate
        fields = [
            "country",
            "region",
            "postcode_prefix",
            "name",
            "rate",
            "shipping_taxable",
            "source",
        ]
        error_messages = {
            "rate": {
                "max_value": f"Enter a rate from 0 to {MAX_RATE} percent (e.g. 4 or 9.975).",
                "min_value": f"Enter a rate from 0 to {MAX_RATE} percent (e.g. 4 or 9.975).",
                "invalid": "Enter the rate as a number of percent, e.g. 4 or 9.975.",
                "max_decimal_places": "Use at most three decimal places (e.g. 9.975).",
            }
        }

    def clean_postcode_prefix(self):
        prefix = normalise_postcode(self.cleaned_data.get("postcode_prefix"))
        if prefix and not (prefix.isascii() and prefix.isalnum()):
            raise forms.ValidationError("Use only the letters and digits a postcode starts with.")
        return prefix

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        region = (cleaned.get("region") or "").strip().upper()
        prefix = cleaned.get("postcode_prefix") or ""
        name = " ".join((cleaned.get("name") or "").split())
        cleaned["region"], cleaned["name"] = region, name
        if country and region and name:
            duplicate = TaxRate.objects.filter(
                country=country, region=region, postcode_prefix=prefix, name__iexact=name
            ).exclude(pk=self.instance.pk)
            if duplicate.exists():
                where = f"postcodes starting {prefix}" if prefix else "the whole region"
                raise forms.ValidationError(
                    f"{country} {region} already has a “{name}” rate for {where}. "
                    "Edit that row instead of adding another."
                )
        return cleaned

    def validate_unique(self):
        # Checked in clean() with a message that says which row to edit.
        pass


class DestinationForm(forms.Form):
    """The basket page's "Estimate tax for" chooser: a state or province, or a ZIP or
    postal code (which also picks a local rate)."""

    region = forms.ChoiceField(
        required=False,
        choices=[("", "Choose a state or province")] + region_choices(),
        widget=forms.Select(
            attrs={"id": "id_tax_region", "class": "form-control form-control-sm mr-2"}
        ),
    )
    postcode = forms.CharField(
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={
                "id": "id_tax_postcode",
                "class": "form-control form-control-sm mr-2",
                "size": 8,
                "placeholder": "ZIP / postal code",
                "autocomplete": "postal-code",
            }
        ),
    )

    def clean(self):
        cleaned = super().clean()
        postcode = normalise_postcode(cleaned.get("postcode"))
        if cleaned.get("region"):
            country, region = cleaned["region"].split("-", 1)
        else:
            country = "CA" if postcode[:1].isalpha() else "US"
            region = region_from_postcode(country, postcode)
        if not region:
            raise forms.ValidationError("Choose the state or province you are shipping to.")
        cleaned["destination"] = (country, region, postcode)
        return cleaned

    def destination(self):
        return Destination(*self.cleaned_data["destination"])
