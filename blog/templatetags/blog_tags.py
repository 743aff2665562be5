"""Template helpers for content pages: JSON-LD and the SEO block."""

from django import template
from django.utils.safestring import mark_safe

from config.jsonscript import script_json
from config.security import canonical_url as absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    """A <script type="application/ld+json"> for the page, escaped like json_script so text
    from editors cannot close the script element."""
    data = page.json_ld(context.get("request"))
    return mark_safe(f'<script type="application/ld+json">{script_json(data)}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    return page.get_canonical_url(context.get("request"))


@register.filter
def absolute(url, request):
    """An absolute URL for a path (image renditions are site-relative)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return absolute_url(url)
