from django.urls import path

from clinics import views

app_name = "clinics"

urlpatterns = [
    path("clinics/", views.locator, name="locator"),
    path("clinics/<slug:slug>/", views.clinic_detail, name="detail"),
    path("api/clinics/", views.api, name="api"),
]
