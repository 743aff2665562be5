"""Content endpoints that are not Wagtail pages. Included before Wagtail's catch-all."""

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.urls import path

from . import views
from .feeds import ArticlesFeed, AtomArticlesFeed
from .sitemaps import build_sitemaps

app_name = "blog"


def sitemap(request):
    return django_sitemap(request, sitemaps=build_sitemaps(request))


urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path("blog/feed/", ArticlesFeed(), name="feed-rss"),
    path("blog/feed/atom/", AtomArticlesFeed(), name="feed-atom"),
    path("blog/comments/<int:page_id>/", views.post_comment, name="post-comment"),
    path("downloads/request/", views.request_download, name="request-download"),
    path("downloads/<str:token>/", views.download, name="download"),
]
