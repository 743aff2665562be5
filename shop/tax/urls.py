from django.urls import path

from . import views

app_name = "tax"
urlpatterns = [
    path("dashboard/tax/", views.RateListView.as_view(), name="rate-list"),
    path("dashboard/tax/add/", views.RateCreateView.as_view(), name="rate-create"),
    path("dashboard/tax/<int:pk>/", views.RateUpdateView.as_view(), name="rate-update"),
    path("dashboard/tax/<int:pk>/delete/", views.RateDeleteView.as_view(), name="rate-delete"),
    path("shop/basket/tax-destination/", views.set_destination, name="set-destination"),
]
