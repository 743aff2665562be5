"""Site search with hostile queries, and the comment and guide rate limits (issue 16 and
issue 12): only accepted posts count, per visitor, through the trusted proxies."""

import pytest
from django.urls import reverse

from blog.models import ArticleComment

MARKER = '"><img src=x onerror=alert(1)>'


HOSTILE_QUERIES = [
    '"',
    '"unterminated',
    MARKER,
    "back AND",
    "OR pain",
    "NEAR(back pain)",
    "pain*",
    "^back",
    "back:pain",
    "'; DROP TABLE wagtailcore_page; --",
    "(((",
    "\u202eniap",
    "痛み",
    "x" * 5000,
]


@pytest.mark.django_db
def test_hostile_search_queries_answer_200_and_reflect_nothing_raw(client, content):
    for query in HOSTILE_QUERIES:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, query
        assert "<img src=x" not in response.content.decode()
    # Words still find what they name, whatever the quoting and case.
    found = client.get("/search/", {"q": '"Back SPASMS"'}).content.decode()
    assert "What Do Back Spasms Feel Like?" in found


def _comment(client, article, email="ann@example.com", **extra):
    data = {"name": "Ann Reader", "email": email, "text": "Very helpful, thanks."}
    data.update(extra.pop("data", {}))
    return client.post(reverse("blog:post-comment", args=[article.pk]), data, **extra)


@pytest.mark.django_db
def test_refused_comment_attempts_do_not_count_towards_the_limit(client, article, settings):
    settings.BLOG_COMMENT_RATE_LIMIT = (2, 600)
    for _ in range(5):
        assert _comment(client, article, data={"text": ""}).status_code == 400
    assert _comment(client, article).status_code == 302
    assert _comment(client, article).status_code == 302
    assert _comment(client, article).status_code == 429
    assert ArticleComment.objects.count() == 2


@pytest.mark.django_db
def test_a_reader_who_never_posted_is_not_limited_by_a_neighbours_comments(
    client, article, settings
):
    settings.BLOG_COMMENT_RATE_LIMIT = (2, 600)
    for _ in range(2):
        assert _comment(client, article, email="busy@example.com").status_code == 302
    assert _comment(client, article, email="busy@example.com").status_code == 429
    # Same office connection, another reader: their first comment is accepted.
    response = _comment(client, article, email="quiet@example.com")
    assert response.status_code == 302
    assert "several comments" not in response.content.decode()


@pytest.mark.django_db
def test_one_address_cannot_flood_with_made_up_emails(client, article, settings):
    settings.BLOG_COMMENT_RATE_LIMIT = (1, 600)
    settings.BLOG_RATE_LIMIT_ADDRESS_FACTOR = 3
    for number in range(3):
        assert _comment(client, article, email=f"bot{number}@example.com").status_code == 302
    response = _comment(client, article, email="bot9@example.com")
    assert response.status_code == 429
    assert "from your network" in response.content.decode()


@pytest.mark.django_db
def test_comment_limit_behind_a_proxy_is_per_visitor(client, article, settings):
    settings.BLOG_COMMENT_RATE_LIMIT = (1, 600)
    settings.BLOG_RATE_LIMIT_ADDRESS_FACTOR = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = _comment(client, article, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert first.status_code == 302
    again = _comment(client, article, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert again.status_code == 429
    other = _comment(
        client, article, email="bo@example.com", HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy
    )
    assert other.status_code == 302
    assert ArticleComment.objects.filter(ip_address="198.51.100.4").exists()
