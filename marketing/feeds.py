"""The product catalogue feed for Google Merchant Center and Meta Commerce Manager.

RSS 2.0 with the ``g:`` namespace, or CSV with the same columns:
https://support.google.com/merchants/answer/7052112 (product data specification),
https://www.facebook.com/business/help/120325381656392 (Meta catalogue fields).

Every buyable product is an item: standalone products and the public children of public
parents (a child carries ``item_group_id`` = its parent's id). Prices and stock come from
Oscar's strategy as an anonymous visitor gets them. The rendered feed is kept in the
page cache's store with the tags of the products it shows (and ``list:products``), so the
feed is never staler than the shop's own pages; building it costs a fixed number of queries
however many products there are.
"""

import hashlib
import io
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Q
from django.utils.xmlutils import SimplerXMLGenerator
from oscar.core.loading import get_model

from config.spreadsheet import SafeDictWriter
from pagecache import tags
from pagecache.cache import lookup, set_copy

from .selectors import brand_name, catalogue_id, plain_text, product_offer, strategy_for

Product = get_model("catalogue", "Product")

GOOGLE_NS = "http://base.google.com/ns/1.0"
COLUMNS = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "item_group_id",
)
TITLE_MAX = 150
DESCRIPTION_MAX = 5000
CACHE_SECONDS = 60 * 60 * 6


def _products():
    return (
        Product.objects.filter(is_public=True)
        .exclude(structure=Product.PARENT)
        .filter(Q(parent__isnull=True) | Q(parent__is_public=True))
        .select_related("product_class", "parent", "parent__product_class")
        .prefetch_related("stockrecords", "images", "parent__images")
        .order_by("pk")
    )


def _first_image(product):
    """From prefetched lists: the product's own first image, else its parent's."""
    images = list(product.images.all())
    if not images and product.parent_id:
        images = list(product.parent.images.all())
    return images[0] if images else None


def feed_items(*, base_url, strategy=None):
    """One dict per buyable product with a price, keyed by ``COLUMNS``."""
    strategy = strategy or strategy_for(None)
    brand = brand_name()
    missing_image = urljoin(base_url, settings.MEDIA_URL + settings.OSCAR_MISSING_IMAGE_URL)
    items = []
    for product in _products():
        offer = product_offer(product, strategy)
        if not offer.exists:
            continue
        parent = product.parent if product.parent_id else None
        title = product.get_title()
        description = plain_text(product.description or (parent.description if parent else ""))
        image = _first_image(product)
        items.append(
            {
                "id": catalogue_id(product),
                "title": title[:TITLE_MAX],
                "description": (description or title)[:DESCRIPTION_MAX],
                "availability": "in stock" if offer.in_stock else "out of stock",
                "condition": "new",
                "price": f"{offer.price_text} {offer.currency}",
                "link": urljoin(base_url, product.get_absolute_url()),
                "image_link": urljoin(base_url, image.original.url) if image else missing_image,
                "brand": brand,
                "item_group_id": catalogue_id(parent) if parent else "",
            }
        )
    return items


def render_rss(items, *, base_url):
    out = io.StringIO()
    xml = SimplerXMLGenerator(out, "utf-8")
    xml.startDocument()
    xml.startElement("rss", {"version": "2.0", "xmlns:g": GOOGLE_NS})
    xml.startElement("channel", {})
    xml.addQuickElement("title", f"{settings.OSCAR_SHOP_NAME} products")
    xml.addQuickElement("link", base_url)
    xml.addQuickElement("description", settings.OSCAR_SHOP_TAGLINE)
    for item in items:
        xml.startElement("item", {})
        for column in COLUMNS:
            if item[column]:
                xml.addQuickElement(f"g:{column}", item[column])
        xml.endElement("item")
    xml.endElement("channel")
    xml.endElement("rss")
    return out.getvalue().encode("utf-8")


def render_csv(items):
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(items)
    return out.getvalue().encode("utf-8")


def cached_feed(fmt, *, base_url):
    """The feed as bytes (``fmt`` "xml" or "csv"), from the cache while nothing in the
    catalogue has changed."""
    site = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    key = f"marketing:feed:{fmt}:{site}"
    content, clock = lookup(key)
    if content is None:
        with tags.recording() as shown:
            items = feed_items(base_url=base_url)
        content = render_rss(items, base_url=base_url) if fmt == "xml" else render_csv(items)
        set_copy(key, content, shown | {tags.LIST_PRODUCTS}, CACHE_SECONDS, clock)
    return content
