"""Content-Security-Policy (django-csp): the site's own script files, no inline script at all,
and the few outside origins the settings name (Stripe, the tracking scripts, map tiles, media).

The base policy is ``CONTENT_SECURITY_POLICY`` in settings. The outside origins come from
other settings that tests and deployments change at run time (localstripe on a random
port, local tracking stand-ins), so they are added per response here rather than frozen
into the policy when settings load.

No nonce: a cached page would show every visitor the same one, and anyone who could read it
could run an injected script. Shopper pages therefore carry no inline script (Oscar's page
set-up runs from static/js/oscar-init.js); JSON data islands (`json_script`, JSON-LD) are
not scripts and need no allowance.
"""

from urllib.parse import urlsplit

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

# Where Meta Pixel and Google Analytics send their beacons once a visitor has consented.
TRACKING_BEACON_ORIGINS = (
    "https://www.facebook.com",
    "https://connect.facebook.net",
    "https://*.google-analytics.com",
    "https://*.analytics.google.com",
    "https://*.googletagmanager.com",
)
STRIPE_ORIGINS = ("https://js.stripe.com", "https://*.stripe.com", "https://*.stripe.network")


def _origin(url):
    """``scheme://host[:port]`` of an absolute URL; None for a relative one ('self')."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc
    if "{" in host:  # a tile template such as {s}.tile.example
        return None
    return f"{parts.scheme}://{host}"


def _origins(*urls):
    return sorted({origin for origin in map(_origin, urls) if origin})


def runtime_sources():
    """Directives' extra sources from the current settings."""
    stripe = _origins(settings.STRIPE_JS_URL, settings.STRIPE_API_BASE)
    if not settings.STRIPE_API_BASE:
        stripe += list(STRIPE_ORIGINS)
    tracking = _origins(settings.META_PIXEL_SCRIPT_URL, settings.GA4_SCRIPT_URL)
    tiles = _origins(settings.CLINICS_TILE_URL)
    media = _origins(settings.MEDIA_URL)
    custom_domain = getattr(settings, "AWS_S3_CUSTOM_DOMAIN", None)
    if custom_domain:
        media.append(f"https://{custom_domain}")
    return {
        "script-src": [*stripe, *tracking],
        "connect-src": [*stripe, *tracking, *TRACKING_BEACON_ORIGINS],
        "frame-src": [*stripe],
        "img-src": [*tiles, *media, *tracking, *TRACKING_BEACON_ORIGINS],
    }


def base_policy(report_uri=""):
    """The static part of the policy, for ``CONTENT_SECURITY_POLICY``."""
    directives = {
        "default-src": [SELF],
        "script-src": [SELF],
        # Stripe Elements, Leaflet and Bootstrap set style attributes; styles cannot run code.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return directives


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        update = dict(parts.update or {})
        for directive, sources in runtime_sources().items():
            if sources:
                update[directive] = [*update.get(directive, []), *sources]
        return PolicyParts(parts.config, update, parts.replace, parts.nonce)
