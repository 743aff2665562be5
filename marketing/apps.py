from django.apps import AppConfig


class MarketingConfig(AppConfig):
    """Tracking with consent, the newsletter, the product feed and Product rich results."""

    name = "marketing"
    verbose_name = "Marketing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401 - connects the page-cache invalidation
