"""Reader comments: held for moderation, escaped, protected against bots and floods."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from blog.models import ArticleComment
from blog.services import moderate_comments


def _post(client, article, **overrides):
    data = {"name": "Ann Reader", "email": "ann@example.com", "text": "Very helpful, thanks."}
    data.update(overrides)
    return client.post(reverse("blog:post-comment", args=[article.pk]), data)


def test_new_comment_is_held_and_moderators_are_emailed(
    client, article, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, article)
    assert response.status_code == 302
    assert response["Location"].endswith("#comments")
    comment = ArticleComment.objects.get()
    assert comment.status == ArticleComment.Status.PENDING
    assert comment.ip_address == "127.0.0.1"
    assert mail.outbox[-1].to == ["moe@example.com"]
    assert "Very helpful" in mail.outbox[-1].body
    html = client.get(article.url).content.decode()
    assert "Very helpful, thanks." not in html
    assert "awaiting moderation" in html


def test_approved_comment_is_shown_even_on_a_cached_page(client, article, settings):
    settings.PAGE_CACHE_SECONDS = 600
    _post(client, article)
    client.cookies.clear()
    assert "Very helpful" not in client.get(article.url).content.decode()  # cached now
    moderate_comments(ArticleComment.objects.all(), ArticleComment.Status.APPROVED)
    html = client.get(article.url).content.decode()
    assert "Very helpful, thanks." in html
    assert "ann@example.com" not in html  # the email is never shown


def test_script_in_a_comment_is_shown_as_text(client, article):
    _post(
        client,
        article,
        text="<script>alert('x')</script> <b>bold</b>",
        name="<img src=x onerror=alert(1)>",
    )
    moderate_comments(ArticleComment.objects.all(), ArticleComment.Status.APPROVED)
    html = client.get(article.url).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "", "email": "", "text": ""},
        {"text": "   "},
        {"name": "   "},
        {"email": "not-an-email"},
        {"email": "a@b@c"},
        {"text": "x" * 5001},
        {"name": "n" * 81},
        {"parent": "abc"},
    ],
)
def test_bad_comment_input_is_refused_with_the_form_shown_again(client, article, overrides):
    response = _post(client, article, **overrides)
    assert response.status_code == 400
    assert not ArticleComment.objects.exists()
    assert "Leave a Reply" in response.content.decode()


def test_honeypot_filled_stores_nothing_but_looks_like_success(client, article):
    response = _post(client, article, website="http://spam.example")
    assert response.status_code == 302
    assert not ArticleComment.objects.exists()


def test_rate_limit_per_ip(client, article, settings):
    settings.BLOG_COMMENT_RATE_LIMIT = (2, 600)
    assert _post(client, article).status_code == 302
    assert _post(client, article).status_code == 302
    assert _post(client, article).status_code == 429
    assert ArticleComment.objects.count() == 2
    other_ip = _post(client, article, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code in (302, 429)


def test_comments_closed_on_the_article(client, article):
    article.comments_open = False
    article.save_revision().publish()
    assert _post(client, article).status_code == 403
    assert not ArticleComment.objects.exists()
    assert "Comments are closed" in client.get(article.url).content.decode()


def test_comments_close_after_n_days(client, article, settings):
    settings.BLOG_COMMENTS_CLOSE_AFTER_DAYS = 30
    article.date = datetime.date.today() - datetime.timedelta(days=31)
    article.save_revision().publish()
    assert _post(client, article).status_code == 403


def test_comment_on_unknown_or_draft_page_is_404(client, article):
    assert client.post(reverse("blog:post-comment", args=[999999]), {}).status_code == 404
    article.unpublish()
    assert _post(client, article).status_code == 404


def test_get_on_comment_endpoint_is_not_allowed(client, article):
    assert client.get(reverse("blog:post-comment", args=[article.pk])).status_code == 405


def test_replies_are_one_level_deep(client, article):
    top = ArticleComment.objects.create(
        page=article, name="A", email="a@example.com", text="top", status="approved"
    )
    reply = ArticleComment.objects.create(
        page=article, parent=top, name="B", email="b@example.com", text="reply", status="approved"
    )
    _post(client, article, parent=reply.pk, text="reply to reply")
    new = ArticleComment.objects.get(text="reply to reply")
    assert new.parent == top


def test_reply_to_a_pending_comment_becomes_top_level(client, article):
    pending = ArticleComment.objects.create(
        page=article, name="A", email="a@example.com", text="top"
    )
    _post(client, article, parent=pending.pk, text="hello")
    assert ArticleComment.objects.get(text="hello").parent is None


def test_moderator_approves_rejects_and_marks_spam_in_bulk(client, article, moderator):
    comments = [
        ArticleComment.objects.create(
            page=article, name=f"N{i}", email="n@example.com", text=f"t{i}"
        )
        for i in range(3)
    ]
    client.force_login(moderator)
    listing = client.get("/cms/snippets/blog/articlecomment/")
    assert listing.status_code == 200
    assert "t0" in listing.content.decode()
    url = "/cms/bulk/blog/articlecomment/approve-comments/?" + "&".join(
        f"id={c.pk}" for c in comments[:2]
    )
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    statuses = dict(ArticleComment.objects.values_list("text", "status"))
    assert statuses == {"t0": "approved", "t1": "approved", "t2": "pending"}
    spam_url = f"/cms/bulk/blog/articlecomment/spam-comments/?id={comments[2].pk}"
    client.post(spam_url)
    assert ArticleComment.objects.get(pk=comments[2].pk).status == "spam"
    reject_url = f"/cms/bulk/blog/articlecomment/reject-comments/?id={comments[0].pk}"
    client.post(reject_url)
    assert ArticleComment.objects.get(pk=comments[0].pk).status == "rejected"


def test_moderator_approves_one_comment_from_its_edit_form(client, article, moderator):
    comment = ArticleComment.objects.create(page=article, name="N", email="n@example.com", text="t")
    client.force_login(moderator)
    url = f"/cms/snippets/blog/articlecomment/edit/{comment.pk}/"
    response = client.post(url, {"status": "approved", "name": "N", "text": "t"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_editors_cannot_moderate_comments(client, article, editor):
    comment = ArticleComment.objects.create(page=article, name="N", email="n@example.com", text="t")
    client.force_login(editor)
    assert client.get("/cms/snippets/blog/articlecomment/").status_code in (302, 403)
    client.post(f"/cms/bulk/blog/articlecomment/approve-comments/?id={comment.pk}")
    comment.refresh_from_db()
    assert comment.status == "pending"
