import secrets

from tests.processes import production_manage as _manage


def test_missing_secret_key_with_debug_off_stops_with_one_line():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "SECRET_KEY is not set: set SECRET_KEY in the environment (or DEBUG=1 for local use)."
    ]


def test_production_configuration_passes_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shop.example.com",
        CACHE_URL="redis://127.0.0.1:6379/1",  # shared by every process (not contacted)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _setting(name, **env):
    result = _manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_staff_two_factor_is_required_in_production_unless_turned_off():
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    assert _setting("SUPPORT_REQUIRE_2FA", **production) == "True"
    assert _setting("SUPPORT_REQUIRE_2FA", **production, SUPPORT_REQUIRE_2FA="0") == "False"
    assert _setting("SUPPORT_REQUIRE_2FA", DEBUG="1") == "False"
