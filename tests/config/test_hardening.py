"""Request-level hardening (issue 16): ids beyond the database's range, NUL bytes, the
client's address behind proxies, HSTS switches, media serving and the canonical host."""

import re
import secrets
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import resolve

from config.fields import IdField, coerce_id
from config.media import serve_media
from config.security import client_ip
from tests.config.test_settings import _manage, _setting

BEYOND_INT64 = "9223372036854775808"


# --- Point 4: ids too large for the database ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", f"/blog/comments/{BEYOND_INT64}/"),
        ("post", f"/blog/comments/{'9' * 40}/"),
        ("get", f"/shop/catalogue/device_{BEYOND_INT64}/"),
        ("get", f"/shop/catalogue/category/devices_{BEYOND_INT64}/"),
        ("post", f"/shop/basket/add/{BEYOND_INT64}/"),
        ("get", f"/documents/{BEYOND_INT64}/guide.pdf"),
    ],
)
def test_url_ids_beyond_the_database_range_answer_404_not_500(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 404


@pytest.mark.parametrize("value", [BEYOND_INT64, "-1", "0", "١٢", "1e3", "", "12a"])
def test_id_fields_refuse_values_the_database_cannot_hold(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        IdField().clean(value)
    with pytest.raises(ValueError):
        coerce_id(value)


def test_id_fields_take_the_largest_bigint():
    assert IdField().clean("9223372036854775807") == 2**63 - 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/search/?q=%00", "/shop/search/?q=a%00b", "/clinics/?q=%00", "/?a%00=1"]
)
def test_nul_byte_in_the_query_string_answers_400(client, url):
    assert client.get(url).status_code == 400


# --- Point 9: one function for the client's address --------------------------------------


def _request(remote="10.0.0.1", forwarded=None):
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no trusted proxy: the header is the client's lie
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # a forged entry in front is ignored
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-ip", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip_reads_through_the_trusted_proxies_only(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_axes_and_rate_limits_share_the_client_ip_function(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(_request(forwarded="203.0.113.7")) == "203.0.113.7"


# --- Point 11: HSTS switches --------------------------------------------------------------


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "CACHE_URL": "redis://127.0.0.1:6379/1",  # shared by every process (not contacted)
}


def test_hsts_preload_is_off_by_default_and_a_setting():
    assert _setting("SECURE_HSTS_PRELOAD", **PRODUCTION) == "False"
    assert _setting("SECURE_HSTS_PRELOAD", **PRODUCTION, SECURE_HSTS_PRELOAD="1") == "True"
    assert _setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", **PRODUCTION) == "True"
    assert (
        _setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", **PRODUCTION, SECURE_HSTS_INCLUDE_SUBDOMAINS="0")
        == "False"
    )


@pytest.mark.parametrize("preload", ["0", "1"])
def test_check_deploy_passes_with_preload_on_or_off(preload):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        ALLOWED_HOSTS="shop.example.com",
        SECURE_HSTS_PRELOAD=preload,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preload", "subdomains", "expected"),
    [
        (False, True, "max-age=31536000; includeSubDomains"),
        (True, True, "max-age=31536000; includeSubDomains; preload"),
        (False, False, "max-age=31536000"),
    ],
)
def test_hsts_header_follows_the_settings(client, settings, preload, subdomains, expected):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_PRELOAD = preload
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = subdomains
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == expected


# --- Point 6: media without the debug view -----------------------------------------------


@pytest.fixture
def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "images" / "pad.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (root / "documents" / "guide.pdf").write_bytes(b"%PDF-1.4 private")
    (root / "images" / "page.html").write_text("<script>alert(1)</script>")
    return root


def test_media_is_never_served_by_the_debug_view():
    from django.views.static import serve

    from config import urls

    assert resolve("/media/images/pad.png").func is serve_media
    callbacks = [getattr(pattern, "callback", None) for pattern in urls.urlpatterns]
    assert serve not in callbacks


@pytest.mark.django_db
def test_media_image_is_served(client, media_files):
    response = client.get("/media/images/pad.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("card.format-avif.fill-960x540.avif", "image/avif"),
        ("card.fill-480x270.webp", "image/webp"),
    ],
)
def test_every_rendition_format_the_pages_ask_for_is_served(
    client, media_files, name, content_type
):
    """{% picture %} offers AVIF first: a 404 there is a broken image in Chrome, which does
    not fall back to the next source."""
    (Path(media_files) / "images" / name).write_bytes(b"\x00\x00\x00\x1cftypavif")
    response = client.get(f"/media/images/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "a" * 3000,
        "images/" + "a" * 300 + ".png",
        "documents/guide.pdf",  # Wagtail documents go through their permission check
        "images/page.html",
        "images/../documents/guide.pdf",
        "images/%2e%2e/documents/guide.pdf",
        "images\\pad.png",
        ".htaccess",
        "images/missing.png",
    ],
)
def test_odd_media_paths_answer_404(client, media_files, path):
    assert client.get("/media/" + path).status_code == 404


# --- Point 10: one canonical host ---------------------------------------------------------


CANONICAL = "https://shop.example.com"


@pytest.fixture
def canonical_site(settings, demo):
    settings.SITE_URL = CANONICAL
    return demo


@pytest.mark.django_db
def test_sitemap_uses_the_canonical_host_for_every_entry(client, canonical_site):
    body = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", body)
    assert len(locations) > 10
    assert {loc.split("/")[2] for loc in locations} == {"shop.example.com"}
    assert all(loc.startswith(CANONICAL + "/") for loc in locations)
    assert any("/shop/catalogue/" in loc for loc in locations)
    assert any("/clinics/" in loc for loc in locations)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/blog/feed/", "/blog/feed/atom/", "/feeds/products.xml"])
def test_feeds_use_the_canonical_host(client, canonical_site, url):
    body = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
    hosts = set(re.findall(r"https?://([^/\"<\s]+)/", body))
    hosts -= {"www.w3.org", "base.google.com", "purl.org"}
    assert hosts == {"shop.example.com"}, hosts


@pytest.mark.django_db
def test_pages_canonical_links_and_json_ld_use_the_canonical_host(client, canonical_site):
    from blog.models import ArticlePage

    article = ArticlePage.objects.live().first()
    html = client.get(article.url, HTTP_HOST="127.0.0.1").content.decode()
    assert f'<link rel="canonical" href="{CANONICAL}{article.url}">' in html
    assert "http://localhost" not in html
    assert "http://127.0.0.1" not in html
    robots = client.get("/robots.txt", HTTP_HOST="127.0.0.1").content.decode()
    assert f"Sitemap: {CANONICAL}/sitemap.xml" in robots


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["1e999", "abc", "-1", "99999999999999999999999"])
def test_wagtail_chooser_with_an_impossible_pk_is_not_found(client, pk):
    """Wagtail's generic views take any text as ``pk``; one the model cannot have is a 404."""
    admin = get_user_model().objects.create_superuser("chooser", "c@example.com", "pw-long-1")
    client.force_login(admin)
    assert client.get(f"/cms/images/chooser/chosen/{pk}/").status_code == 404
    assert client.get(f"/cms/documents/chooser/chosen/{pk}/").status_code == 404
