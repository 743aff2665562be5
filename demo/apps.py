from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for local runs and browser tests (``manage.py load_demo``)."""

    name = "demo"
