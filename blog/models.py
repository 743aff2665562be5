"""Content pages edited in the Wagtail admin, and the header/footer text staff can edit."""

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index


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
        verbose_name = "Site chrome"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title")
    paragraph = blocks.RichTextBlock()
    image = ImageChooserBlock()
    quote = blocks.BlockQuoteBlock()


class HomePage(Page):
    hero_title = models.CharField(max_length=120, default="Drug-free pain relief at home")
    hero_text = models.TextField(blank=True)
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    max_count = 1
    subpage_types = ["blog.BlogIndexPage", "blog.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = (
            ArticlePage.objects.live().public().order_by("-first_published_at")[:3]
        )
        return context


class StandardPage(Page):
    intro = models.TextField(blank=True)
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]


class BlogIndexPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["blog.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.live().public().descendant_of(self).order_by("-first_published_at")
        )
        return context


class ArticlePage(Page):
    summary = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["blog.BlogIndexPage"]
