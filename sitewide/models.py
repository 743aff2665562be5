"""Site-wide pages and settings: the header/footer settings (SiteChrome), the home page,
standard pages (guarantee, shipping, privacy, contact) and condition pages.

These pages list the blog's articles and reuse its body blocks, so this app imports the blog
and the blog never imports it. The tables keep their blog_* names (the models moved here from
the blog app, see migrations/0001_initial.py) and the templates their blog/ paths.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from blog.blocks import BodyBlock
from blog.selectors import articles_tagged, latest_articles, products_for_display
from blog.seo import SeoFields

PRODUCT_MODEL = "catalogue.Product"


@register_setting(icon="site")
class SiteChrome(BaseSiteSetting):
    """Header and footer text that staff change without a deploy (Settings > Site chrome)."""

    announcement_text = models.CharField(max_length=120, default="90 Day Money Back Guarantee")
    announcement_url = models.CharField(
        max_length=200, default="/guarantee/", help_text="Where the announcement bar links to."
    )
    phone_label = models.CharField(max_length=40, default="Toll Free:")
    phone_display = models.CharField(
        max_length=40, default="1-877-555-0142", help_text="As shown, e.g. 1-877-555-0142."
    )
    phone_tel = models.CharField(
        max_length=20, default="+18775550142", help_text="For tel: links, digits with +1."
    )
    contact_email = models.EmailField(default="support@reliefworks.example")

    panels = [
        MultiFieldPanel(
            [FieldPanel("announcement_text"), FieldPanel("announcement_url")], "Announcement bar"
        ),
        MultiFieldPanel(
            [FieldPanel("phone_label"), FieldPanel("phone_display"), FieldPanel("phone_tel")],
            "Phone",
        ),
        FieldPanel("contact_email"),
    ]

    class Meta:
        db_table = "blog_sitechrome"
        verbose_name = "Site chrome"


class ProductLink(Orderable):
    """A product an editor picks for a page (featured on the home page, recommended on a
    condition page). Abstract: each page type gets its own table via a ParentalKey.
    https://docs.wagtail.org/en/stable/reference/pages/panels.html#inlinepanel
    """

    product = models.ForeignKey(PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        abstract = True


class HomePageFeaturedProduct(ProductLink):
    page = ParentalKey(
        "sitewide.HomePage", on_delete=models.CASCADE, related_name="featured_products"
    )

    class Meta(ProductLink.Meta):
        db_table = "blog_homepagefeaturedproduct"


class HomePage(SeoFields, Page):
    template = "blog/home_page.html"

    hero_title = models.CharField(max_length=120, default="Drug-free pain relief at home")
    hero_text = models.TextField(blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = RichTextField(blank=True)
    clinic_callout_title = models.CharField(max_length=120, default="Find a clinic near you")
    clinic_callout_text = models.TextField(
        blank=True,
        default="Prefer to try a device with a professional first? Our partner clinics use "
        "the same therapy.",
    )
    guarantee_title = models.CharField(max_length=120, default="90-day money-back guarantee")
    guarantee_text = models.TextField(
        blank=True,
        default="Try any device at home; if it doesn't help, send it back for a full refund.",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")], "Hero"
        ),
        InlinePanel("featured_products", label="Featured products", max_num=6),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("clinic_callout_title"), FieldPanel("clinic_callout_text")],
            "Clinic locator call-out",
        ),
        MultiFieldPanel([FieldPanel("guarantee_title"), FieldPanel("guarantee_text")], "Guarantee"),
    ]
    promote_panels = SeoFields.promote_panels

    max_count = 1
    subpage_types = [
        "blog.BlogIndexPage",
        "sitewide.StandardPage",
        "sitewide.ConditionPage",
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = latest_articles(limit=3)
        context["featured_products"] = products_for_display(
            request, [link.product_id for link in self.featured_products.all()]
        )
        return context

    def get_social_image(self):
        return self.social_image or self.hero_image

    def json_ld(self, request=None):
        return {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": self.get_site().site_name if self.get_site() else self.title,
            "url": self.get_canonical_url(request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": self.get_full_url(request).rstrip("/") + "/search/?q={query}",
                "query-input": "required name=query",
            },
        }

    class Meta:
        db_table = "blog_homepage"


class StandardPage(SeoFields, Page):
    """Guarantee terms, shipping and returns, privacy, contact."""

    template = "blog/standard_page.html"

    intro = models.TextField(blank=True)
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = SeoFields.promote_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    subpage_types = ["sitewide.StandardPage"]

    def get_meta_description(self):
        return self.search_description or self.intro

    class Meta:
        db_table = "blog_standardpage"


class ConditionPageRecommendedProduct(ProductLink):
    page = ParentalKey(
        "sitewide.ConditionPage", on_delete=models.CASCADE, related_name="recommended_products"
    )

    class Meta(ProductLink.Meta):
        db_table = "blog_conditionpagerecommendedproduct"


class ConditionPage(SeoFields, Page):
    """A condition ("Back Pain"): what it is, what helps, articles tagged with it."""

    template = "blog/condition_page.html"

    intro = models.TextField(help_text="A short introduction shown under the title.")
    body = StreamField(BodyBlock(), blank=True)
    tag_name = models.CharField(
        max_length=100,
        help_text='Articles with this tag are listed on the page, e.g. "back pain".',
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("tag_name"),
        InlinePanel("recommended_products", label="Recommended products", max_num=6),
    ]
    promote_panels = SeoFields.promote_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["sitewide.HomePage"]
    subpage_types = []

    def tagged_articles(self):
        return articles_tagged(self.tag_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tagged_articles"] = self.tagged_articles()[:12]
        context["recommended_products"] = products_for_display(
            request, [link.product_id for link in self.recommended_products.all()]
        )
        return context

    def get_meta_description(self):
        return self.search_description or self.intro

    class Meta:
        db_table = "blog_conditionpage"
