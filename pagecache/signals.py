"""Invalidate the page cache when anything a visitor can see changes.

Saving or deleting any row of the apps below (products, prices and stock, offers, pages and
their revisions, images, documents, comments, clinics, site settings) bumps the cache
generation, so the next request renders afresh. Over-invalidation costs one render;
under-invalidation shows a stale price, which is a bug.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import bump_generation

INVALIDATING_APPS = frozenset(
    {
        "catalogue",
        "partner",
        "offer",
        "reviews",
        "shipping",
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


# Rows written while rendering a page (image renditions made on first view) change nothing
# a visitor sees; counting them would empty the cache on every first view of an image.
IGNORED_MODELS = frozenset({"wagtailimages.rendition"})


def _invalidate_if_visible(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in INVALIDATING_APPS and meta.label_lower not in IGNORED_MODELS:
        bump_generation()


@receiver(post_save, dispatch_uid="pagecache-post-save")
def on_save(sender, **kwargs):
    _invalidate_if_visible(sender, **kwargs)


@receiver(post_delete, dispatch_uid="pagecache-post-delete")
def on_delete(sender, **kwargs):
    _invalidate_if_visible(sender, **kwargs)


@receiver(m2m_changed, dispatch_uid="pagecache-m2m")
def on_m2m(sender, **kwargs):
    _invalidate_if_visible(sender, **kwargs)
