"""The one list of what the page cache never shares, and the lists each view shows.

Everything is named by URL name, never by path: moving a mount in ``config/urls.py`` moves
the rule with it.
"""

from functools import cache

from django.urls import NoReverseMatch, reverse

from . import tags as t

# Whole areas, by the URL name of their root: nothing mounted at or below it is shared.
NEVER_SHARED_AREAS = ("wagtailadmin_home", "admin:index", "dashboard:index")
# Namespaces, every view in them: the visitor's own basket, checkout, account, wish lists,
# returns.
NEVER_SHARED_NAMESPACES = frozenset(
    {"admin", "dashboard", "basket", "checkout", "customer", "wishlists", "support"}
)
# Single views.
NEVER_SHARED_VIEWS = frozenset({"healthz", "session-csrf", "wagtaildocs_serve"})

# Shop views that show a signed-in customer their own wish lists and stock alerts: each
# customer gets their own cached copy of them.
CUSTOMER_COPY_NAMESPACES = frozenset({"catalogue", "search", "offer"})

# "A new one would appear here": the list tags of views that list things.
LIST_TAGS_BY_VIEW = {
    "catalogue:index": {t.LIST_PRODUCTS},
    "catalogue:category": {t.LIST_PRODUCTS},
    "search:search": {t.LIST_PRODUCTS},
    "offer:list": {t.OFFERS},
    "offer:detail": {t.OFFERS, t.LIST_PRODUCTS},
    "clinics:locator": {t.LIST_CLINICS},
    "clinics:api": {t.LIST_CLINICS},
    "sitesearch:search": {t.LIST_BLOG, t.LIST_PRODUCTS, t.LIST_PAGES, t.SEARCH},
    "sitesearch:suggest": {t.LIST_BLOG, t.LIST_PRODUCTS, t.LIST_PAGES, t.SEARCH},
    "blog:sitemap": {t.LIST_BLOG, t.LIST_PRODUCTS, t.LIST_PAGES, t.LIST_CLINICS},
    "blog:feed-rss": {t.LIST_BLOG},
    "blog:feed-atom": {t.LIST_BLOG},
    "marketing:product-feed-xml": {t.LIST_PRODUCTS},
    "marketing:product-feed-csv": {t.LIST_PRODUCTS},
}
# The same for Wagtail page types that list other pages.
LIST_TAGS_BY_PAGE_TYPE = {
    "sitewide.homepage": {t.LIST_BLOG},
    "blog.blogindexpage": {t.LIST_BLOG},
}


@cache
def _area_prefixes():
    prefixes = []
    for name in NEVER_SHARED_AREAS:
        try:
            prefixes.append(reverse(name))
        except NoReverseMatch:
            continue
    return tuple(prefixes)


def in_never_shared_area(path):
    return path.startswith(_area_prefixes())


def never_shared(request, match):
    """Whether the page at ``request`` (resolved as ``match``) must never be shared."""
    if in_never_shared_area(request.path_info):
        return True
    if match is None:
        return False
    return match.view_name in NEVER_SHARED_VIEWS or bool(
        NEVER_SHARED_NAMESPACES.intersection(match.namespaces)
    )


def list_tags(match):
    return LIST_TAGS_BY_VIEW.get(match.view_name, set()) if match is not None else set()
