"""The search page and the suggestions endpoint: parse the request, call the selectors, render.

Both answer every text (quotes, %, NUL bytes, emoji, 10,000 characters) with a normal page:
the text is cleaned to at most 200 printable characters before anything reads it, and the
database sees it only as bound "contains" parameters (Django escapes % and _).
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from oscar.core.loading import get_class
from oscar.templatetags.currency_filters import currency

from config.security import client_ip

from . import selectors, services, text

get_thumbnailer = get_class("oscar.core.thumbnails", "get_thumbnailer")

PRODUCTS_PER_PAGE = 12
CONTENT_PER_PAGE = 10


def _ids(values):
    return frozenset(int(value) for value in values if value.isdigit() and len(value) < 10)


def filters_from(params):
    bands = {key for key, *_rest in selectors.PRICE_BANDS}
    return selectors.Filters(
        categories=_ids(params.getlist("category")),
        prices=frozenset(value for value in params.getlist("price") if value in bands),
        in_stock=params.get("in_stock") == "1",
        kinds=frozenset(v for v in params.getlist("type") if v in selectors.KIND_LABELS),
    )


def _page_number(params):
    """A page number, 1 for anything that is not one ("abc", "-3", "9" * 40)."""
    value = params.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 6 and int(value) > 0 else 1


def _page(items, per_page, number):
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(number)
    except EmptyPage:
        return paginator.page(paginator.num_pages) if number <= 1 else None


def _without_page(params):
    """The request's parameters but the page number, ready to take ``page=N`` after them."""
    kept = params.copy()
    kept.pop("page", None)
    encoded = kept.urlencode()
    return f"{encoded}&" if encoded else ""


@require_safe
def search(request):
    query = text.clean_query(request.GET.get("q", ""))
    filters = filters_from(request.GET)
    number = _page_number(request.GET)
    context = {"query": query, "filters": filters, "price_bands": selectors.PRICE_BANDS}
    results = None
    if query:
        results = selectors.search_page(query, filters)
        products = _page(results.products, PRODUCTS_PER_PAGE, number)
        content = _page(results.content, CONTENT_PER_PAGE, number)
        if number > 1 and not (products or content):
            raise Http404("No such page of results")
        page_numbers = [p.paginator.num_pages for p in (products, content) if p is not None]
        context.update(
            results=results,
            products=selectors.products_by_id(
                [hit.product_id for hit in products] if products else []
            ),
            content=list(content) if content else [],
            page_number=number,
            page_query=_without_page(request.GET),
            num_pages=max(page_numbers or [1]),
        )
        if results.empty:
            services.record_zero_result(query)
    response = render(request, "search/results.html", context)
    if results is None or results.empty:
        # Zero results are recorded on each search: never served from the page cache.
        patch_cache_control(response, max_age=0)
    return response


def _thumbnail_url(product):
    image = product.primary_image()
    original = getattr(image, "original", None)
    if not original:
        return ""
    try:
        return get_thumbnailer().generate_thumbnail(original, size="96x96").url
    except (OSError, ValueError):
        return ""


def _price(request, product):
    info = request.strategy.fetch_for_product(product)
    if not info.price.exists:
        return ""
    amount = info.price.incl_tax if info.price.is_tax_known else info.price.excl_tax
    return currency(amount, info.price.currency)


@require_safe
def suggest(request):
    limit, window = settings.SEARCH_SUGGEST_RATE_LIMIT
    try:
        services.count_suggestion_request(client_ip(request), limit, window)
    except services.RateLimited:
        response = JsonResponse({"error": "Too many requests"}, status=429)
        response["Retry-After"] = str(window)
        return response
    query = text.clean_query(request.GET.get("q", ""))
    payload = {"query": query, "corrected": "", "products": [], "articles": [], "pages": []}
    if len(query) >= 2:
        found = selectors.suggest(query)
        payload["corrected"] = found.plan.corrected_query
        payload["products"] = [
            {
                "title": product.get_title(),
                "url": product.get_absolute_url(),
                "price": _price(request, product),
                "image": _thumbnail_url(product),
            }
            for product in found.products
        ]
        for name in ("articles", "pages"):
            payload[name] = [{"title": hit.title, "url": hit.url} for hit in getattr(found, name)]
    response = JsonResponse(payload)
    patch_cache_control(response, public=True, max_age=settings.SEARCH_SUGGEST_MAX_AGE)
    return response
