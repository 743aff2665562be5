"""What each row shows as, recorded while a page renders and invalidated after a commit.

Rendering: every row of a shown kind loaded while a page renders (``post_init``) adds its
tag to the copy (a product, a category, a Wagtail page, an image, a clinic...), so a copy
knows what it shows without each template saying so.

Changing: a saved or deleted row invalidates its own tags (and, when it could make a new
item appear in a list, that list's tag) *after the transaction commits*, so no request can
render the old data under the new tokens. Rows no page shows invalidate nothing: offer and
voucher usage counters, sent emails, log entries, revisions of drafts, pending comments,
leads, orders. A stock record invalidates its product only when what a shopper sees of it
changes (price, or availability crossing a threshold: see ``availability.py``).

Anything else in an app that pages show and that has no rule here invalidates ``site``
(every copy): over-invalidation costs renders, under-invalidation shows a stale price.
"""

from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from wagtail.models import Page

from . import tags as t
from .availability import shown_stock
from .cache import bump_user_generation, invalidate

# Apps whose rows pages show; a row of these apps with no rule below invalidates ``site``.
SHOWN_APPS = frozenset(
    {
        "catalogue",
        "partner",
        "offer",
        "voucher",
        "reviews",
        "shipping",
        "tax",
        "wagtailcore",
        "wagtailimages",
        "wagtaildocs",
        "taggit",
        "blog",
        "sitewide",
        "clinics",
        "flatpages",
        "sites",
    }
)

# Rows of apps not listed above that every page shows: the tracking ids (Meta Pixel, GA4)
# go into each page's head, so a saved change must reach every cached copy.
SITE_WIDE_MODELS = frozenset({"marketing.trackingsettings"})

# Rows no cached page shows (or that only record use): never invalidate anything.
INVISIBLE_MODELS = frozenset(
    {
        "wagtailimages.rendition",
        "wagtailcore.revision",
        "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry",
        "wagtailcore.pagesubscription",
        "wagtailcore.workflowstate",
        "wagtailcore.taskstate",
        "wagtailcore.workflowpage",
        "wagtailcore.workflowcontenttype",
        "wagtailcore.workflowtask",
        "wagtailcore.workflow",
        "wagtailcore.task",
        "wagtailcore.groupapprovaltask",
        "wagtailcore.comment",
        "wagtailcore.commentreply",
        "wagtailcore.referenceindex",
        "wagtailcore.uploadedfile",
        "wagtailcore.collection",
        "wagtailcore.collectionviewrestriction",
        "wagtailcore.groupcollectionpermission",
        "wagtailcore.grouppagepermission",
        "wagtailcore.pagelocale",
        "wagtaildocs.uploadeddocument",
        "wagtailimages.uploadedimage",
        "voucher.voucherapplication",
        "reviews.vote",
        "blog.lead",
        "clinics.geocodecacheentry",
    }
)

# Rows only their owner sees on shop pages (wish lists, stock alerts): a signed-in customer's
# cached copies of shop pages are keyed by their own generation, bumped by these.
PERSONAL_MODELS = frozenset(
    {
        "wishlists.wishlist",
        "wishlists.line",
        "wishlists.wishlistshareduser",
        "customer.productalert",
    }
)

# Fields that only count use; a save changing nothing else is invisible.
USAGE_FIELDS = {
    "offer.conditionaloffer": {"num_applications", "total_discount", "num_orders"},
    "voucher.voucher": {"num_basket_additions", "num_orders", "total_discount"},
}
# A draft saved in Wagtail updates these on the live page row; visitors see none of them.
PAGE_DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_by",
        "locked_at",
    }
)


def _label(model):
    return model._meta.label_lower


# --- What a row is shown as -------------------------------------------------------------


# Content rows shown on pages, each named by its own tag.
_IDENTITY = {
    "catalogue.product": t.product,
    "catalogue.category": t.category,
    "wagtailimages.image": t.image,
    "wagtaildocs.document": t.document,
    "clinics.clinic": t.clinic,
}
# Snippets shown on pages (comments and leads are snippets too, but have rules of their own).
SHOWN_SNIPPETS = frozenset({"blog.blogcategory"})


def _identity(model, pk):
    """The tag naming one row of a shown kind, or None."""
    if pk is None:
        return None
    if issubclass(model, Page):
        return t.page(pk)
    label = _label(model)
    if label in _IDENTITY:
        return _IDENTITY[label](pk)
    if label in SHOWN_SNIPPETS:
        return t.snippet(label, pk)
    return None


def shown_as(instance):
    """Tags of what ``instance`` shows on a page (recorded when it is loaded in a render)."""
    model = type(instance)
    label = _label(model)
    d = instance.__dict__
    if label == "catalogue.product":
        return {t.product(pk) for pk in (instance.pk, d.get("parent_id")) if pk}
    if label in ("partner.stockrecord", "reviews.productreview", "catalogue.productimage"):
        return {t.product(d.get("product_id"))}
    if label in ("offer.conditionaloffer", "voucher.voucher", "shipping.orderanditemcharges"):
        return {t.OFFERS}
    if label == "blog.articlecomment":
        return {t.page(d.get("page_id"))}
    identity = _identity(model, instance.pk)
    return {identity} if identity else set()


# --- Recording while rendering -----------------------------------------------------------


def _record_loaded(sender, instance, **kwargs):
    _snapshot(instance)
    if t.is_recording() and instance.pk is not None:
        t.record(*shown_as(instance))


_SNAPSHOT_FIELDS = {
    "partner.stockrecord": ("price", "price_currency", "num_in_stock", "num_allocated"),
    "blog.articlecomment": ("status",),
    "clinics.clinic": ("is_active", "latitude", "longitude", "slug"),
}


def _snapshot(instance):
    """Keep the loaded values the save rules compare against (no extra query: only
    fields already loaded)."""
    if instance._state.adding and instance.pk is None:
        return
    label = _label(type(instance))
    d = instance.__dict__
    if issubclass(type(instance), Page):
        d["_pagecache_old"] = {"live": d.get("live"), "path": d.get("path")}
    elif label in USAGE_FIELDS:
        skip = USAGE_FIELDS[label]
        fields = [f.attname for f in type(instance)._meta.concrete_fields]
        d["_pagecache_old"] = {name: d.get(name) for name in fields if name not in skip}
        d["_pagecache_old"]["_usage"] = {name: d.get(name) for name in skip}
    elif label in _SNAPSHOT_FIELDS:
        d["_pagecache_old"] = {name: d.get(name) for name in _SNAPSHOT_FIELDS[label]}


def _old(instance):
    return instance.__dict__.get("_pagecache_old")


# --- Invalidating after a change ------------------------------------------------------------


def _changed(instance, fields):
    old = _old(instance)
    if old is None:
        return True
    return any(old.get(name) != instance.__dict__.get(name) for name in fields)


def _only_usage_changed(instance):
    """A save that changed usage counters (an order used the offer) and nothing else; a
    save that changed nothing at all is someone pressing "save" and counts as an edit."""
    old = _old(instance)
    if old is None or "_usage" not in old:
        return False
    usage_changed = any(
        old["_usage"][name] != instance.__dict__.get(name) for name in old["_usage"]
    )
    others_changed = any(
        old[name] != instance.__dict__.get(name) for name in old if name != "_usage"
    )
    limit = instance.__dict__.get("max_global_applications")
    if limit and instance.__dict__.get("num_applications", 0) >= limit:
        return False  # used up: it stops applying, which baskets show
    return usage_changed and not others_changed


def _stock_tags(instance, created, deleted):
    product_tag = t.product(instance.product_id)
    old = _old(instance)
    if created or deleted or old is None:
        return {product_tag}
    was = (old["price"], old["price_currency"], _shown(old["num_in_stock"], old["num_allocated"]))
    now = (
        instance.price,
        instance.price_currency,
        _shown(instance.num_in_stock, instance.num_allocated),
    )
    return {product_tag} if was != now else set()


def _shown(num_in_stock, num_allocated):
    if num_in_stock is None:
        return None
    return shown_stock(num_in_stock - (num_allocated or 0))


def _page_tags(instance, created, deleted, update_fields):
    if update_fields and set(update_fields) <= PAGE_DRAFT_FIELDS:
        return set()
    tags = {t.page(instance.pk)}
    moved = created or deleted or _changed(instance, ("live", "path"))
    if moved or "live" in (update_fields or ()):
        tags.add(t.LIST_PAGES)
        if _label(type(instance)) == "blog.articlepage":
            tags.add(t.LIST_BLOG)
    return tags


def changed_tags(model, instance, created=False, deleted=False, update_fields=None):
    """The tags a committed save or delete of ``instance`` makes stale."""
    label = _label(model)
    if label in SITE_WIDE_MODELS:
        return {t.SITE}
    if label in INVISIBLE_MODELS or model._meta.app_label not in SHOWN_APPS:
        return set()
    if issubclass(model, Page):
        return _page_tags(instance, created, deleted, update_fields)
    if label in USAGE_FIELDS:
        if update_fields and set(update_fields) <= USAGE_FIELDS[label]:
            return set()
        if not created and not deleted and _only_usage_changed(instance):
            return set()
        return {t.OFFERS}
    if label == "partner.stockrecord":
        return _stock_tags(instance, created, deleted)
    if label == "catalogue.product":
        return shown_as(instance) | {t.LIST_PRODUCTS}
    if label == "catalogue.category":
        return {t.category(instance.pk), t.LIST_PRODUCTS}
    if label in ("catalogue.productcategory",):
        return {t.product(instance.product_id), t.category(instance.category_id), t.LIST_PRODUCTS}
    if label in ("catalogue.productimage", "catalogue.productattributevalue"):
        return {t.product(instance.product_id)}
    if label == "catalogue.productrecommendation":
        return {t.product(instance.primary_id)}
    if label == "reviews.productreview":
        return {t.product(instance.product_id)}
    if model._meta.app_label in ("offer", "voucher", "shipping"):
        return {t.OFFERS}
    if label == "blog.articlecomment":
        old = _old(instance) or {}
        approved = "approved"
        if instance.status == approved or old.get("status") == approved or deleted:
            return {t.page(instance.page_id)}
        return set()
    if label == "clinics.clinic":
        tags = {t.clinic(instance.pk)}
        if created or deleted or _changed(instance, ("is_active", "latitude", "longitude", "slug")):
            tags.add(t.LIST_CLINICS)
        return tags
    if label == "clinics.clinicopeninghours":
        return {t.clinic(instance.clinic_id)}
    if label == "clinics.service":
        return {t.LIST_CLINICS}
    if model._meta.app_label == "taggit" or label == "blog.articlepagetag":
        return {t.LIST_BLOG}
    identity = _identity(model, instance.pk)
    if identity:
        return {identity}
    page_id = _parent_page_id(model, instance)
    if page_id:
        return {t.page(page_id)}
    return {t.SITE}


def _parent_page_id(model, instance):
    """The page a child row (a ParentalKey orderable: featured products...) belongs to."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model and issubclass(field.related_model, Page):
            if getattr(field, "parent_link", False) or field.name == "page_ptr":
                continue
            return instance.__dict__.get(field.attname)
    return None


def after_commit(func):
    """Run ``func`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(func)


def invalidate_on_commit(tags):
    """Invalidate ``tags`` once the current transaction commits (at once outside one)."""
    tags = frozenset(tags)
    if tags:
        after_commit(partial(invalidate, tags))


def _personal(instance):
    owner_id = None
    for attribute in ("owner_id", "user_id"):
        owner_id = owner_id or instance.__dict__.get(attribute)
    if owner_id is None:
        wishlist = getattr(instance, "wishlist", None)  # a wish list's line
        owner_id = getattr(wishlist, "owner_id", None)
    if owner_id:
        after_commit(partial(bump_user_generation, owner_id))


def on_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if _label(sender) in PERSONAL_MODELS:
        _personal(instance)
        return
    invalidate_on_commit(
        changed_tags(sender, instance, created=created, update_fields=update_fields)
    )
    _snapshot(instance)  # a second save in the same request compares with this one


def on_delete(sender, instance, **kwargs):
    if _label(sender) in PERSONAL_MODELS:
        _personal(instance)
        return
    invalidate_on_commit(changed_tags(sender, instance, deleted=True))


def on_m2m(sender, instance, action, model, pk_set=None, **kwargs):
    if not action.startswith("post_"):
        return
    tags = set()
    for row_model, pks in ((type(instance), {instance.pk}), (model, pk_set or ())):
        for pk in pks:
            identity = _identity(row_model, pk)
            if identity:
                tags.add(identity)
    label = _label(sender)
    if "productcategory" in label:
        tags.add(t.LIST_PRODUCTS)
    elif label.startswith("clinics."):
        tags.add(t.LIST_CLINICS)
    elif label.startswith(("taggit.", "blog.")):
        tags.add(t.LIST_BLOG)
    if not tags and sender._meta.app_label in SHOWN_APPS:
        tags.add(t.SITE)
    invalidate_on_commit(tags)


# Models whose loaded rows are recorded on the page being rendered.
RECORDED_MODELS = (
    "catalogue.Product",
    "catalogue.Category",
    "partner.StockRecord",
    "reviews.ProductReview",
    "offer.ConditionalOffer",
    "voucher.Voucher",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "clinics.Clinic",
    "blog.ArticleComment",
)


def connect():
    post_save.connect(on_save, dispatch_uid="pagecache-post-save")
    post_delete.connect(on_delete, dispatch_uid="pagecache-post-delete")
    m2m_changed.connect(on_m2m, dispatch_uid="pagecache-m2m")
    models = {apps.get_model(label) for label in RECORDED_MODELS}
    models |= {model for model in apps.get_models() if issubclass(model, Page)}
    models |= {apps.get_model(label) for label in SHOWN_SNIPPETS}
    for model in models:
        post_init.connect(_record_loaded, sender=model, dispatch_uid=f"pagecache-{model}")
