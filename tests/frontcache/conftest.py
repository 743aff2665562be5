"""Fixtures for the front cache: a recording stand-in for Varnish, and the real varnishd.

The real Varnish runs deploy/varnish/default.vcl on a free loopback port in front of the live
test server. Without varnishd the tests that need it skip with the reason, except where
Varnish is required (CI sets VARNISH_REQUIRED=1 after installing it).
"""

import http.client
import http.server
import os
import threading
import urllib.parse

import pytest
from django.core.management import call_command

from frontcache.varnishd import render_vcl, running_varnishd, varnishd_path


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A stand-in server's request handler: one-call answers, nothing logged."""

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Recorder(QuietHandler):
    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.received.append(self.headers)
        self.reply(self.server.status, b"Purged 1 objects\n")


@pytest.fixture
def fake_varnish():
    """fake_varnish(status=200): a server that records the PURGE requests it receives;
    returns (url, received headers list)."""
    servers = []

    def start(status=200):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        server.received, server.status = [], status
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/", server.received

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def require_varnishd():
    if varnishd_path() is None:
        message = "varnishd is not installed: apt-get install -y varnish varnish-modules"
        if os.environ.get("VARNISH_REQUIRED") == "1" or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def store(transactional_db, django_db_serialized_rollback, live_server):
    """The demo store behind the live server (serialized rollback restores what migrations
    made once the transactional test has emptied the database)."""
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.fixture
def varnish(store, settings):
    """deploy/varnish/default.vcl in front of the live server; the application purges it."""
    require_varnishd()
    backend = urllib.parse.urlsplit(store.url)
    vcl = render_vcl(backend.port, backend_host="127.0.0.1")
    with running_varnishd(vcl) as base:
        settings.HTTP_CACHE_PURGE_URLS = [base + "/"]
        settings.HTTP_CACHE_PURGE_TIMEOUT = 5
        yield Front(base)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def cache(self):
        return self.headers.get("X-Cache")

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Front:
    """Requests to one Varnish, optionally from another loopback source address."""

    def __init__(self, base):
        parts = urllib.parse.urlsplit(base)
        self.base, self.host, self.port = base, parts.hostname, parts.port

    def request(self, method, path, headers=None, source=None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=30, source_address=(source, 0) if source else None
        )
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers)
