from django.apps import AppConfig


class SitewideConfig(AppConfig):
    """Site-wide pages and settings: home, standard and condition pages, header/footer."""

    name = "sitewide"
    verbose_name = "Site pages"
