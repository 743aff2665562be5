"""Wagtail pages: record the lists a page type shows, and never share a restricted page."""

from wagtail import hooks
from wagtail.models import PageViewRestriction

from . import tags
from .cache import lookup, set_copy
from .rules import LIST_TAGS_BY_PAGE_TYPE

_RESTRICTED_KEY = "pagecache:restricted-paths"


def restricted_paths():
    """Tree paths of the pages with a view restriction (it covers their descendants).
    Kept in the store: a restriction's save invalidates ``site``; no query per page."""
    paths, clock = lookup(_RESTRICTED_KEY)
    if paths is None:
        with tags.recording(isolated=True):
            restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
            paths = tuple(restricted)
        set_copy(_RESTRICTED_KEY, paths, {tags.SITE}, 24 * 3600, clock)
    return paths


# Before Wagtail's own view-restriction check, which answers with the password or sign-in
# form: neither that form nor the page behind it may be shared between visitors.
@hooks.register("before_serve_page", order=-100)
def record_page(page, request, serve_args, serve_kwargs):
    tags.record(tags.page(page.pk), *LIST_TAGS_BY_PAGE_TYPE.get(page._meta.label_lower, ()))
    source = page.alias_of if page.alias_of_id else page
    if source.path.startswith(restricted_paths() or ("\0",)):
        request.pagecache_never_shared = True
