"""Site search: the result page and the suggestions the header's search box shows."""

from django.urls import path

from . import views

app_name = "sitesearch"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
]
