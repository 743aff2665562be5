"""An article costs the same number of queries however many comments, blocks or products."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import ArticleComment


def _count(client, url):
    client.get(url)  # warm caches (thumbnails, settings)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_blocks(article, copies):
    body = list(article.body.raw_data)
    extra = [block for block in body if block["type"] in ("heading", "paragraph", "product")]
    for _ in range(copies):
        body += [{**block, "id": None} for block in extra]
    article.body = [
        (
            block["type"],
            article.body.stream_block.child_blocks[block["type"]].to_python(block["value"]),
        )
        for block in body
    ]
    article.save_revision().publish()


def test_article_query_count_does_not_grow(
    client, article, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    url = article.url
    ArticleComment.objects.create(
        page=article, name="A", email="a@x.com", text="t", status="approved"
    )
    baseline = _count(client, url)

    for i in range(15):
        top = ArticleComment.objects.create(
            page=article, name=f"N{i}", email="n@x.com", text=f"t{i}", status="approved"
        )
        ArticleComment.objects.create(
            page=article, parent=top, name="R", email="r@x.com", text="r", status="approved"
        )
    _add_blocks(article, copies=4)

    client.get(url)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.content.decode().count('class="add-to-cart"') == 10
