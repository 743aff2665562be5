from django.contrib.sitemaps import Sitemap

from clinics.models import Clinic


class ClinicSitemap(Sitemap):
    """Every active clinic's page; the project's sitemap.xml includes this section."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Clinic.objects.filter(is_active=True).order_by("pk")

    def lastmod(self, clinic):
        return clinic.updated_at
