"""sitemap.xml: Wagtail pages, Oscar products and (when the app exists) clinics."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from oscar.core.loading import get_model
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from clinics.sitemaps import ClinicSitemap


class _CanonicalSite:
    """Stands in for django.contrib.sites' Site: only ``domain`` is read by Sitemap."""

    def __init__(self, domain):
        self.domain = domain


class CanonicalHostMixin:
    """Absolute URLs on the canonical host (SITE_URL), as the pages' own URLs are
    (blog.seo.SeoFields.get_url_parts), rather than the request's host or
    django.contrib.sites' single Site row (which Oscar needs but nobody edits)."""

    def __init__(self, request=None):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        parts = urlsplit(settings.SITE_URL)
        return super().get_urls(page=page, site=_CanonicalSite(parts.netloc), protocol=parts.scheme)


class ProductSitemap(CanonicalHostMixin, Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        Product = get_model("catalogue", "Product")
        return Product.objects.browsable().order_by("pk")

    def lastmod(self, product):
        return product.date_updated


def build_sitemaps(request):
    sitemaps = {"pages": WagtailSitemap(request), "products": ProductSitemap(request)}
    clinic_sitemap = type("CanonicalClinicSitemap", (CanonicalHostMixin, ClinicSitemap), {})
    sitemaps["clinics"] = clinic_sitemap(request)
    return sitemaps
