"""Failed sign-ins are limited on every login form (django-axes); staff two-factor sign-in
(django-otp TOTP) is required for Support and superusers when SUPPORT_REQUIRE_2FA is on."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.security import axes_username
from tests.support.conftest import PASSWORD, make_user

LOGIN_FORMS = {
    "storefront": (
        "/shop/accounts/login/",
        "login-username",
        "login-password",
        {"login_submit": "1"},
    ),
    "dashboard": ("/dashboard/login/", "username", "password", {}),
    "cms": ("/cms/login/", "username", "password", {}),
    "django admin": ("/django-admin/login/", "username", "password", {}),
}


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from axes.utils import reset

    reset()
    yield
    reset()


@pytest.mark.django_db
@pytest.mark.parametrize("form", LOGIN_FORMS, ids=list(LOGIN_FORMS))
def test_login_form_locks_out_after_repeated_failures(client, axes_on, form):
    url, username_field, password_field, extra = LOGIN_FORMS[form]
    user = make_user("superuser", "boss")
    username = user.email if form == "storefront" else user.username
    for _ in range(2):
        response = client.post(url, {username_field: username, password_field: "wrong", **extra})
        assert response.status_code == 200  # the form again, with an error
    locked = client.post(url, {username_field: username, password_field: "wrong", **extra})
    assert locked.status_code == 429
    # Even the right password is refused while locked out.
    right = client.post(url, {username_field: username, password_field: PASSWORD, **extra})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_correct_password_before_the_limit_signs_in_at_the_dashboard(client, axes_on):
    make_user("support", "agent")
    client.post("/dashboard/login/", {"username": "agent", "password": "wrong"})
    response = client.post("/dashboard/login/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["support", "superuser"])
def test_two_factor_is_required_for_support_and_superusers_when_on(client, settings, role):
    settings.SUPPORT_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code
    user = make_user(role)
    client.force_login(user)
    response = client.get("/dashboard/orders/")
    assert response.status_code == 302
    assert response.url.startswith("/dashboard/2fa/?next=/dashboard/orders/")
    assert client.get("/django-admin/").status_code == 302
    assert client.get("/cms/").status_code == 302
    # No authenticator yet: set one up; a correct code confirms it and signs in fully.
    setup = client.get(response.url)
    assert setup.url.startswith("/dashboard/2fa/setup/")
    assert client.get(setup.url).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(setup.url, {"token": "000000" if totp(device.bin_key) else "111111"})
    assert bad.status_code == 400
    done = client.post(setup.url, {"token": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 302
    assert done.url == "/dashboard/orders/"
    assert client.get("/dashboard/orders/").status_code == 200


@pytest.mark.django_db
def test_a_later_sign_in_asks_for_the_code_again(client, settings):
    settings.SUPPORT_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_user("support")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    assert client.get("/dashboard/").url == "/dashboard/2fa/?next=/dashboard/"
    wrong = client.post("/dashboard/2fa/", {"token": "12", "next": "/dashboard/"})
    assert wrong.status_code == 400
    right = client.post(
        "/dashboard/2fa/", {"token": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"}
    )
    assert right.url == "/dashboard/"  # no open redirect
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_two_factor_is_not_forced_when_off_or_for_other_roles(client, settings):
    client.force_login(make_user("support"))
    assert client.get("/dashboard/").status_code == 200
    settings.SUPPORT_REQUIRE_2FA = True
    client.force_login(make_user("shop_manager"))
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("form", LOGIN_FORMS, ids=list(LOGIN_FORMS))
def test_changing_the_case_of_the_sign_in_name_does_not_escape_the_lock_out(client, axes_on, form):
    url, username_field, password_field, extra = LOGIN_FORMS[form]
    user = make_user("superuser", "boss")
    username = user.email if form == "storefront" else user.username
    spellings = [username, username.upper(), username.title(), f"  {username.upper()} "]
    for spelling in spellings[:2]:
        response = client.post(url, {username_field: spelling, password_field: "wrong", **extra})
        assert response.status_code == 200
    # The third failure, in yet another case, is the one that locks.
    locked = client.post(url, {username_field: spellings[2], password_field: "wrong", **extra})
    assert locked.status_code == 429
    for spelling in spellings:
        right = client.post(url, {username_field: spelling, password_field: PASSWORD, **extra})
        assert right.status_code == 429, spelling
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_out_behind_a_trusted_proxy_is_per_visitor_not_per_proxy(client, axes_on, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("support", "agent")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(3):
        client.post("/dashboard/login/", {"username": "agent", "password": "x"}, **attacker)
    assert (
        client.post("/dashboard/login/", {"username": "agent", "password": PASSWORD}, **attacker)
    ).status_code == 429
    # The agent, behind the same load balancer, is not locked out by the attacker...
    agent = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    response = client.post(
        "/dashboard/login/", {"username": "agent", "password": PASSWORD}, **agent
    )
    assert response.status_code == 302
    # ...and a forged header entry in front of the proxy's own changes nothing.
    client.logout()
    forged = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.4, 203.0.113.7"}
    assert (
        client.post("/dashboard/login/", {"username": "agent", "password": PASSWORD}, **forged)
    ).status_code == 429


# (form, name) pairs: the storefront's form takes an email only, the dashboard's either name.
BOTH_NAMES = [
    (("dashboard", "username"), ("dashboard", "email")),
    (("dashboard", "email"), ("dashboard", "username")),
    (("dashboard", "username"), ("storefront", "email")),
    (("storefront", "email"), ("dashboard", "username")),
]


def _sign_in(client, user, form, name, password):
    url, username_field, password_field, extra = LOGIN_FORMS[form]
    typed = user.username if name == "username" else user.email.upper()
    return client.post(url, {username_field: typed, password_field: password, **extra})


@pytest.mark.django_db
@pytest.mark.parametrize("failing, other", BOTH_NAMES, ids=lambda pair: "-".join(pair))
def test_failures_on_one_name_of_an_account_lock_its_other_name(client, axes_on, failing, other):
    user = make_user("support", "Agent")
    for _ in range(2):
        assert _sign_in(client, user, *failing, "wrong").status_code == 200
    assert _sign_in(client, user, *failing, "wrong").status_code == 429  # the third locks
    assert _sign_in(client, user, *other, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_success_on_one_name_clears_only_what_the_owner_proved(client, axes_on):
    """The owner signing in by email clears the account's failures; a stranger's unknown
    name keeps its own count, and cannot clear the account's."""
    user = make_user("support", "agent")
    for name in ("agent", "agent", "nobody@example.com", "nobody@example.com"):
        client.post("/dashboard/login/", {"username": name, "password": "wrong"})
    signed_in = client.post("/dashboard/login/", {"username": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    client.logout()
    for _ in range(2):
        client.post("/dashboard/login/", {"username": "agent", "password": "wrong"})
    assert (
        client.post("/dashboard/login/", {"username": "agent", "password": PASSWORD}).status_code
        == 302
    )  # two failures since the owner's success: not locked
    client.logout()
    stranger = client.post("/dashboard/login/", {"username": "nobody@example.com", "password": "x"})
    assert stranger.status_code == 429


@pytest.mark.django_db
def test_the_lock_out_name_is_the_accounts_username_whichever_name_is_typed():
    make_user("support", "Agent")
    assert axes_username(None, {"username": "agent@reliefworks.example"}) == "agent"
    assert axes_username(None, {"username": " AGENT "}) == "agent"
    assert axes_username(None, {"username": "Stranger@Example.com"}) == "stranger@example.com"
