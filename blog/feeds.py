"""RSS and Atom feeds of the blog's newest articles.

Links are the pages' full URLs on the canonical host (SITE_URL, see
blog.seo.SeoFields.get_url_parts), not from django.contrib.sites, so feeds, sitemap and
pages agree on the address.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from config.security import canonical_url

from .models import ArticlePage, BlogIndexPage


class ArticlesFeed(Feed):
    limit = 20
    url_name = "blog:feed-rss"

    def feed_url(self, blog):
        return canonical_url(reverse(self.url_name))

    def get_object(self, request):
        blog = BlogIndexPage.objects.live().public().order_by("path").first()
        if blog is None:
            raise Http404("No blog")
        return blog

    def title(self, blog):
        return f"{blog.title} | ReliefWorks"

    def link(self, blog):
        return blog.get_full_url()

    def description(self, blog):
        return blog.search_description or "Plain-language articles about pain and relief."

    def items(self, blog):
        return (
            ArticlePage.objects.live()
            .public()
            .descendant_of(blog)
            .order_by("-date", "-first_published_at")[: self.limit]
        )

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return article.get_full_url()

    def item_author_name(self, article):
        return article.author or None

    def item_pubdate(self, article):
        return article.first_published_at or timezone.make_aware(
            datetime.datetime.combine(article.date, datetime.time())
        )

    def item_updateddate(self, article):
        return article.last_published_at

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class AtomArticlesFeed(ArticlesFeed):
    feed_type = Atom1Feed
    url_name = "blog:feed-atom"
    subtitle = ArticlesFeed.description
