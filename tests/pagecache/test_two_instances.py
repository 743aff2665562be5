"""Scale-out: two instances of the site share sessions, baskets and the page cache in Redis."""

import os
import re
import secrets
import socket
import subprocess
import sys
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench._server import gunicorn_command, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up():
    match = re.match(r"redis://([^:/]+):(\d+)", REDIS_URL)
    try:
        with socket.create_connection((match.group(1), int(match.group(2))), timeout=1):
            return True
    except OSError:
        return False


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_instances(transactional_db, django_db_serialized_rollback):
    if not _redis_up():
        if os.environ.get("CI") or os.environ.get("REDIS_REQUIRED") == "1":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    call_command("load_demo", verbosity=0)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "CACHE_URL": REDIS_URL,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # Behind a load balancer every instance sees the shop's own host name.
        "ALLOWED_HOSTS": "127.0.0.1,shop.test",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.cache import cache; cache.clear()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    servers, bases = [], []
    for _ in range(2):
        port = _free_port()
        servers.append(subprocess.Popen(gunicorn_command(port, workers=1), cwd=ROOT, env=env))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, server in zip(bases, servers, strict=True):
            wait_until_up(server, base + "/healthz", f"instance at {base}", tries=150)
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def _browser():
    jar = CookieJar()
    return jar, urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def test_basket_added_on_one_instance_checks_out_on_the_other(two_instances):
    from oscar.core.loading import get_model

    first, second = two_instances
    jar, browser = _browser()
    token = browser.open(first + "/session/csrf/").read().decode()
    token = re.search(r'"csrfToken": "([^"]+)"', token).group(1)
    pads = get_model("catalogue", "Product").objects.get(upc="RW-PAD-4")
    browser.open(
        urllib.request.Request(
            f"{first}/shop/basket/add/{pads.pk}/",
            data=f"csrfmiddlewaretoken={token}&quantity=2".encode(),
            headers={"Referer": first + "/"},
        )
    )
    basket_html = browser.open(second + "/shop/basket/").read().decode()
    assert "Replacement Electrode Pads" in basket_html
    assert '<span class="mini-cart-count">2</span>' in basket_html
    checkout = browser.open(second + "/shop/checkout/")
    assert checkout.status == 200
    assert "/shop/checkout/" in checkout.url


def test_page_cached_by_one_instance_is_served_by_the_other(two_instances):
    first, second = two_instances

    def get(base):
        request = urllib.request.Request(base + "/blog/", headers={"Host": "shop.test"})
        return urllib.request.urlopen(request)

    assert get(first).headers["X-Page-Cache"] == "miss"
    assert get(second).headers["X-Page-Cache"] == "hit"
