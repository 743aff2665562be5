"""Oscar's Django-admin pages for offer conditions and benefits, made to refuse a row that has
neither a known type nor a loadable proxy class.

Oscar's admin saves such a row and then fails to name it (``str()`` raises "Unrecognised
benefit type") while logging the addition: a 500, found by tests/config/test_sweep.py.
The dashboard's own offer forms always set a type.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from oscar.apps.offer.utils import load_proxy
from oscar.core.loading import get_model

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")


class OfferPartForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        model = self._meta.model
        proxy_class = data.get("proxy_class")
        if proxy_class:
            try:
                proxy = load_proxy(proxy_class)
            except (ImproperlyConfigured, ValueError):
                proxy = None
            if not (isinstance(proxy, type) and issubclass(proxy, model)):
                raise ValidationError({"proxy_class": f"Not a {model._meta.verbose_name} class."})
        elif data.get("type") not in model().proxy_map:
            raise ValidationError({"type": "Choose a type."})
        return data


def _checked(model):
    registered = admin.site._registry.get(model)
    if registered is None:
        return
    admin.site.unregister(model)
    form = type(
        f"{model.__name__}AdminForm",
        (OfferPartForm,),
        {"Meta": type("Meta", (), {"model": model, "fields": "__all__"})},
    )
    admin.site.register(model, type(type(registered).__name__, (type(registered),), {"form": form}))


_checked(Benefit)
_checked(Condition)
