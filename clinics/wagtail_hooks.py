"""Clinics in the Wagtail admin: one "Clinics" menu with the clinic list, services and
the CSV import/export page.

Clinics use a ``SnippetViewSet`` (list, search, filters, create/edit, history) with
``ClinicAdminForm`` so an edited address is geocoded again unless its coordinates were
entered by hand. https://docs.wagtail.org/en/stable/topics/snippets/customising.html

The look-up happens after the form is valid and before the clinic is saved. An address the
geocoder cannot place (or a geocoder that does not answer) shows the editor the form again
with the reason on the postal code, and nothing is saved: a clinic saved without
coordinates would silently drop off the locator, which no editor expects.
"""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, UpdatedAtColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from clinics import admin_views, geocoding
from clinics.forms import ClinicAdminForm
from clinics.models import Clinic, Service


class LocateBeforeSavingMixin:
    """Geocodes a valid clinic form (``ClinicAdminForm.locate``) before Wagtail saves it."""

    def form_valid(self, form):
        try:
            form.locate()
        except geocoding.GeocodingError as error:
            form.add_error("postal_code", str(error))
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return super().form_valid(form)


class ClinicCreateView(LocateBeforeSavingMixin, CreateView):
    pass


class ClinicEditView(LocateBeforeSavingMixin, EditView):
    pass


class ClinicViewSet(SnippetViewSet):
    model = Clinic
    icon = "site"
    menu_label = "Clinics"
    list_display = [
        "name",
        "city",
        "region",
        "country",
        "postal_code",
        BooleanColumn("is_active", label="Active"),
        UpdatedAtColumn(),
    ]
    list_filter = ["country", "is_active", "coordinates_manual", "services", "region"]
    # Database queries rather than a search index: staff search by name, city, postal
    # code or external id, and the list must reflect an import immediately.
    search_fields = ["name", "city", "postal_code", "external_id", "region"]
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    edit_handler = ObjectList(Clinic.panels, base_form_class=ClinicAdminForm)
    add_view_class = ClinicCreateView
    edit_view_class = ClinicEditView


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "tag"
    menu_label = "Services"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_import(request.user)


class ClinicImportViewSet(ViewSet):
    name = "clinic_import"
    icon = "upload"
    menu_label = "Import / export CSV"
    url_prefix = "clinics/import"

    @property
    def menu_item_class(self):
        return ImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.import_clinics_view, name="index"),
            path("export/", admin_views.export_clinics_view, name="export"),
        ]


class ClinicsGroup(SnippetViewSetGroup):
    items = (ClinicViewSet, ServiceViewSet, ClinicImportViewSet)
    menu_icon = "site"
    menu_label = "Clinics"
    menu_name = "clinics"


register_snippet(ClinicsGroup)
