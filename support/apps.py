from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Customer support: staff roles, order look-up, refunds and the money-back guarantee."""

    name = "support"
    verbose_name = "Support"
