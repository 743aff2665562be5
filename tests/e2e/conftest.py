"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Without Chromium the tests skip with the reason, unless E2E_REQUIRED=1 (CI), where they
fail. A failing test leaves a screenshot under var/e2e-artifacts/ (CI prints the path).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.a11y import axe_script

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e-artifacts"
CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM_PATH", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
]
# Actions and navigations wait this long (E2E_TIMEOUT_MS), assertions half as long.
TIMEOUT_MS = int(os.environ.get("E2E_TIMEOUT_MS", "40000"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]


def _chromium_path():
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if not path:
        message = "Chromium not found (apt-get install -y chromium)"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(message + " and E2E_REQUIRED=1")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("E2E_REQUIRED") == "1":
            raise
        pytest.skip("playwright is not installed")
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS // 2)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Generous for a busy machine (CI next to other jobs): a page that renders in 100 ms
    # alone took over 15 s with both cores loaded; a real failure still fails, later.
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_timeout(15_000)
    axe = axe_script()
    if axe is not None:
        context.add_init_script(path=str(axe))
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"\nscreenshot saved: {shot}")
    context.close()


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback, live_server, settings):
    """The demo store behind the live server; returns its base URL.

    Serialized rollback puts back what migrations created (Wagtail's locale, root page and
    collection, the staff groups) after each browser test empties the database. A
    transactional test that ran before may have emptied it and put content types back under
    new ids: forget the ids this process remembers and put back what migrate's signal
    makes (content types, permissions, the default site).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    call_command("load_demo", verbosity=0)
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    settings.SITE_URL = live_server.url  # absolute links (emails, downloads) reach the browser
    return live_server.url
