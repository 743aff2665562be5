"""The site against its real services failing while it runs: Redis stopped and started
again, and PostgreSQL dropping the app's connection."""

import shutil
import socket
import subprocess
import time
from decimal import Decimal

import pytest
import redis
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from oscar.test.factories import create_product

from demo.shop import ensure_shipping_countries
from tests.factories import shop_sign_in


class PrivateRedis:
    """redis-server on a free loopback port, no persistence; stop() kills it."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def private_redis(settings):
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (apt-get install -y redis-server)")
    server = PrivateRedis()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": dict(settings.REDIS_CACHE_OPTIONS),
        }
    }
    yield server
    server.stop()


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.django_db
def test_redis_stopped_pages_baskets_and_sign_in_keep_working_and_caching_resumes(
    demo, private_redis, django_user_model
):
    ensure_shipping_countries()
    product = create_product(title="TENS unit", price=Decimal("49.00"), num_in_stock=10)
    page = product.get_absolute_url()
    django_user_model.objects.create_user("ada", "ada@example.com", "a-long-password-1")
    visitor = Client()
    _get(visitor, page)
    assert _get(visitor, page)["X-Page-Cache"] == "hit"

    private_redis.stop()
    started = time.monotonic()
    assert _get(Client(), page)["X-Page-Cache"] != "hit"
    shopper = Client()
    assert shopper.post(f"/shop/basket/add/{product.pk}/", {"quantity": 2}).status_code == 302
    assert _get(shopper, "/shop/basket/").context["basket"].num_items == 2
    signed_in = shop_sign_in(shopper, "ada@example.com", "a-long-password-1")
    assert signed_in.status_code == 302
    account = _get(shopper, "/shop/accounts/profile/")
    assert account.wsgi_request.user.username == "ada"
    assert _get(shopper, "/shop/basket/").context["basket"].num_items == 2
    assert _get(Client(), "/healthz").json()["status"] == "degraded"
    assert time.monotonic() - started < 10  # no request waits on the dead server

    private_redis.start()
    _get(Client(), page)
    for _ in range(5):  # the client's pooled connections reconnect on their next use
        if _get(Client(), page)["X-Page-Cache"] == "hit":
            break
    assert _get(Client(), page)["X-Page-Cache"] == "hit"
    assert _get(shopper, "/shop/accounts/profile/").wsgi_request.user.username == "ada"
    assert _get(Client(), "/healthz").json()["status"] == "ok"


def _serve(handler, path):
    """One request through the WSGI handler as gunicorn calls it (so Django's per-request
    connection management runs, which the test client switches off)."""
    environ = RequestFactory().get(path).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    body = b"".join(handler(environ, start_response))
    return answer["status"], body


def _terminate_app_backend():
    """pg_terminate_backend on the app's connection, from a second connection."""
    pid = connection.connection.info.backend_pid
    admin = connection.get_new_connection(connection.get_connection_params())
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        admin.close()
    return pid


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_connection_dropped_the_next_request_succeeds():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    handler = WSGIHandler()
    assert _serve(handler, "/healthz")[0] == 200
    pid = _terminate_app_backend()
    status, body = _serve(handler, "/healthz")
    assert status == 200, body
    assert connection.connection.info.backend_pid != pid
