"""Staff two-factor sign-in, under /dashboard/ next to Oscar's dashboard (config/urls.py
includes this module before the dashboard)."""

from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("dashboard/2fa/setup/", views.otp_setup, name="otp-setup"),
    path("dashboard/2fa/", views.otp_verify, name="otp-verify"),
]
