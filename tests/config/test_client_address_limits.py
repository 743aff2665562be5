"""Every limit counts per client as ``config.security.client_ip`` works it out (issue 24):
behind the documented load balancer every request comes from the proxy's address, so a
limit keyed on the socket address would let one visitor lock every other out."""

import subprocess
from pathlib import Path

import pytest

from tests.support.conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
PROXY = {"REMOTE_ADDR": "10.0.0.1"}
GUESSER = {**PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
NEIGHBOUR = {**PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
TOO_MANY = "Too many look-ups"
GUEST_LOOKUPS = ["/orders/status/", "/returns/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", GUEST_LOOKUPS)
def test_one_guests_wrong_look_ups_behind_the_proxy_never_limit_another(client, settings, url):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SUPPORT_ORDER_STATUS_LOOKUPS = 2
    wrong = {"order_number": "100999", "email": "nobody@example.com"}
    for _ in range(2):
        assert TOO_MANY not in client.post(url, wrong, **GUESSER).content.decode()
    assert TOO_MANY in client.post(url, wrong, **GUESSER).content.decode()
    neighbour = client.post(url, wrong, **NEIGHBOUR)
    assert TOO_MANY not in neighbour.content.decode()
    assert "find an order" in neighbour.content.decode()


@pytest.mark.django_db
def test_one_visitors_failed_sign_ins_behind_the_proxy_never_lock_another(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    make_user("support", "agent")
    for _ in range(2):
        client.post("/dashboard/login/", {"username": "agent", "password": "x"}, **GUESSER)
    locked = client.post("/dashboard/login/", {"username": "agent", "password": "x"}, **GUESSER)
    assert locked.status_code == 429
    right = {"username": "agent", "password": PASSWORD}
    assert client.post("/dashboard/login/", right, **NEIGHBOUR).status_code != 429


def test_only_the_shared_client_address_function_reads_the_socket_address():
    """One function decides who the client is: no other code reads REMOTE_ADDR or
    X-Forwarded-For, so a new limit cannot key on the proxy's address by accident."""
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    readers = [
        name
        for name in listed
        # settings.py only names the header in the comment on TRUSTED_PROXY_COUNT.
        if not name.startswith(("tests/", "config/security.py", "config/settings.py"))
        and any(
            marker in (ROOT / name).read_text()
            for marker in ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "X-Forwarded-For")
        )
    ]
    assert readers == []
