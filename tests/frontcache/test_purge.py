"""The application's side of the front cache: tag purges after commit, best effort."""

import logging
import socket
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from frontcache import purge
from frontcache.varnishd import VCL_PATH
from pagecache.tags import tags_invalidated

StockRecord = get_model("partner", "StockRecord")


def test_invalidated_tags_are_purged_at_every_varnish(fake_varnish, settings):
    first, first_received = fake_varnish()
    second, second_received = fake_varnish()
    settings.HTTP_CACHE_PURGE_URLS = [first, second]
    tags_invalidated.send(sender=None, tags=frozenset({"p:12", "cat:3"}))
    for received in (first_received, second_received):
        assert [headers["xkey-purge"] for headers in received] == ["cat:3 p:12"]


def test_without_purge_urls_nothing_is_sent(fake_varnish, settings):
    settings.HTTP_CACHE_PURGE_URLS = []
    assert purge.purge_tags({"p:1"}) == 0


def test_thousands_of_tags_go_in_requests_varnish_accepts(fake_varnish, settings):
    url, received = fake_varnish()
    settings.HTTP_CACHE_PURGE_URLS = [url]
    tags = {f"p:{n}" for n in range(3000)}
    assert purge.purge_tags(tags) == 0
    headers = [headers["xkey-purge"] for headers in received]
    assert len(headers) > 1
    assert all(len(header) <= purge.MAX_HEADER_CHARS for header in headers)
    assert {tag for header in headers for tag in header.split()} == tags


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_varnish_down_logs_a_warning_and_the_price_change_is_saved(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{_closed_port()}/"]
    product = create_product(price=Decimal("49.00"), num_in_stock=3)
    record = StockRecord.objects.get(product=product)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="frontcache"):
        with django_capture_on_commit_callbacks(execute=True):
            record.price = Decimal("39.00")
            record.save()
    assert StockRecord.objects.get(pk=record.pk).price == Decimal("39.00")
    warnings = [r for r in caplog.records if r.name.startswith("frontcache")]
    assert warnings and all(r.levelno == logging.WARNING for r in warnings)
    assert "purge failed" in warnings[0].getMessage()


def test_a_varnish_that_does_not_answer_costs_at_most_the_timeout(settings, caplog):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{listener.getsockname()[1]}/"]
    settings.HTTP_CACHE_PURGE_TIMEOUT = 0.5
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="frontcache"):
        failed = purge.purge_tags({"p:1"})
    elapsed = time.monotonic() - started
    listener.close()
    assert failed == 1
    assert elapsed < 2
    assert "timed out" in caplog.text


def test_a_refused_purge_is_logged_not_raised(fake_varnish, settings, caplog):
    url, _ = fake_varnish(status=403)
    settings.HTTP_CACHE_PURGE_URLS = [url]
    with caplog.at_level(logging.WARNING, logger="frontcache"):
        assert purge.purge_tags({"p:1"}) == 1
    assert "refused" in caplog.text and "403" in caplog.text


def test_purge_everything_after_a_deploy(fake_varnish, settings):
    url, received = fake_varnish()
    settings.HTTP_CACHE_PURGE_URLS = [url]
    call_command("purge_http_cache")
    assert received[0]["X-Purge-All"] == "1"


def test_purge_command_fails_loudly_when_a_varnish_is_down(settings):
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{_closed_port()}/"]
    with pytest.raises(CommandError, match="1 purge request"):
        call_command("purge_http_cache", "p:1")


def test_vcl_passes_the_cookies_named_in_settings():
    """The VCL names Django's cookies literally: renaming one in settings must fail here."""
    vcl = VCL_PATH.read_text()
    for name in (
        settings.SESSION_COOKIE_NAME,
        settings.OSCAR_BASKET_COOKIE_OPEN,
        CookieStorage.cookie_name,
    ):
        assert f'cookie.isset("{name}")' in vcl
    assert settings.CSRF_COOKIE_NAME in vcl.split("cookie.filter_re(")[1].split(")")[0]
