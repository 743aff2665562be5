"""Template helpers for the catalogue pages (templates/oscar/catalogue/)."""

from django import template

from shop import selectors

register = template.Library()


@register.simple_tag
def prepare_product_page(product):
    """Prefetch what the product page reads repeatedly; renders nothing."""
    selectors.prepare_product_for_page(product)
    return ""


@register.simple_tag
def recommended_products(product, limit=6):
    return selectors.recommended_products(product, limit)
