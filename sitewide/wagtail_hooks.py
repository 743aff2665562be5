"""The site chrome settings' admin address from when the model lived in the blog app (before
issue 11), redirected to its new one so bookmarks keep working."""

from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks


def _site_chrome(request, pk=None):
    args = ["sitewide", "sitechrome"] + ([pk] if pk is not None else [])
    return redirect(reverse("wagtailsettings:edit", args=args))


# Before Wagtail's own settings URLs, which would answer 404 for the old app label.
@hooks.register("register_admin_urls", order=-1)
def old_blog_addresses():
    return [
        path("settings/blog/sitechrome/", _site_chrome),
        path("settings/blog/sitechrome/<int:pk>/", _site_chrome),
    ]
