"""Shopper pages load one small stylesheet built from the repo, and no script they do not use."""

import gzip
import re
import subprocess
from pathlib import Path

import pytest
from oscar.core.loading import get_model

ROOT = Path(__file__).resolve().parents[2]
STORE_CSS = ROOT / "static" / "css" / "store.css"
SASS = ROOT / "frontend" / "node_modules" / ".bin" / "sass"

Product = get_model("catalogue", "Product")
CONTENT_PAGES = ["/", "/blog/", "/blog/what-do-back-spasms-feel-like/", "/back-pain/", "/clinics/"]


def _stylesheets(html):
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def _scripts(html):
    return re.findall(r'<script src="([^"]+)"', html)


def test_store_css_is_at_most_50_kb_compressed():
    assert len(gzip.compress(STORE_CSS.read_bytes(), 9)) <= 50 * 1024


@pytest.mark.skipif(not SASS.exists(), reason="frontend tools not installed (make frontend)")
def test_committed_store_css_is_built_from_the_current_sources(tmp_path):
    out = tmp_path / "store.css"
    subprocess.run(
        [
            str(SASS),
            "--quiet-deps",
            "--no-source-map",
            "--style=compressed",
            "--load-path=node_modules",
            "scss/store.scss",
            str(out),
        ],
        cwd=ROOT / "frontend",
        check=True,
    )
    assert out.read_text() == STORE_CSS.read_text(), "static/css/store.css is stale: make css"


@pytest.mark.django_db
@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_content_pages_load_the_store_css_and_no_jquery_or_bootstrap_js(demo, client, path):
    html = client.get(path).content.decode()
    sheets = _stylesheets(html)
    assert any("css/store" in s for s in sheets)
    assert not any("oscar/css/styles" in s for s in sheets)
    scripts = " ".join(_scripts(html))
    assert "jquery" not in scripts and "bootstrap" not in scripts


@pytest.mark.django_db
def test_product_page_uses_the_store_css_not_oscars_full_stylesheet(demo, client):
    url = Product.objects.get(upc="RW-PTS-100").get_absolute_url()
    html = client.get(url).content.decode()
    sheets = _stylesheets(html)
    assert any("css/store" in s for s in sheets)
    assert not any("oscar/css/styles" in s for s in sheets)


def test_store_css_carries_the_store_own_styles():
    css = STORE_CSS.read_text()
    for selector in (".announcement-bar", ".product-card", ".article-toc", ".consent-banner"):
        assert selector in css
