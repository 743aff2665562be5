"""Tracking events and Product rich results as page data.

Events are not scripts: each is a ``<script type="application/json" data-tracking-event>``
element that static/js/tracking.js reads and sends only if the visitor has consented.
Pages can therefore be cached whole and shared by every anonymous visitor: nothing here
depends on who is looking, only on whether staff configured tracking at all (if not, the
tags render nothing).
"""

from django import template
from django.conf import settings
from django.utils.html import format_html, json_script

from config.jsonscript import script_json
from config.security import canonical_url
from marketing import selectors

register = template.Library()


def _tracking_settings(context):
    return selectors.tracking_settings_for(context.get("request"))


@register.simple_tag(takes_context=True)
def tracking_settings(context):
    return _tracking_settings(context)


@register.simple_tag(takes_context=True)
def tracking_config(context):
    """The ids and script URLs tracking.js needs, as page data."""
    tracking = _tracking_settings(context)
    data = {
        "metaPixelId": tracking.meta_pixel_id,
        "ga4Id": tracking.ga4_measurement_id,
        "metaScriptUrl": settings.META_PIXEL_SCRIPT_URL,
        "ga4ScriptUrl": settings.GA4_SCRIPT_URL,
    }
    return json_script(data, "tracking-config")


def _event(context, name, params, *, event_id=None, once=None, product=None):
    if not _tracking_settings(context).is_enabled:
        return ""
    data = {"event": name, "params": params}
    if event_id:
        data["eventID"] = str(event_id)
    if once:
        data["once"] = once
    if product is not None:
        data["productPk"] = product.pk
    return format_html(
        '<script type="application/json" data-tracking-event>{}</script>', script_json(data)
    )


@register.simple_tag(takes_context=True)
def tracking_event(context, name, **params):
    """Any standard event with simple parameters, e.g. {% tracking_event "Lead" %}."""
    return _event(context, name, params)


@register.simple_tag(takes_context=True)
def view_content_event(context, product):
    """ViewContent for a product page. Also what AddToCart sends when the page's add-to-basket
    form is submitted (tracking.js finds it by the product's pk)."""
    if product is None:
        return ""
    strategy = selectors.strategy_for(context.get("request"))
    params = selectors.product_event_params(product, strategy)
    return _event(context, "ViewContent", params, product=product)


@register.simple_tag(takes_context=True)
def product_tracking_data(context, product):
    """A product's AddToCart parameters without an event, for product cards with their own
    add-to-basket form."""
    if product is None or not _tracking_settings(context).is_enabled:
        return ""
    strategy = selectors.strategy_for(context.get("request"))
    data = {"productPk": product.pk, "params": selectors.product_event_params(product, strategy)}
    return format_html(
        '<script type="application/json" data-tracking-product="{}">{}</script>',
        product.pk,
        script_json(data),
    )


@register.simple_tag(takes_context=True)
def initiate_checkout_event(context, basket):
    """InitiateCheckout, sent once per basket however often checkout pages are shown."""
    if basket is None or not basket.id or basket.is_empty:
        return ""
    params = selectors.basket_event_params(basket)
    return _event(context, "InitiateCheckout", params, once=f"checkout:{basket.id}")


@register.simple_tag(takes_context=True)
def purchase_event(context, order, report):
    """Purchase for the thank-you page. ``report`` is what the view decided before rendering
    (``services.claim_purchase_report_for``): true on the page's first showing only, so a
    refresh carries no event. The browser also refuses an order number it has sent before."""
    if order is None or not report or not _tracking_settings(context).is_enabled:
        return ""
    params = selectors.order_event_params(order)
    return _event(
        context, "Purchase", params, event_id=order.number, once=f"purchase:{order.number}"
    )


@register.simple_tag(takes_context=True)
def product_jsonld(context, product):
    """schema.org Product + Offer (+ AggregateRating) for the product page."""
    if product is None:
        return ""
    request = context.get("request")
    strategy = selectors.strategy_for(request)
    data = selectors.product_structured_data(product, strategy, absolute=canonical_url)
    return format_html('<script type="application/ld+json">{}</script>', script_json(data))
