import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_health_endpoint_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_robots_txt_points_at_sitemap_and_hides_private_areas(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /dashboard/" in body


@pytest.mark.django_db
def test_unknown_url_gets_styled_404(demo, client):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can't find that page" in html
    assert "90 Day Money Back Guarantee" in html  # the site's own header


@pytest.mark.django_db
def test_server_error_gets_styled_500_without_traceback(demo):
    from config import urls

    def boom(request):
        raise RuntimeError("secret internals")

    urls.urlpatterns.insert(0, __import__("django.urls").urls.path("boom/", boom))
    try:
        with override_settings(DEBUG=False):
            client = Client(raise_request_exception=False)
            response = client.get("/boom/")
    finally:
        urls.urlpatterns.pop(0)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_csrf_endpoint_gives_token_and_cookie(client):
    response = client.get("/session/csrf/")
    assert response.status_code == 200
    assert len(response.json()["csrfToken"]) >= 32
    assert "csrftoken" in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("referer", "back_link"),
    [
        ("http://testserver/blog/", 'href="http://testserver/blog/"'),
        ("https://evil.example/phish", None),
        ("javascript:alert(1)", None),
    ],
)
def test_form_without_its_token_gets_a_styled_page_with_what_to_do(referer, back_link):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/newsletter/", {"email": "a@example.com"}, HTTP_REFERER=referer)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send that form again" in html
    assert 'class="site-header' in html or "90 Day Money Back Guarantee" in html
    if back_link:
        assert back_link in html
    else:
        assert "Back to the form" not in html
