"""Keep the documents in step: a saved or deleted product or page, a product's categories,
a saved or deleted synonym or category. Documents of deleted rows go with them
(``on_delete=CASCADE``); the vocabulary and the page cache's search copies are told either
way (services.index_changed)."""

from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model
from wagtail.models import Page

from . import services
from .models import Synonym

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")


def _product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_product(instance)


def _category_linked(sender, instance, raw=False, **kwargs):
    # A product is saved before its categories are linked; their names are part of its text.
    if not raw:
        services.index_product(instance.product)


def _page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and isinstance(instance, Page):
        services.page_changed(instance, update_fields=update_fields)


def _changed(sender, **kwargs):
    services.index_changed()


def connect():
    post_save.connect(_product_saved, sender=Product, dispatch_uid="search-product-saved")
    post_delete.connect(_changed, sender=Product, dispatch_uid="search-product-deleted")
    post_save.connect(_category_linked, sender=ProductCategory, dispatch_uid="search-category")
    post_save.connect(_page_saved, dispatch_uid="search-page-saved")
    post_delete.connect(_changed, sender=Page, dispatch_uid="search-page-deleted")
    post_delete.connect(_changed, sender=ProductCategory, dispatch_uid="search-uncategorised")
    # The category facet's names and the synonyms live in each process's lexicon.
    for signal in (post_save, post_delete):
        for model in (Synonym, Category):
            signal.connect(_changed, sender=model, dispatch_uid=f"search-{model}-{signal}")
