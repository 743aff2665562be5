"""The site-wide pages and settings live in the sitewide app (issue 11); the blog keeps
its articles. Same tables, same templates, same content type rows."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from wagtail.models import Page, Site

from sitewide.models import ConditionPage, HomePage, SiteChrome, StandardPage


@pytest.mark.django_db
def test_the_site_pages_keep_their_tables_and_templates(content):
    assert HomePage._meta.db_table == "blog_homepage"
    assert SiteChrome._meta.db_table == "blog_sitechrome"
    home = Site.objects.get(is_default_site=True).root_page
    assert isinstance(home.specific, HomePage)
    assert ContentType.objects.get_for_model(HomePage).app_label == "sitewide"
    for model, template in (
        (HomePage, "blog/home_page.html"),
        (StandardPage, "blog/standard_page.html"),
        (ConditionPage, "blog/condition_page.html"),
    ):
        page = model.objects.live().first()
        assert page.get_template(RequestFactory().get("/")) == template


@pytest.mark.django_db
def test_the_old_site_chrome_admin_address_redirects(client, content):
    admin = get_user_model().objects.create_superuser("chrome-admin", "c@example.com", "pw-12345")
    client.force_login(admin)
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/cms/settings/blog/sitechrome/{site.pk}/")
    assert response.status_code == 302
    assert response.url == f"/cms/settings/sitewide/sitechrome/{site.pk}/"
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_every_page_type_is_in_one_app_or_the_other(content):
    labels = {
        type(page.specific)._meta.label for page in Page.objects.filter(depth__gt=1).specific()
    }
    assert labels <= {
        "sitewide.HomePage",
        "sitewide.StandardPage",
        "sitewide.ConditionPage",
        "blog.BlogIndexPage",
        "blog.ArticlePage",
    }
