"""Content pages edited in the Wagtail admin, their comments and download leads.

Page models read as the editor sees them: fields, panels, search fields, then helpers.
Every page type mixes in ``SeoFields`` so templates/includes/seo.html can render the
title tag, meta description, canonical URL, Open Graph/Twitter card and JSON-LD for any page.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from config.security import canonical_origin

from .blocks import BodyBlock, heading_anchor

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
        verbose_name = "Site chrome"


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
    page = ParentalKey("blog.HomePage", on_delete=models.CASCADE, related_name="featured_products")


class HomePage(SeoFields, Page):
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
    subpage_types = ["blog.BlogIndexPage", "blog.StandardPage", "blog.ConditionPage"]

    def get_context(self, request, *args, **kwargs):
        from .selectors import latest_articles, products_for_display

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


class StandardPage(SeoFields, Page):
    """Guarantee terms, shipping and returns, privacy, contact."""

    intro = models.TextField(blank=True)
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = SeoFields.promote_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    subpage_types = ["blog.StandardPage"]

    def get_meta_description(self):
        return self.search_description or self.intro


class BlogCategory(models.Model):
    """A broad section of the blog ("Back pain", "Living with pain"). Snippet so editors
    manage the list; articles pick any number of them."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = "blog category"
        verbose_name_plural = "blog categories"

    def __str__(self):
        return self.name


class ArticlePageTag(TaggedItemBase):
    """Through model for article tags: a ParentalKey so tags are saved with page revisions.
    https://docs.wagtail.org/en/stable/reference/pages/model_recipes.html#tagging
    """

    content_object = ParentalKey(
        "blog.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BlogIndexPage(SeoFields, Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    promote_panels = SeoFields.promote_panels

    subpage_types = ["blog.ArticlePage"]
    per_page = 10

    def articles(self):
        from .selectors import articles_for_listing

        return articles_for_listing(ArticlePage.objects.live().public().descendant_of(self))

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        tag_slug = request.GET.get("tag", "")
        category_slug = request.GET.get("category", "")
        if tag_slug:
            tag = Tag.objects.filter(slug=tag_slug[:100]).first()
            if tag is None:
                raise Http404("No such tag")
            articles = articles.filter(tags=tag)
            context["current_tag"] = tag
        if category_slug:
            category = BlogCategory.objects.filter(slug=category_slug[:80]).first()
            if category is None:
                raise Http404("No such category")
            articles = articles.filter(categories=category)
            context["current_category"] = category
        paginator = Paginator(articles, self.per_page)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            raise Http404("No such page")
        except EmptyPage:
            raise Http404("No such page")
        context["articles"] = page_obj
        context["paginator"] = paginator
        context["categories"] = BlogCategory.objects.all()
        return context


class ArticlePage(SeoFields, Page):
    summary = models.TextField(
        help_text="One or two sentences for listings, feeds and search results."
    )
    banner_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    banner_alt = models.CharField(
        "banner alt text",
        max_length=200,
        blank=True,
        help_text="Describe the image for people who cannot see it. Required with a banner.",
    )
    author = models.CharField(max_length=120, blank=True)
    date = models.DateField("publish date", default=datetime.date.today)
    categories = ParentalManyToManyField("blog.BlogCategory", blank=True, related_name="+")
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    body = StreamField(BodyBlock(), blank=True)
    comments_open = models.BooleanField(
        default=True,
        help_text="Untick to close comments now. Comments also close automatically some "
        "time after the publish date.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("banner_image"), FieldPanel("banner_alt")], "Banner"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("date"),
                FieldPanel("categories"),
                FieldPanel("tags"),
            ],
            "About this article",
        ),
        FieldPanel("body"),
        FieldPanel("comments_open"),
    ]
    promote_panels = SeoFields.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.banner_image_id and not self.banner_alt.strip():
            raise ValidationError({"banner_alt": "Describe the banner image (alt text)."})

    # Articles with at least this many sections get an "On this page" list.
    TOC_MIN_SECTIONS = 3

    def table_of_contents(self):
        """The body's sections as ``[{"text", "anchor", "subsections": [{"text", "anchor"}]}]``
        (H3 headings under the H2 before them), when there are enough sections to be worth
        a list; the anchors are the headings' own."""
        sections = []
        for block in self.body:
            if block.block_type != "heading":
                continue
            entry = {"text": block.value["text"], "anchor": heading_anchor(block.value)}
            if block.value["level"] == "h3" and sections:
                sections[-1]["subsections"].append(entry)
            else:
                sections.append({**entry, "subsections": []})
        return sections if len(sections) >= self.TOC_MIN_SECTIONS else []

    @property
    def comments_accepted(self):
        """Open unless the editor closed them or the article is older than the limit."""
        if not self.comments_open:
            return False
        days = getattr(settings, "BLOG_COMMENTS_CLOSE_AFTER_DAYS", 365)
        if days and self.date:
            return timezone.localdate() <= self.date + datetime.timedelta(days=days)
        return True

    def approved_comments(self):
        """Top-level approved comments with their approved replies: two queries in all."""
        approved = ArticleComment.objects.filter(status=ArticleComment.Status.APPROVED)
        return (
            approved.filter(page=self, parent__isnull=True)
            .prefetch_related(
                Prefetch("replies", queryset=approved.order_by("created_at"), to_attr="shown")
            )
            .order_by("created_at")
        )

    def get_context(self, request, *args, **kwargs):
        from .forms import CommentForm, LeadForm

        context = super().get_context(request, *args, **kwargs)
        comments = list(self.approved_comments())
        context["comments"] = comments
        context["comment_count"] = sum(1 + len(c.shown) for c in comments)
        context["comment_form"] = getattr(request, "blog_comment_form", None) or CommentForm()
        context["lead_form"] = getattr(request, "blog_lead_form", None) or LeadForm()
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A re-rendered form with errors (see views.post_comment) is a failed submission.
        if getattr(request, "blog_comment_form", None) is not None or getattr(
            request, "blog_lead_form", None
        ):
            response.status_code = 400
        return response

    def get_meta_description(self):
        return self.search_description or self.summary

    def get_social_image(self):
        return self.social_image or self.banner_image

    def json_ld(self, request=None):
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": (self.seo_title or self.title)[:110],
            "description": self.get_meta_description(),
            "mainEntityOfPage": self.get_canonical_url(request),
            "datePublished": self.date.isoformat() if self.date else None,
            "dateModified": (self.last_published_at or timezone.now()).isoformat(),
            "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        }
        if self.author:
            data["author"] = {"@type": "Person", "name": self.author}
        else:
            data["author"] = {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}
        return data


class ConditionPageRecommendedProduct(ProductLink):
    page = ParentalKey(
        "blog.ConditionPage", on_delete=models.CASCADE, related_name="recommended_products"
    )


class ConditionPage(SeoFields, Page):
    """A condition ("Back Pain"): what it is, what helps, articles tagged with it."""

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

    parent_page_types = ["blog.HomePage"]
    subpage_types = []

    def tagged_articles(self):
        from .selectors import articles_tagged

        return articles_tagged(self.tag_name)

    def get_context(self, request, *args, **kwargs):
        from .selectors import products_for_display

        context = super().get_context(request, *args, **kwargs)
        context["tagged_articles"] = self.tagged_articles()[:12]
        context["recommended_products"] = products_for_display(
            request, [link.product_id for link in self.recommended_products.all()]
        )
        return context

    def get_meta_description(self):
        return self.search_description or self.intro


class ArticleComment(models.Model):
    """A reader's comment ("Leave a Reply"), held until a moderator approves it.

    Our own small model rather than django-contrib-comments or Wagtail's editor comments:
    Wagtail's comments are for editors on drafts, and the contrib app brings generic
    relations, its own moderation framework and templates we would override anyway.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="reader_comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one replies to (one level only).",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(help_text="Never shown on the site.")
    text = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    panels = [FieldPanel("status"), FieldPanel("name"), FieldPanel("text")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "comment"

    def __str__(self):
        return f"{self.name} on {self.page.title}: {self.text[:40]}"


class Lead(models.Model):
    """Someone who asked for a download offer. One row per email address: asking again
    updates the page, document, consent and time."""

    email = models.EmailField(unique=True)
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marketing_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    requests = models.PositiveIntegerField(default=1)

    panels = [FieldPanel("email"), FieldPanel("marketing_consent")]

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.email
