"""Newsletter: double opt-in by emailed link, unsubscribe by link, one row per address."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from marketing import services
from marketing.models import Subscriber

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/newsletter/(confirm|unsubscribe)/(\S+)/")


def links_in(message):
    return {kind: token for kind, token in LINK.findall(message.body)}


def sign_up(client, email="ada@example.com", source="footer"):
    return client.post(
        reverse("marketing:newsletter-subscribe"),
        {"email": email, "source": source, "source_url": "/blog/back-pain/"},
    )


def test_sign_up_sends_confirmation_with_confirm_and_unsubscribe_links(client):
    response = sign_up(client)

    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source == "footer"
    assert subscriber.source_url == "/blog/back-pain/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert set(links_in(message)) == {"confirm", "unsubscribe"}
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/newsletter/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_confirm_link_subscribes_after_the_button_is_pressed(client):
    sign_up(client)
    token = links_in(mail.outbox[0])["confirm"]
    url = reverse("marketing:newsletter-confirm", args=[token])

    page = client.get(url)
    assert page.status_code == 200
    assert b"Yes, subscribe me" in page.content
    # Opening the link (as a mail scanner would) confirms nothing yet.
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    response = client.post(url)

    assert response.status_code == 200
    assert b"You are subscribed" in response.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None


def test_unsubscribe_link_unsubscribes(client):
    sign_up(client)
    links = links_in(mail.outbox[0])
    client.post(reverse("marketing:newsletter-confirm", args=[links["confirm"]]))

    response = client.post(reverse("marketing:newsletter-unsubscribe", args=[links["unsubscribe"]]))

    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_one_click_unsubscribe_needs_no_csrf_token(client):
    """RFC 8058: the mail provider POSTs to the List-Unsubscribe URL without cookies."""
    sign_up(client)
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    strict = client.__class__(enforce_csrf_checks=True)

    response = strict.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_tampered_link_fails_with_a_message(client, kind):
    sign_up(client)
    token = links_in(mail.outbox[0])[kind]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    url = reverse(f"marketing:newsletter-{kind}", args=[tampered])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert b"This link is not valid" in response.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_link_signed_for_another_purpose_is_refused(client):
    """An unsubscribe token cannot be replayed as a confirmation."""
    sign_up(client)
    unsubscribe_token = links_in(mail.outbox[0])["unsubscribe"]

    response = client.post(reverse("marketing:newsletter-confirm", args=[unsubscribe_token]))

    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_expired_confirm_link_fails_with_a_message(client, settings):
    sign_up(client)
    token = links_in(mail.outbox[0])["confirm"]
    # Any age is too old.
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1

    response = client.post(reverse("marketing:newsletter-confirm", args=[token]))

    assert response.status_code == 410
    assert b"This link has expired" in response.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_same_address_twice_in_any_case_is_one_subscriber(client):
    sign_up(client, "Ada@Example.com")
    sign_up(client, "ada@example.COM ")

    assert Subscriber.objects.count() == 1
    # The second sign-up came moments after the first: no second email.
    assert len(mail.outbox) == 1


def test_signing_up_when_confirmed_sends_nothing_and_reveals_nothing(client):
    sign_up(client)
    client.post(reverse("marketing:newsletter-confirm", args=[links_in(mail.outbox[0])["confirm"]]))

    response = sign_up(client)

    assert b"Check your inbox" in response.content
    assert len(mail.outbox) == 1
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_pending_sign_up_resends_after_a_while():
    subscriber = services.subscribe(email="ada@example.com", source="article")
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmation_sent_at=subscriber.confirmation_sent_at - timedelta(hours=1)
    )

    services.subscribe(email="ada@example.com", source="article")

    assert len(mail.outbox) == 2


def test_unsubscribed_address_signing_up_again_must_confirm_again(client):
    sign_up(client)
    links = links_in(mail.outbox[0])
    client.post(reverse("marketing:newsletter-confirm", args=[links["confirm"]]))
    client.post(reverse("marketing:newsletter-unsubscribe", args=[links["unsubscribe"]]))

    sign_up(client, source="article")

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source == "article"
    assert len(mail.outbox) == 2


def test_invalid_email_shows_the_form_again(client):
    response = sign_up(client, "not-an-email")

    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_honeypot_filled_stores_and_sends_nothing(client):
    response = client.post(
        reverse("marketing:newsletter-subscribe"),
        {"email": "bot@example.com", "website": "http://spam.example"},
    )

    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_marketing_emails_only_go_to_confirmed_subscribers():
    subscriber = services.subscribe(email="ada@example.com")
    mail.outbox.clear()

    sent = services.send_marketing_email(
        subscriber=subscriber,
        subject="Spring offers",
        template_name="marketing/emails/confirm_subscription.txt",
    )

    assert sent is False
    assert not mail.outbox


def test_footer_carries_the_sign_up_form(client):
    response = client.get(reverse("marketing:newsletter-subscribe"))

    footer = response.content.decode().split('class="site-footer"', 1)[1]
    assert 'action="/newsletter/"' in footer
    assert 'name="source" value="footer"' in footer
