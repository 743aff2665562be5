"""A reader without JavaScript comments or asks for a download from a cached article (whose
form carries no CSRF token): accepted when the browser says the form came from this site,
refused from anywhere else."""

import pytest
from django.test import Client

from blog.models import ArticleComment

SITE = "http://testserver"


def _browser():
    return Client(enforce_csrf_checks=True)


def _comment(article, **headers):
    data = {"name": "Dana", "email": "dana@example.com", "text": "This helped my back."}
    return _browser().post(f"/blog/comments/{article.pk}/", data, headers=headers)


@pytest.mark.django_db
def test_comment_without_token_from_this_site_is_held_for_moderation(article):
    response = _comment(article, origin=SITE)
    assert response.status_code == 302
    assert ArticleComment.objects.filter(page=article, email="dana@example.com").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{"origin": "https://evil.example"}, {}])
def test_comment_from_another_site_is_refused_and_stores_nothing(article, headers):
    assert _comment(article, **headers).status_code == 403
    assert not ArticleComment.objects.filter(email="dana@example.com").exists()


@pytest.mark.django_db
def test_download_request_without_token_is_judged_by_its_origin(article):
    data = {"email": "reader@example.com", "page": article.pk, "document": 1}
    refused = _browser().post("/downloads/request/", data, headers={"origin": "https://x.example"})
    assert refused.status_code == 403
    accepted = _browser().post("/downloads/request/", data, headers={"origin": SITE})
    assert accepted.status_code != 403
