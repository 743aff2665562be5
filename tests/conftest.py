"""Test-wide settings and fixtures.

Tests run against the database named by DATABASE_URL (SQLite by default, PostgreSQL in CI's
second pass). The test database is built once per run; Oscar's and Wagtail's migrations are
the slow part of start-up.
"""

import os

import pytest
from django.core.management import call_command

pytest_plugins = ["tests.stripe_server", "tests.smtp_server"]

# Playwright's sync API keeps an event loop in the main thread; Django's ORM refuses to run
# while one exists unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _page_cache_commits_in_test_transactions(monkeypatch):
    """A test wrapped in a transaction (the ``db`` fixture) never commits, so the page
    cache's after-commit invalidations run at once there, as the commit would run them.
    Transactional tests (``transactional_db``, live servers) keep the real behaviour."""
    from django.db import connection, transaction

    from pagecache import signals

    def after_commit(func):
        if any(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            func()
        else:
            transaction.on_commit(func)

    monkeypatch.setattr(signals, "after_commit", after_commit)


def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith(("postgresql", "postgis"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    # CI runs the slow audits once, in the PostgreSQL pass (.ci/run sets RUN_SLOW_AUDITS=1).
    run_slow = os.environ.get("RUN_SLOW_AUDITS") == "1"
    skip_slow = pytest.mark.skip(reason="slow audit: set RUN_SLOW_AUDITS=1 to run it")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "slow_audit" in item.keywords and not run_slow:
            item.add_marker(skip_slow)


@pytest.fixture
def demo(db):
    """The demo store (catalogue, pages, clinics, staff), as `make run` shows it."""
    call_command("load_demo", verbosity=0)
