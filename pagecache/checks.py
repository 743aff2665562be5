"""Refuse to start a production site whose page cache each process keeps to itself.

With a per-process cache (local memory) every gunicorn worker keeps its own copies and
its own tags: an invalidation made by one worker, a management command or an import never
reaches the others, which go on serving the old price for ``PAGE_CACHE_SECONDS``.
"""

from django.conf import settings

PER_PROCESS_BACKENDS = ("django.core.cache.backends.locmem.LocMemCache",)


def refuse_per_process_cache():
    if settings.DEBUG or settings.PAGE_CACHE_SECONDS <= 0 or settings.PAGE_CACHE_SINGLE_PROCESS:
        return
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_BACKENDS:
        # One line, no traceback: this is a configuration mistake, not a bug.
        raise SystemExit(
            "The page cache needs a cache shared by every process: set CACHE_URL "
            "(e.g. redis://127.0.0.1:6379/1), or PAGE_CACHE_SINGLE_PROCESS=1 if the site "
            "runs as one process, or PAGE_CACHE_SECONDS=0."
        )
