"""The blog: its index and article pages, categories, tags, reader comments and download
leads. The site-wide pages (home, standard, condition) and settings are in sitewide/.

Page models read as the editor sees them: fields, panels, search fields, then helpers.
Every page type mixes in ``SeoFields`` (blog/seo.py).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock, heading_anchor
from .forms import CommentForm, LeadForm
from .selectors import articles_for_listing
from .seo import SeoFields


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
        return articles_for_listing(ArticlePage.objects.live().public().descendant_of(self))

    def get_context(self, request, *args, **kwargs):
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

    def get_context(self, request, *args, comment_form=None, lead_form=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        comments = list(self.approved_comments())
        context["comments"] = comments
        context["comment_count"] = sum(1 + len(c.shown) for c in comments)
        context["comment_form"] = comment_form or CommentForm()
        context["lead_form"] = lead_form or LeadForm()
        return context

    def serve(self, request, *args, comment_form=None, lead_form=None, **kwargs):
        """``comment_form``/``lead_form``: a submitted form with its errors, passed by
        blog/views.py to show the article again (Wagtail hands them on to get_context)."""
        response = super().serve(
            request, *args, comment_form=comment_form, lead_form=lead_form, **kwargs
        )
        # A re-rendered form with errors (see views.post_comment) is a failed submission.
        if comment_form is not None or lead_form is not None:
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
