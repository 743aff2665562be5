"""The only module that talks to the HTTP front cache (Varnish with the xkey module).

Every Varnish listed in ``HTTP_CACHE_PURGE_URLS`` gets a ``PURGE`` request whose
``xkey-purge`` header names the tags to drop (deploy/varnish/default.vcl). A purge is best
effort: a Varnish that is down or slow costs a warning in the log, never an error for the
editor or shopper whose save caused it, and nothing is lost, because a Varnish that missed a
purge is either empty (restarted) or its copies expire after ``s-maxage``.
"""

import logging
import time
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

# Varnish is reached directly, whatever proxy the environment names for outgoing requests.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Varnish limits a request header to 8 KB by default (http_req_hdr_len): keep well inside it.
MAX_HEADER_CHARS = 4000


def _batches(tags):
    batch, size = [], 0
    for tag in sorted(tags):
        if batch and size + len(tag) + 1 > MAX_HEADER_CHARS:
            yield " ".join(batch)
            batch, size = [], 0
        batch.append(tag)
        size += len(tag) + 1
    if batch:
        yield " ".join(batch)


def _send(url, headers):
    """One PURGE to one Varnish; True when it answered 200. Failures are logged, not raised."""
    # URLs come from settings (HTTP_CACHE_PURGE_URLS), never from a visitor.
    request = urllib.request.Request(url, method="PURGE", headers=headers)  # noqa: S310
    started = time.monotonic()
    try:
        timeout = settings.HTTP_CACHE_PURGE_TIMEOUT
        with _opener.open(request, timeout=timeout) as response:
            answer = response.read(200).decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as error:
        logger.warning("Front cache purge refused by %s: HTTP %s", url, error.code)
        return False
    except (OSError, ValueError) as error:  # refused, unreachable, timed out, bad URL
        logger.warning("Front cache purge failed at %s: %s", url, error)
        return False
    logger.info(
        "Front cache purge at %s (%s): %s in %.0f ms",
        url,
        ", ".join(f"{name}: {value[:200]}" for name, value in headers.items()),
        answer[:120],
        (time.monotonic() - started) * 1000,
    )
    return True


def purge_tags(tags):
    """Drop every cached page tagged with any of ``tags`` at every configured Varnish.

    Returns the number of purge requests that failed (each one logged).
    """
    urls = settings.HTTP_CACHE_PURGE_URLS
    if not urls or not tags:
        return 0
    return sum(not _send(url, {"xkey-purge": header}) for header in _batches(tags) for url in urls)


def purge_everything():
    """Drop every cached page (after a deploy changed templates or static file names).

    Returns the number of purge requests that failed."""
    return sum(not _send(url, {"X-Purge-All": "1"}) for url in settings.HTTP_CACHE_PURGE_URLS)
