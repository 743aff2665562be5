"""Keys and the generation counter of the whole-page cache.

Every cached page key contains the current *generation*; bumping it makes every cached
page unreachable at once (the old entries expire by themselves). Content changes are rare
next to page views, so a site-wide bump is simpler and safer than tracking which pages
show which product, price or comment.
"""

import hashlib
import uuid

from django.core.cache import cache

GENERATION_KEY = "pagecache:generation"


def _generation(key):
    generation = cache.get(key)
    if generation is None:
        generation = uuid.uuid4().hex
        # add() so two processes starting together agree on one generation.
        cache.add(key, generation, None)
        generation = cache.get(key, generation)
    return generation


def current_generation():
    return _generation(GENERATION_KEY)


def bump_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def page_key(request):
    raw = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"pagecache:page:{current_generation()}:{digest}"


def _user_generation_key(user_id):
    return f"pagecache:user-generation:{user_id}"


def user_generation(user_id):
    """A customer's own generation: bumped when their wish lists or stock alerts change,
    which only their copies of shop pages show."""
    return _generation(_user_generation_key(user_id))


def bump_user_generation(user_id):
    cache.set(_user_generation_key(user_id), uuid.uuid4().hex, None)


def customer_page_key(request):
    user_id = request.user.pk
    return f"pagecache:customer:{user_id}:{user_generation(user_id)}:{page_key(request)}"
