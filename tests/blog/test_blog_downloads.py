"""The download offer: an email form, one lead per address, a signed expiring link."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from freezegun import freeze_time

from blog.models import Lead
from blog.services import make_download_token


@pytest.fixture
def guide(article):
    from wagtail.documents import get_document_model

    return get_document_model().objects.get(title="Guide to Understanding Pain")


def _request(client, article, guide, **overrides):
    data = {"email": "Reader@Example.com", "page": article.pk, "document": guide.pk}
    data.update(overrides)
    return client.post(reverse("blog:request-download"), data)


def _link(html):
    return re.search(r'href="http://testserver(/downloads/[^"/]+/)"', html).group(1)


def test_request_stores_a_lead_and_gives_a_link_on_the_page_and_by_email(client, article, guide):
    response = _request(client, article, guide, marketing_consent="on")
    assert response.status_code == 200
    lead = Lead.objects.get()
    assert (lead.email, lead.page_id, lead.marketing_consent) == (
        "reader@example.com",
        article.pk,
        True,
    )
    link = _link(response.content.decode())
    assert link in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["reader@example.com"]
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_same_email_twice_makes_one_lead_and_keeps_consent(client, article, guide):
    _request(client, article, guide, marketing_consent="on")
    _request(client, article, guide, email="reader@example.com")
    lead = Lead.objects.get()
    assert lead.requests == 2
    assert lead.marketing_consent is True


def test_tampered_link_is_403_with_a_message(client, article, guide):
    lead = Lead.objects.create(email="a@example.com")
    token = make_download_token(lead, guide)
    response = client.get(reverse("blog:download", args=[token[:-2] + "xx"]))
    assert response.status_code == 403
    assert "not valid" in response.content.decode()
    assert client.get("/downloads/garbage/").status_code == 403


def test_expired_link_is_410_with_a_message(client, article, guide, settings):
    settings.BLOG_DOWNLOAD_LINK_MAX_AGE = 3600
    lead = Lead.objects.create(email="a@example.com")
    with freeze_time("2025-01-01 10:00:00"):
        token = make_download_token(lead, guide)
    with freeze_time("2025-01-01 11:30:00"):
        response = client.get(reverse("blog:download", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_link_signed_with_another_salt_is_refused(client, guide):
    lead = Lead.objects.create(email="a@example.com")
    token = signing.TimestampSigner().sign_object({"l": lead.pk, "d": guide.pk})
    assert client.get(reverse("blog:download", args=[token])).status_code == 403


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": ""},
        {"email": "nope"},
        {"email": "<script>alert(1)</script>@x.com"},
        {"email": "a" * 300 + "@example.com"},
    ],
)
def test_bad_email_is_refused_and_the_form_shown_again(client, article, guide, overrides):
    response = _request(client, article, guide, **overrides)
    assert response.status_code == 400
    assert not Lead.objects.exists()
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize("overrides", [{"page": ""}, {"page": "999999"}, {"page": "x"}])
def test_request_for_unknown_page_is_404(client, article, guide, overrides):
    assert _request(client, article, guide, **overrides).status_code == 404


def test_document_not_offered_by_the_page_is_404(client, article, guide):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    other = get_document_model()(title="Internal price list")
    other.file.save("internal.pdf", ContentFile(b"%PDF-1.4 secret"))
    assert _request(client, article, guide, document=other.pk).status_code == 404
    assert not Lead.objects.exists()


def test_honeypot_request_stores_nothing(client, article, guide):
    response = _request(client, article, guide, website="spam")
    assert response.status_code == 200
    assert not Lead.objects.exists()
    assert "download-link" not in response.content.decode()  # no signed link for a bot


def test_guide_is_not_public_at_the_documents_url(client, guide):
    response = client.get(guide.url)
    assert response.status_code in (302, 403)


def test_staff_export_leads_as_csv(client, article, guide, admin_user):
    _request(client, article, guide, marketing_consent="on")
    client.force_login(admin_user)
    response = client.get("/cms/snippets/blog/lead/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert "reader@example.com" in text
    assert text.splitlines()[0].startswith("Email")
