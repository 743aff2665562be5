"""Invalidate the page cache when anything a visitor can see changes.

Saving or deleting any row of the apps below (products, prices and stock, offers and
vouchers, sales tax rates, pages and their revisions, images, documents, comments, clinics,
site settings) bumps the cache generation, so the next request renders afresh.
Over-invalidation costs one render; under-invalidation shows a stale price, which is a bug.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import bump_generation, bump_user_generation

INVALIDATING_APPS = frozenset(
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
        "wagtailredirects",
        "taggit",
        "blog",
        "clinics",
        "flatpages",
    }
)


# Rows written while rendering a page (image renditions made on first view, geocoder answers
# cached on a clinic search) change nothing a visitor sees; counting them would empty the
# cache on every first view of an image or every new search.
IGNORED_MODELS = frozenset({"wagtailimages.rendition", "clinics.geocodecacheentry"})


# Rows only their owner sees on shop pages (wish lists, stock alerts): a signed-in customer's
# cached copies of shop pages are keyed by their own generation, bumped by these.
PERSONAL_APPS = frozenset({"wishlists", "customer"})


def _owner_id(instance):
    for attribute in ("owner_id", "user_id"):
        if getattr(instance, attribute, None):
            return getattr(instance, attribute)
    wishlist = getattr(instance, "wishlist", None)  # a wish list's line
    return getattr(wishlist, "owner_id", None)


def _invalidate_if_visible(sender, instance=None, **kwargs):
    meta = sender._meta
    if meta.app_label in INVALIDATING_APPS and meta.label_lower not in IGNORED_MODELS:
        bump_generation()
    elif meta.app_label in PERSONAL_APPS:
        owner_id = _owner_id(instance) if instance is not None else None
        if owner_id:
            bump_user_generation(owner_id)
        else:
            bump_generation()  # whose it is is unknown: everyone's pages render afresh


@receiver(post_save, dispatch_uid="pagecache-post-save")
def on_save(sender, **kwargs):
    _invalidate_if_visible(sender, **kwargs)


@receiver(post_delete, dispatch_uid="pagecache-post-delete")
def on_delete(sender, **kwargs):
    _invalidate_if_visible(sender, **kwargs)


@receiver(m2m_changed, dispatch_uid="pagecache-m2m")
def on_m2m(sender, **kwargs):
    _invalidate_if_visible(sender, **kwargs)
