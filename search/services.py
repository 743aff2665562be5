"""Write side of site search: keeping the documents in step with the catalogue and the pages,
recording searches that found nothing, and telling every reader of the index that it
changed (the vocabulary in each process, and the page cache's copies of search pages).
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from oscar.core.loading import get_model
from wagtail.models import Page
from wagtail.search import index

from pagecache import signals as pagecache_signals
from pagecache import tags as pagecache_tags

from . import text
from .models import Document, Synonym, ZeroResultQuery

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

GENERATION_KEY = "search:generation"
ARTICLE_MODEL = "blog.articlepage"


def generation():
    """A token that changes whenever the documents or synonyms change: the vocabulary each
    process keeps in memory is rebuilt when it no longer matches (selectors.vocabulary)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def index_changed():
    """After a committed change: a new vocabulary, and the page cache's search pages and
    suggestions render afresh (they carry the ``search`` tag, pagecache/rules.py)."""
    pagecache_signals.after_commit(_new_generation)
    pagecache_signals.invalidate_on_commit({pagecache_tags.SEARCH})


def _new_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


# --- Documents ---------------------------------------------------------------------------


def _flatten(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [part for item in value for part in _flatten(item)]
    if isinstance(value, dict):
        return _flatten(list(value.values()))
    return [strip_tags(str(value))]


def page_text(page):
    """Everything a page's ``search_fields`` name but its title, as Wagtail's own index reads
    it (StreamField and rich text reduced to their searchable content)."""
    parts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            parts.extend(_flatten(field.get_value(page)))
    tags = getattr(page, "tags", None)
    if tags is not None:
        parts.extend(tag.name for tag in tags.all())
    return " ".join(parts)


def _summary(*candidates):
    for candidate in candidates:
        if candidate:
            return Truncator(" ".join(strip_tags(str(candidate)).split())).chars(290)
    return ""


def product_document(product):
    """The fields of a product's document (not saved), or None when it is not for sale."""
    if not product.is_public or product.parent_id is not None:
        return None
    categories = " ".join(category.name for category in product.categories.all())
    body = " ".join([product.upc or "", categories, strip_tags(product.description or "")])
    return {
        "kind": Document.PRODUCT,
        "title": product.get_title()[:255],
        "title_key": text.key(product.get_title())[:400],
        "text_key": text.key(body),
        "summary": _summary(product.description),
        "url": product.get_absolute_url(),
    }


def page_document(page):
    """The fields of a page's document (not saved), or None when visitors cannot search it
    (a draft, the tree's root)."""
    if not page.live or page.depth < 2:
        return None
    page = page.specific
    kind = Document.ARTICLE if page._meta.label_lower == ARTICLE_MODEL else Document.PAGE
    return {
        "kind": kind,
        "title": page.title[:255],
        "title_key": text.key(page.title)[:400],
        "text_key": text.key(page_text(page)),
        "summary": _summary(
            page.search_description, getattr(page, "summary", ""), getattr(page, "intro", "")
        ),
        "url": page.get_url() or "",
    }


def _store(source, fields):
    if fields is None:
        Document.objects.filter(**source).delete()
    else:
        Document.objects.update_or_create(**source, defaults=fields)


def index_product(product):
    _store({"product": product}, product_document(product))
    index_changed()


def index_page(page):
    _store({"page": page}, page_document(page))
    index_changed()


def _indexable_products():
    return Product.objects.prefetch_related(
        Prefetch("categories", queryset=Category.objects.only("id", "name"))
    ).select_related("parent")


@transaction.atomic
def rebuild_index():
    """Every document again (after a bulk import, or ``manage.py rebuild_search_index``)."""
    Document.objects.all().delete()
    documents = []
    for product in _indexable_products().iterator(chunk_size=500):
        fields = product_document(product)
        if fields is not None:
            documents.append(Document(product=product, **fields))
    for page in Page.objects.live().filter(depth__gte=2).specific().iterator(chunk_size=200):
        fields = page_document(page)
        if fields is not None:
            documents.append(Document(page=page, **fields))
    Document.objects.bulk_create(documents, batch_size=500)
    index_changed()
    return len(documents)


def page_changed(page, update_fields=None):
    """A saved page: its document again, unless only draft bookkeeping changed."""
    if update_fields and set(update_fields) <= pagecache_signals.PAGE_DRAFT_FIELDS:
        return
    index_page(page)


# --- Synonyms ----------------------------------------------------------------------------


def save_synonyms(pairs):
    """Create or update synonyms from ``(term, expansion)`` pairs (the demo's vocabulary)."""
    for term, expansion in pairs:
        Synonym.objects.update_or_create(
            term=" ".join(text.words(term)), defaults={"expansion": expansion}
        )
    index_changed()


# --- Searches that found nothing -----------------------------------------------------------


def record_zero_result(query):
    """Count a search that found nothing, by its words (so "Foo!" and "foo" are one row)."""
    normalized = " ".join(text.words(query))[:200]
    if not normalized:
        return
    now = timezone.now()
    updated = ZeroResultQuery.objects.filter(query=normalized).update(
        count=F("count") + 1, last_seen=now
    )
    if not updated:
        ZeroResultQuery.objects.get_or_create(query=normalized, defaults={"last_seen": now})


# --- Suggestion rate limit ------------------------------------------------------------------


class RateLimited(Exception):
    pass


def count_suggestion_request(client_address, limit, window_seconds):
    """Count one suggestion request from ``client_address``; raise RateLimited past
    ``limit`` in the current window (a fixed bucket in the shared cache: no database)."""
    digest = hashlib.sha256((client_address or "unknown").encode()).hexdigest()[:24]
    bucket = int(timezone.now().timestamp()) // window_seconds
    cache_key = f"search:suggest:{digest}:{bucket}"
    if cache.add(cache_key, 1, window_seconds):
        used = 1
    else:
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, window_seconds)
            used = 1
    if used > limit:
        raise RateLimited
