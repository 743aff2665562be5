"""Template helpers for content pages: JSON-LD and the SEO block."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from config.security import canonical_url as absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    """A <script type="application/ld+json"> for the page, escaped like json_script so text
    from editors cannot close the script element."""
    data = page.json_ld(context.get("request"))
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    return page.get_canonical_url(context.get("request"))


@register.filter
def absolute(url, request):
    """An absolute URL for a path (image renditions are site-relative)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return absolute_url(url)


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """The default site's header/footer settings (``SiteChrome``), looked up once per
    request: the header and the footer both show them, and Wagtail's ``{% get_settings
    use_default_site=True %}`` costs two queries each time it is used."""
    from django.apps import apps
    from wagtail.models import Site

    request = context.get("request")
    found = getattr(request, "_blog_site_chrome", None)
    if found is not None:
        return found
    SiteChrome = apps.get_model("blog", "SiteChrome")
    found = SiteChrome.objects.select_related("site").filter(site__is_default_site=True).first()
    if found is None:  # as Wagtail does: the row is made on first use (one query more)
        found = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    if request is not None:
        request._blog_site_chrome = found
    return found
