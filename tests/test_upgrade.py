"""Upgrading a database made by the code before the restructure (issue 11) keeps its data.

The old code (main at 179706a) migrates a fresh database and loads the demo, plus an order,
a return request and an approved comment; then this checkout migrates the same database:
products, orders, pages (each still loading as its specific type), comments, clinics and
returns are all still there, and every live page answers 200.

Slow (two full migrations and the demo): run with RUN_SLOW_AUDITS=1. SQLite by default;
UPGRADE_DATABASE_URL=postgres://... (an empty, throw-away database) runs it on PostgreSQL.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow_audit

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "179706a"

OLD_DATA = """
import json
from oscar.test.factories import create_order
from blog.models import ArticleComment, ArticlePage
from support.models import ReturnLine, ReturnRequest

order = create_order()
line = order.lines.first()
request = ReturnRequest.objects.create(
    number="R-UPGRADE-1", order=order, email="upgrade@example.com", reason="other"
)
ReturnLine.objects.create(return_request=request, order_line=line, quantity=1)
ArticleComment.objects.create(
    page=ArticlePage.objects.live().first(), name="Upgrade", email="upgrade@example.com",
    text="Still here after the upgrade?", status="approved",
)
"""

COUNTS = """
import json
from django.apps import apps
from wagtail.models import Page

def count(label):
    return apps.get_model(label).objects.count()

pages = {
    str(page.pk): type(page.specific).__name__
    for page in Page.objects.filter(depth__gt=1)
}
print(json.dumps({
    "products": count("catalogue.Product"),
    "orders": count("order.Order"),
    "order_lines": count("order.Line"),
    "comments": count("blog.ArticleComment"),
    "leads": count("blog.Lead"),
    "clinics": count("clinics.Clinic"),
    "returns": count("support.ReturnRequest"),
    "return_lines": count("support.ReturnLine"),
    "revisions": count("wagtailcore.Revision"),
    "pages": pages,
}))
"""

PAGES_ANSWER = """
import json
from django.test import Client
from wagtail.models import Page

client = Client()
answers = {"/": client.get("/").status_code}
for page in Page.objects.live().public().filter(depth__gt=1).specific():
    url = page.get_url()
    if url:
        answers[url] = client.get(url).status_code
print(json.dumps(answers))
"""


def _env(tmp_path, database_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST", "DEV_TOOLS"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "upgrade-test-key-0123456789-0123456789-0123456789-0123",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "CACHE_URL": "locmemcache://",
            "PAGE_CACHE_SINGLE_PROCESS": "1",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "SUPPORT_REQUIRE_2FA": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def _manage(cwd, env, *args):
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"{cwd} manage.py {args[0]}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _shell(cwd, env, script):
    out = _manage(cwd, env, "shell", "-c", script)
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def old_code(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed: cannot extract the pre-restructure code")
    found = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"],
        capture_output=True,
    )
    if found.returncode != 0:
        pytest.skip(f"commit {OLD_COMMIT} (main before the restructure) is not in this clone")
    target = tmp_path / "old"
    target.mkdir()
    archive = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "archive", OLD_COMMIT], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)  # noqa: S603
    (target / "var").mkdir(exist_ok=True)
    return target


def test_upgrading_a_database_from_before_the_restructure_keeps_its_data(tmp_path, old_code):
    database_url = os.environ.get("UPGRADE_DATABASE_URL") or (
        f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    )
    env = _env(tmp_path, database_url)

    _manage(old_code, env, "migrate", "--noinput", "-v0")
    _manage(old_code, env, "load_demo", "-v0")
    _manage(old_code, env, "shell", "-c", OLD_DATA)
    before = _shell(old_code, env, COUNTS)
    assert before["orders"] >= 1 and before["returns"] >= 1 and before["comments"] >= 1
    assert {"HomePage", "StandardPage", "ConditionPage", "ArticlePage"} <= set(
        before["pages"].values()
    )

    _manage(ROOT, env, "migrate", "--noinput", "-v0")
    after = _shell(ROOT, env, COUNTS)

    assert after == before
    answers = _shell(ROOT, env, PAGES_ANSWER)
    assert answers["/"] == 200
    assert {url: status for url, status in answers.items() if status != 200} == {}
