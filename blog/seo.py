"""The SEO and social fields every page type mixes in (the blog's and the site-wide ones), so
templates/includes/seo.html can render the title tag, meta description, canonical URL, Open
Graph/Twitter card and JSON-LD for any page.

Here rather than in sitewide/ because the blog's pages need it and the blog sits below the
site-wide pages (the home and condition pages list articles): sitewide imports blog, never
the reverse.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from config.security import canonical_origin


class SeoFields(models.Model):
    """SEO and social fields on every page type.

    Wagtail's own ``seo_title`` (title tag) and ``search_description`` (meta description) are
    kept; this adds a canonical URL override and the image used for Open Graph/Twitter cards.
    """

    canonical_url = models.URLField(
        blank=True,
        help_text="Only when this content's main copy lives at another address; "
        "leave blank to use this page's own URL.",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared (Open Graph and Twitter card), 1200x630 works "
        "best. Falls back to the page's banner image.",
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("canonical_url"),
                FieldPanel("social_image"),
            ],
            "Search engines and social media",
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], "Menus"),
    ]

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def get_meta_description(self):
        return self.search_description or getattr(self, "summary", "") or ""

    def get_social_image(self):
        return self.social_image

    def get_url_parts(self, request=None):
        """Full URLs (sitemap, feeds, canonical links, JSON-LD) on the one canonical host
        from SITE_URL, not the Wagtail Site row's hostname and port."""
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, _root_url, page_path = parts
        return site_id, canonical_origin(), page_path

    def get_canonical_url(self, request=None):
        return self.canonical_url or self.get_full_url(request)

    def json_ld(self, request=None):
        return {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": self.seo_title or self.title,
            "description": self.get_meta_description(),
            "url": self.get_canonical_url(request),
        }
