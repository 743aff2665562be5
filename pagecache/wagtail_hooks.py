"""Wagtail pages: record the lists a page type shows, and never share a restricted page."""

from wagtail import hooks

from . import tags
from .rules import LIST_TAGS_BY_PAGE_TYPE


def mark_never_shared(request):
    request.pagecache_never_shared = True


# Before Wagtail's own view-restriction check, which answers with the password or sign-in
# form: neither that form nor the page behind it may be shared between visitors.
@hooks.register("before_serve_page", order=-100)
def record_page(page, request, serve_args, serve_kwargs):
    tags.record(tags.page(page.pk), *LIST_TAGS_BY_PAGE_TYPE.get(page._meta.label_lower, ()))
    if page.get_view_restrictions():
        mark_never_shared(request)
