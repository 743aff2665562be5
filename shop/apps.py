from django.apps import AppConfig


class ShopConfig(AppConfig):
    """Everything around orders and payment that is this store's own (not an Oscar fork)."""

    name = "shop"
    label = "store"
    verbose_name = "Store"
