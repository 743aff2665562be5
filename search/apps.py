from django.apps import AppConfig


class SiteSearchConfig(AppConfig):
    """Site search (selectors.py, services.py). Labelled ``sitesearch``: Oscar's own search
    app (forked as shop/search for the catalogue listings) already has the label ``search``."""

    name = "search"
    label = "sitesearch"
    verbose_name = "Site search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
