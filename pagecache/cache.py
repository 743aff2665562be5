"""The store of cached copies (shared pages, per-visitor copies, mini carts) and their tags.

Each copy is kept with the tags of what it shows and the *token* each tag had when it was
rendered. Invalidating a tag gives it a new token, so every copy carrying it stops matching
(the old entries expire by themselves) while every other copy stays warm.

A render that overlaps an invalidation must not be kept: it may have read the data before
the commit and would be stored under the tokens after it. Every invalidation also changes a
*clock*; a render reads the clock before it starts and keeps its copy only if the clock has
not moved when the tokens are read afterwards (one MGET, so the two agree).

Tokens are random and created with ``add()`` when missing, so a token lost to eviction
makes the copies that carried it miss instead of coming back to life.
"""

import hashlib
import uuid

from django.core.cache import cache

from . import tags as tag_names
from .tags import tags_invalidated

CLOCK_KEY = "pagecache:clock"
_TAG_PREFIX = "pagecache:tag:"


def _tag_key(tag):
    return _TAG_PREFIX + tag


def read_clock():
    return cache.get(CLOCK_KEY)


def invalidate(tags):
    """Give each tag a new token (and move the clock), then tell listeners (an HTTP cache
    in front of the site). Call after the change is committed."""
    tags = frozenset(tags)
    if not tags:
        return
    token = uuid.uuid4().hex
    values = {_tag_key(tag): token for tag in tags}
    values[CLOCK_KEY] = token
    cache.set_many(values, None)
    tags_invalidated.send(sender=invalidate, tags=tags)


def clear():
    """Every copy renders afresh: every copy carries the ``site`` tag."""
    invalidate({tag_names.SITE})


def _tokens(tags, clock=None):
    """Current tokens of ``tags`` (created when missing), and the clock read with them."""
    keys = [_tag_key(tag) for tag in tags]
    found = cache.get_many([*keys, CLOCK_KEY])
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found.update(cache.get_many(missing))
    return {tag: found.get(key) for tag, key in zip(tags, keys, strict=True)}, found.get(CLOCK_KEY)


def lookup(key):
    """``(payload, clock)``: the payload kept under ``key`` if every tag it carries is
    unchanged (else None), and the clock to hand to ``set_copy`` after rendering a miss."""
    found = cache.get_many([key, CLOCK_KEY])
    return _valid(found.get(key)), found.get(CLOCK_KEY)


def get_copy(key):
    """The payload kept under ``key`` if every tag it carries is unchanged, else None."""
    return _valid(cache.get(key))


def _valid(entry):
    if entry is None:
        return None
    payload, tokens = entry
    current = cache.get_many([_tag_key(tag) for tag in tokens])
    for tag, token in tokens.items():
        if current.get(_tag_key(tag)) != token:
            return None
    # A fragment kept on its own (a feed, the next offer change) used within a page being
    # rendered: the page shows what the fragment shows.
    tag_names.record(*tokens)
    return payload


def set_copy(key, payload, tags, timeout, clock_before):
    """Keep ``payload`` under ``key`` with ``tags``, unless an invalidation happened since
    ``clock_before`` was read (the render may then show data older than its tokens).
    Returns whether it was kept."""
    if timeout <= 0:
        return False
    tags = sorted(set(tags) | {tag_names.SITE})
    tokens, clock = _tokens(tags)
    if clock != clock_before:
        return False
    cache.set(key, (payload, tokens), timeout)
    return True


def url_key(request, kind="page"):
    raw = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"pagecache:{kind}:{digest}"


def page_key(request):
    return url_key(request)


def _user_generation_key(user_id):
    return f"pagecache:user-generation:{user_id}"


def user_generation(user_id):
    """A customer's own generation: bumped when their wish lists or stock alerts change,
    which only their copies of shop pages show."""
    key = _user_generation_key(user_id)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, None)
        generation = cache.get(key)
    return generation


def bump_user_generation(user_id):
    cache.set(_user_generation_key(user_id), uuid.uuid4().hex, None)


def customer_page_key(request):
    user_id = request.user.pk
    return f"pagecache:customer:{user_id}:{user_generation(user_id)}:{page_key(request)}"
