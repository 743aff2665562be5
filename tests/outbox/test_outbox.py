"""The email outbox: queued in the caller's transaction, sent by the worker with retries and
growing waits, text stored as written."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from post_office.models import STATUS, Email

from marketing import services as marketing
from outbox import services as outbox

pytestmark = pytest.mark.django_db


def test_an_email_of_a_rolled_back_change_is_never_queued(outbox_backend):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_mail("Subject", "Body", None, ["someone@example.com"])
        raise RuntimeError("the change failed")
    assert not Email.objects.exists()


def test_queued_email_is_sent_only_by_the_worker(outbox_backend):
    mail.send_mail("Hello", "Body", None, ["someone@example.com"])
    assert mail.outbox == []
    assert Email.objects.get().status == STATUS.queued
    assert outbox.deliver_due() == (1, 0, 0)
    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert Email.objects.get().status == STATUS.sent


def test_what_customers_typed_is_stored_and_sent_as_written(outbox_backend):
    text = "My name is {{ settings.SECRET_KEY }} {% now 'Y' %} {% broken"
    mail.send_mail(f"Re: {text}"[:80], text, None, ["someone@example.com"])
    outbox.deliver_due()
    (sent,) = mail.outbox
    assert sent.body == text
    assert "{{ settings.SECRET_KEY }}" in sent.subject


def test_failed_attempts_wait_longer_each_time_then_show_as_failed(smtp_server, settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 300
    settings.POST_OFFICE = {**settings.POST_OFFICE, "MAX_RETRIES": 4}
    mail.send_mail("Hello", "Body", None, ["someone@example.com"])
    email = Email.objects.get()
    waits = []
    for _ in range(4):
        before = timezone.now()
        assert outbox.deliver_due() == (0, 0, 1)
        email.refresh_from_db()
        assert email.status == STATUS.requeued
        waits.append(round((email.scheduled_time - before).total_seconds() / 60))
        Email.objects.filter(pk=email.pk).update(scheduled_time=timezone.now())
    assert waits == [1, 2, 4, 5]  # one minute, doubling, capped at five
    assert outbox.deliver_due() == (0, 1, 0)
    email.refresh_from_db()
    assert email.status == STATUS.failed
    assert email.logs.filter(status=STATUS.failed).count() == 5


def test_send_outbox_command_delivers_to_the_smtp_server(smtp_server, tmp_path):
    smtp_server.start()
    mail.send_mail("Hello", "Body", None, ["someone@example.com"])
    call_command("send_outbox", lockfile=str(tmp_path / "lock"))
    assert [m.rcpt_tos for m in smtp_server.messages] == [["someone@example.com"]]
    assert Email.objects.get().status == STATUS.sent


def test_retry_delay_doubles_from_the_base_and_is_capped(settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    delays = [outbox.retry_delay(n) for n in (1, 2, 3, 7, 8)]
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 60, 60)]


def test_password_reset_and_newsletter_emails_are_queued(outbox_backend, client):
    get_user_model().objects.create_user("ada", "ada@example.com", "a-long-password-1")
    client.post("/shop/password-reset/", {"email": "ada@example.com"})
    marketing.subscribe(email="reader@example.com", source="footer")
    assert mail.outbox == []
    queued = Email.objects.filter(status=STATUS.queued)
    assert sorted(e.to[0] for e in queued) == ["ada@example.com", "reader@example.com"]
    outbox.deliver_due()
    assert len(mail.outbox) == 2
    newsletter = next(m for m in mail.outbox if m.to == ["reader@example.com"])
    assert newsletter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
