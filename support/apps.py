from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Customer support: staff roles, order look-up, refunds and the money-back guarantee."""

    name = "support"
    verbose_name = "Support"

    def ready(self):
        from support import signals  # noqa: F401 - keeps the order search table up to date
