"""sitemap.xml: Wagtail pages, Oscar products and (when the app exists) clinics."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from oscar.core.loading import get_model
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap


class RequestHostMixin:
    """Build absolute URLs from the request's host, like Wagtail's sitemap does, rather than
    from django.contrib.sites' single Site row (which Oscar needs but nobody edits)."""

    def __init__(self, request=None):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        if self.request is not None:
            site = RequestSite(self.request)
            protocol = self.request.scheme
        return super().get_urls(page=page, site=site, protocol=protocol)


class ProductSitemap(RequestHostMixin, Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        Product = get_model("catalogue", "Product")
        return Product.objects.browsable().order_by("pk")

    def lastmod(self, product):
        return product.date_updated


def build_sitemaps(request):
    sitemaps = {"pages": WagtailSitemap(request), "products": ProductSitemap(request)}
    try:
        from clinics.sitemaps import ClinicSitemap
    except ImportError:
        ClinicSitemap = None
    if ClinicSitemap is not None:
        clinic_sitemap = type("RequestClinicSitemap", (RequestHostMixin, ClinicSitemap), {})
        sitemaps["clinics"] = clinic_sitemap(request)
    return sitemaps
