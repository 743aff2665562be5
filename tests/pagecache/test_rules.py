"""What the page cache never shares, named in one place by URL name; the per-process
cache refusal; view-restricted pages."""

import secrets

import pytest
from django.test import Client
from django.urls import include, path, reverse

from pagecache import rules
from tests.processes import production_manage

ARTICLE = "/blog/what-do-back-spasms-feel-like/"


def _manage(*args, **env):
    return production_manage(*args, drop={"CACHE_URL"}, **env)


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "x.test"}


def test_production_with_a_per_process_cache_refuses_to_start_with_one_line():
    result = _manage("check", **PRODUCTION)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "CACHE_URL" in lines[0], result.stderr


@pytest.mark.parametrize(
    "extra",
    [
        {"CACHE_URL": "redis://127.0.0.1:6379/4"},
        {"PAGE_CACHE_SINGLE_PROCESS": "1"},
        {"PAGE_CACHE_SECONDS": "0"},
        {"DEBUG": "1"},
    ],
)
def test_a_shared_cache_or_a_stated_single_process_starts(extra):
    result = _manage("check", **{**PRODUCTION, **extra})
    assert result.returncode == 0, result.stderr


def test_every_never_shared_name_still_names_a_url():
    for name in rules.NEVER_SHARED_AREAS:
        assert reverse(name)
    assert len(rules._area_prefixes()) == len(rules.NEVER_SHARED_AREAS)


def _never_shared(client, url):
    """Not served from a shared copy, nor sent out as one (the basket page is cached per
    basket, privately)."""
    client.get(url)
    response = client.get(url)
    return (
        response.get("X-Page-Cache") in (None, "miss-basket", "hit-basket")
        and "xkey" not in response
        and "public" not in response.get("Cache-Control", "")
    )


@pytest.mark.django_db
def test_private_areas_are_never_shared(demo, client):
    for name in ("checkout:index", "basket:summary", "wagtailadmin_login", "session-csrf"):
        assert _never_shared(client, reverse(name)), name


# The shop mounted somewhere else: what is never shared moves with it.
def _moved_urlconf():
    from django.apps import apps

    from config import urls

    return [
        path("store/", include(apps.get_app_config("oscar").urls[0])),
        *[p for p in urls.urlpatterns if "shop/" not in str(p.pattern)],
    ]


class MovedShop:
    urlpatterns = _moved_urlconf()


@pytest.mark.django_db
def test_moving_the_shop_mount_keeps_checkout_and_basket_unshared(demo, client, settings):
    settings.ROOT_URLCONF = MovedShop
    rules._area_prefixes.cache_clear()
    try:
        assert reverse("checkout:index") == "/store/checkout/"
        for url in ("/store/checkout/", "/store/basket/", "/store/accounts/login/"):
            assert _never_shared(client, url), url
    finally:
        rules._area_prefixes.cache_clear()


@pytest.mark.django_db
def test_a_password_protected_page_is_never_shared(demo, client):
    from wagtail.models import PageViewRestriction

    from blog.models import ArticlePage

    article = ArticlePage.objects.get(slug="what-do-back-spasms-feel-like")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="sesame"
    )
    form = client.get(ARTICLE)
    assert form.status_code == 200 and "password" in form.content.decode().lower()
    assert client.get(ARTICLE).get("X-Page-Cache") is None
    assert "xkey" not in client.get(ARTICLE)

    reader = Client()
    reader.get(ARTICLE)
    restriction = PageViewRestriction.objects.get(page=article)
    answer = reader.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.id, article.id]),
        {"password": "sesame", "return_url": ARTICLE},
    )
    assert answer.status_code == 302
    for _ in range(2):
        html = reader.get(ARTICLE).content.decode()
        assert "What do back spasms feel like" in html or article.title in html
        assert 'type="password"' not in html

    stranger = Client()
    html = stranger.get(ARTICLE).content.decode()
    assert 'type="password"' in html and "Stretching" not in html
