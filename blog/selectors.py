"""Read-side queries for content pages, shaped so listings cost a fixed number of queries."""

from django.apps import apps
from django.db.models import Prefetch
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from shop.selectors import products_for_cards

# Exactly the renditions {% picture %} asks for in blog/includes/article_card.html. Wagtail
# trusts a prefetch completely: a spec missing from it is not looked up but generated again
# (six AVIF/WebP/JPEG encodes per card on every uncached render), so keep the two in step.
LISTING_RENDITIONS = Filter.expand_spec("format-{avif,webp,jpeg}|fill-{480x270,960x540}")


def _article_model():
    # Looked up in the app registry (as Oscar's models are below): the page models use these
    # selectors, so this module does not import them.
    return apps.get_model("blog", "ArticlePage")


def articles_for_listing(queryset):
    """Articles newest first, with the card's banner renditions prefetched. Cards show no
    body: leaving the StreamField JSON out halves the cost of sorting the articles."""
    Image = get_image_model()
    return (
        queryset.order_by("-date", "-first_published_at")
        .defer("body")
        .prefetch_related(
            Prefetch(
                "banner_image", queryset=Image.objects.prefetch_renditions(*LISTING_RENDITIONS)
            ),
        )
    )


def latest_articles(limit=3):
    ArticlePage = _article_model()
    return articles_for_listing(ArticlePage.objects.live().public())[:limit]


def products_for_display(request, product_ids):
    """Products in the given order with their purchase info from the request's strategy.

    Stock records and images are prefetched, so pricing each product costs no further
    queries.
    """
    by_id = products_for_cards().filter(is_public=True).in_bulk(product_ids)
    products = []
    for product_id in product_ids:
        product = by_id.get(product_id)
        if product is not None:
            products.append(product)
    return products


def _ids_tagged(tags):
    """Article ids carrying any of ``tags`` (a Tag filter), as a subquery: joining the tags
    and taking DISTINCT rows compared whole page rows, bodies included (the costliest query
    of an article page)."""
    return (
        apps.get_model("blog", "ArticlePageTag").objects.filter(**tags).values("content_object_id")
    )


def related_articles(page, chosen, limit=3):
    """The chosen articles (live only), or else live articles sharing the page's tags."""
    ArticlePage = _article_model()
    if chosen:
        ids = [article.pk for article in chosen][:limit]
        by_id = ArticlePage.objects.live().public().in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]
    if page is None or not isinstance(page, ArticlePage):
        return []
    tag_ids = list(page.tags.values_list("pk", flat=True))
    if not tag_ids:
        return []
    # Titles and summaries only (blog/blocks/related_articles.html): no banner renditions.
    return list(
        ArticlePage.objects.live()
        .public()
        .filter(pk__in=_ids_tagged({"tag_id__in": tag_ids}))
        .exclude(pk=page.pk)
        .order_by("-date", "-first_published_at")
        .defer("body")[:limit]
    )


def articles_tagged(tag_name):
    """Live articles tagged ``tag_name`` (any case), newest first, ready for cards."""
    return articles_for_listing(
        _article_model()
        .objects.live()
        .public()
        .filter(pk__in=_ids_tagged({"tag__name__iexact": tag_name}))
    )
