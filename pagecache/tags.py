"""Tags: short, header-ready keys naming what a cached copy of a page shows.

Each cached copy records the tags of what it rendered; a committed change invalidates only
the copies carrying the changed tags. The same keys go out in the ``xkey`` response header
for an HTTP cache in front of the site, which listens to ``tags_invalidated``.

Vocabulary (no spaces, safe in a header):

- ``p:<id>``       a product (its page, and any page showing its title, price or availability)
- ``cat:<id>``     a catalogue category
- ``w:<id>``       a Wagtail page (its own page and every page listing or linking it)
- ``img:<id>``, ``doc:<id>``  a Wagtail image or document
- ``snip:<app.model>:<id>``   a snippet or other content row shown on pages
- ``cl:<id>``      a clinic
- ``offers``       offers, vouchers and shipping charges (basket totals, offer pages)
- ``site``         site-wide settings, header and footer: every copy carries it
- ``list:products``, ``list:blog``, ``list:clinics``, ``list:pages``: "a new one would
  appear here" (listings, search, home page, sitemap)
- ``search``       what site search finds beyond the rows it shows: its index and the
  synonyms staff edit (search pages and suggestions)
"""

import contextlib
import contextvars

import django.dispatch

# Sent after the transaction that changed the data commits (never before), with the keyword
# ``tags``: a frozenset of the tags above.
tags_invalidated = django.dispatch.Signal()

SITE = "site"
OFFERS = "offers"
LIST_PRODUCTS = "list:products"
LIST_BLOG = "list:blog"
LIST_CLINICS = "list:clinics"
LIST_PAGES = "list:pages"
SEARCH = "search"


def product(pk):
    return f"p:{pk}"


def category(pk):
    return f"cat:{pk}"


def page(pk):
    return f"w:{pk}"


def clinic(pk):
    return f"cl:{pk}"


def image(pk):
    return f"img:{pk}"


def document(pk):
    return f"doc:{pk}"


def snippet(label_lower, pk):
    return f"snip:{label_lower}:{pk}"


# --- Recording what a render shows ---------------------------------------------------------

_recording = contextvars.ContextVar("pagecache_recording", default=None)


@contextlib.contextmanager
def recording(isolated=False):
    """Collect the tags of everything loaded or named while the block runs (a render).
    A recording inside another (a cached fragment rendered within a page) also adds its
    tags to the outer one, unless ``isolated``."""
    outer = _recording.get()
    collected = set()
    token = _recording.set(collected)
    try:
        yield collected
    finally:
        _recording.reset(token)
        if outer is not None and not isolated:
            outer.update(collected)


def record(*tags):
    """Note that the page being rendered shows ``tags`` (no-op outside a render)."""
    collected = _recording.get()
    if collected is not None:
        collected.update(tag for tag in tags if tag)


def is_recording():
    return _recording.get() is not None
