"""Read-side queries for catalogue pages, shaped so a product page costs a fixed number of
queries whatever it shows."""

from django.db.models import Prefetch, prefetch_related_objects
from oscar.core.loading import get_model


def products_for_cards():
    """Products as a product card shows them (class, whether it has options, price,
    availability, image): Oscar's ``base_queryset`` without the prefetches no card reads
    (children, option lists: a card asks the database for those with filters of its own
    anyway), so two prefetch queries per list of products instead of five."""
    Product = get_model("catalogue", "Product")
    return (
        Product.objects.base_queryset()
        .prefetch_related(None)
        .prefetch_related("stockrecords", "images")
    )


def prepare_product_for_page(product):
    """Load what the product page reads from ``product`` more than once (its stock record
    and images: the price, the availability, the gallery, the structured data and the tracking
    event each ask) or row by row (each attribute value's attribute), in three queries."""
    ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
    prefetch_related_objects(
        [product],
        "stockrecords",
        "images",
        Prefetch(
            "attribute_values",
            queryset=ProductAttributeValue.objects.select_related("attribute", "value_option"),
        ),
    )
    return product


def recommended_products(product, limit=6):
    """``product.sorted_recommended_products[:limit]`` (the same products in the same order)
    with what a product card shows loaded for all of them at once: the class, whether it has
    options, the stock record and the images, in four queries instead of five per card."""
    ids = list(product.primary_recommendations.values_list("recommendation_id", flat=True)[:limit])
    if not ids:
        return []
    by_id = products_for_cards().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
