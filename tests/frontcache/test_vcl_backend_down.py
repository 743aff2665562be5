"""The VCL's grace and deploy purge, with a stand-in backend that can be stopped."""

import http.server
import threading
import time

import pytest

from frontcache.varnishd import free_port, render_vcl, running_varnishd

from .conftest import Front, QuietHandler, require_varnishd

pytestmark = pytest.mark.slow_audit


class _Page(QuietHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - the HTTP method's name
        if self.path != "/healthz":
            self.server.hits += 1
        headers = [
            ("Content-Type", "text/html"),
            ("Cache-Control", "public, s-maxage=1"),
            ("xkey", "p:1 site"),
        ]
        self.reply(200, f"render {self.server.hits}".encode(), headers)


@pytest.fixture
def backend_and_varnish():
    require_varnishd()
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Page)
    server.hits = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    vcl = render_vcl(port, probe_interval="0.2s")
    try:
        with running_varnishd(vcl) as base:
            yield server, Front(base)
    finally:
        server.shutdown()
        server.server_close()


def test_stale_copy_is_served_while_the_backend_is_down(backend_and_varnish):
    server, front = backend_and_varnish
    assert front.get("/page").text == "render 1"
    server.shutdown()
    server.server_close()
    time.sleep(2.5)  # the copy (s-maxage=1) has expired and the probe has seen the failure
    stale = front.get("/page")
    assert stale.status == 200
    assert stale.text == "render 1"


def test_stale_copy_is_served_while_a_fresh_one_is_fetched(backend_and_varnish):
    server, front = backend_and_varnish
    assert front.get("/page").text == "render 1"
    time.sleep(1.5)
    assert front.get("/page").text == "render 1"  # stale, refreshed in the background
    time.sleep(0.3)
    assert front.get("/page").text == "render 2"


def test_purge_everything_after_a_deploy_empties_varnish(backend_and_varnish, settings):
    from django.core.management import call_command

    server, front = backend_and_varnish
    front.get("/a")
    front.get("/b")
    settings.HTTP_CACHE_PURGE_URLS = [front.base + "/"]
    call_command("purge_http_cache")
    assert front.get("/a").cache == "MISS"
    assert front.get("/b").cache == "MISS"
