"""Template tags for the site-wide header and footer."""

from django import template
from django.apps import apps
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """The default site's header/footer settings (``SiteChrome``), looked up once per
    request: the header and the footer both show them, and Wagtail's ``{% get_settings
    use_default_site=True %}`` costs two queries each time it is used."""
    request = context.get("request")
    found = getattr(request, "_site_chrome", None)
    if found is not None:
        return found
    SiteChrome = apps.get_model("sitewide", "SiteChrome")
    found = SiteChrome.objects.select_related("site").filter(site__is_default_site=True).first()
    if found is None:  # as Wagtail does: the row is made on first use (one query more)
        found = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    if request is not None:
        request._site_chrome = found
    return found
