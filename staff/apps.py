from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff accounts and sign-in security: roles (groups), failed-login limits (axes),
    two-factor sign-in and who may open the dashboard. No models of its own."""

    name = "staff"
    verbose_name = "Staff"
