from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "shop.tax"
    label = "tax"
    verbose_name = "Sales tax"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from . import signals  # noqa: F401 - gives new product classes the tax class attribute
