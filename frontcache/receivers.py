"""Purge the front cache when the page cache says which tags changed."""

from . import purge


def purge_invalidated_tags(sender, tags, **kwargs):
    """``pagecache.tags.tags_invalidated`` is sent after commit, so Varnish never fetches a
    page again before the change is visible to the application."""
    purge.purge_tags(tags)
