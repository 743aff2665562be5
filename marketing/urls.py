"""Newsletter pages and the product feeds. Included before Wagtail's catch-all."""

from django.urls import path

from . import views

app_name = "marketing"

urlpatterns = [
    path("newsletter/", views.subscribe, name="newsletter-subscribe"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="newsletter-confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="newsletter-unsubscribe"),
    path("feeds/products.xml", views.product_feed_xml, name="product-feed-xml"),
    path("feeds/products.csv", views.product_feed_csv, name="product-feed-csv"),
]
