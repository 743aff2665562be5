"""What the tracking events, the feed and the rich results say about products and orders.

One id per product everywhere (``catalogue_id``): the ad platforms match the
``content_ids`` of pixel events against the ``id`` column of the catalogue feed.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import unescape

from django.conf import settings
from django.utils.html import strip_tags
from oscar.apps.partner.strategy import Selector
from wagtail.models import Site

from .models import TrackingSettings

SCHEMA_IN_STOCK = "https://schema.org/InStock"
SCHEMA_OUT_OF_STOCK = "https://schema.org/OutOfStock"
SCHEMA_NEW = "https://schema.org/NewCondition"


def catalogue_id(product):
    """The product's UPC (the store's SKU), or its primary key when it has none."""
    return product.upc or str(product.pk)


def brand_name():
    return getattr(settings, "MARKETING_BRAND", "") or settings.OSCAR_SHOP_NAME


def strategy_for(request=None):
    """The request's pricing strategy (set by Oscar's basket middleware), else the default
    one, as an anonymous visitor gets it."""
    strategy = getattr(request, "strategy", None)
    return strategy or Selector().strategy(request=request)


def tracking_settings_for(request=None):
    """The site's TrackingSettings, looked up once per request. Read-only, unlike Wagtail's
    ``for_request`` (which creates the row): every page asks, and a GET should not write."""
    found = getattr(request, "_marketing_tracking_settings", None)
    if found is not None:
        return found
    if request is not None:
        site = Site.find_for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).first()
    found = (TrackingSettings.objects.filter(site=site).first() if site else None) or (
        TrackingSettings()
    )
    if request is not None:
        request._marketing_tracking_settings = found
    return found


@dataclass(frozen=True)
class Offer:
    """A product's price and availability as the strategy gives them to a visitor."""

    price: Decimal | None
    currency: str
    in_stock: bool

    @property
    def exists(self):
        return self.price is not None

    @property
    def price_text(self):
        return f"{self.price:.2f}"


def product_offer(product, strategy):
    info = strategy.fetch_for_parent(product) if product.is_parent else None
    if info is None:
        info = strategy.fetch_for_product(product)
    price = info.price
    if not price.exists:
        return Offer(price=None, currency=settings.OSCAR_DEFAULT_CURRENCY, in_stock=False)
    amount = price.incl_tax if price.is_tax_known else price.excl_tax
    return Offer(
        price=amount.quantize(Decimal("0.01")),
        currency=price.currency or settings.OSCAR_DEFAULT_CURRENCY,
        in_stock=info.availability.is_available_to_buy,
    )


def _money(amount):
    """Event values are JSON numbers (what fbq and gtag expect)."""
    return float(Decimal(amount).quantize(Decimal("0.01")))


def product_event_params(product, strategy):
    """ViewContent / AddToCart parameters for one unit of the product."""
    offer = product_offer(product, strategy)
    params = {
        "content_ids": [catalogue_id(product)],
        "content_type": "product",
        "content_name": product.get_title(),
        "currency": offer.currency,
    }
    if offer.exists:
        params["value"] = _money(offer.price)
    return params


def basket_event_params(basket):
    """InitiateCheckout parameters: what is in the basket and what it costs."""
    lines = list(basket.all_lines())
    total = basket.total_incl_tax if basket.is_tax_known else basket.total_excl_tax
    return {
        "content_ids": [catalogue_id(line.product) for line in lines],
        "contents": [
            {"id": catalogue_id(line.product), "quantity": line.quantity} for line in lines
        ],
        "content_type": "product",
        "num_items": basket.num_items,
        "value": _money(total or 0),
        "currency": basket.currency or settings.OSCAR_DEFAULT_CURRENCY,
    }


def _line_id(line):
    if line.product_id is not None:
        return catalogue_id(line.product)
    return line.upc or line.partner_sku


def order_event_params(order):
    """Purchase parameters. The value is the order total including tax and shipping, as
    the customer paid it."""
    lines = list(order.lines.select_related("product"))
    return {
        "content_ids": [_line_id(line) for line in lines],
        "contents": [{"id": _line_id(line), "quantity": line.quantity} for line in lines],
        "content_type": "product",
        "num_items": sum(line.quantity for line in lines),
        "value": _money(order.total_incl_tax),
        "currency": order.currency,
    }


def product_structured_data(product, strategy, *, absolute):
    """schema.org Product with its Offer, and AggregateRating when approved reviews exist.
    ``absolute`` turns a path into a full URL (request.build_absolute_uri).
    https://developers.google.com/search/docs/appearance/structured-data/product-snippet
    """
    offer = product_offer(product, strategy)
    url = absolute(product.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.get_title(),
        "sku": catalogue_id(product),
        "url": url,
        "brand": {"@type": "Brand", "name": brand_name()},
    }
    description = plain_text(product.description or "")
    if description:
        data["description"] = description
    images = [absolute(image.original.url) for image in product.get_all_images() if image.original]
    if images:
        data["image"] = images
    if offer.exists:
        data["offers"] = {
            "@type": "Offer",
            "url": url,
            "price": offer.price_text,
            "priceCurrency": offer.currency,
            "availability": SCHEMA_IN_STOCK if offer.in_stock else SCHEMA_OUT_OF_STOCK,
            "itemCondition": SCHEMA_NEW,
        }
    if product.rating is not None:
        review_count = product.num_approved_reviews
        if review_count:
            data["aggregateRating"] = {
                "@type": "AggregateRating",
                "ratingValue": round(product.rating, 1),
                "reviewCount": review_count,
                "bestRating": 5,
                "worstRating": 1,
            }
    return data


def plain_text(html):
    """Product descriptions are HTML; feeds and structured data want plain text."""
    return " ".join(unescape(strip_tags(html)).split())
