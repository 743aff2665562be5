"""Pages render what editors entered: the seed-modelled article, listings, feeds, SEO."""

import json
import re

import pytest
from django.urls import reverse

from blog.models import ArticlePage


def test_demo_article_shows_sections_products_references_and_condition_link(client, article):
    response = client.get("/blog/what-do-back-spasms-feel-like/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>What Do Back Spasms Feel Like?</h1>" in html
    assert '<h2 id="why-do-back-spasms-happen" class="article-heading">' in html
    assert '<h3 id="injury-or-strain" class="article-heading">' in html
    assert 'alt="A couple lifting boxes together"' in html
    assert "$149.95" in html and "$299.95" in html
    assert html.count('class="add-to-cart"') == 2
    assert re.search(r'action="/shop/basket/add/\d+/"', html)
    assert 'name="quantity"' in html
    assert '<li id="ref-1">' in html and '<li id="ref-2">' in html
    assert 'href="#ref-1"' in html
    assert "Spine-Health" in html and "MedicineNet" in html
    assert 'href="/back-pain/"' in html
    assert "Leave a Reply" in html
    assert "Download the Guide to Understanding Pain" in html


def test_article_has_seo_tags_and_article_json_ld(client, article):
    html = client.get(article.url).content.decode()
    canonical = "http://testserver/blog/what-do-back-spasms-feel-like/"  # SITE_URL in tests
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        'property="og:image"' in html
        and 'name="twitter:card" content="summary_large_image"' in html
    )
    assert "<title>What Do Back Spasms Feel Like? | ReliefWorks</title>" in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Article"
    assert data["headline"] == "What Do Back Spasms Feel Like?"


def test_canonical_url_override_is_used(client, article):
    article.canonical_url = "https://example.org/original/"
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert '<link rel="canonical" href="https://example.org/original/">' in html


def test_editor_text_cannot_break_out_of_json_ld(client, article):
    article.seo_title = "</script><script>alert(1)</script>"
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "</script><script>alert(1)" not in html


def test_banner_without_alt_text_is_refused(article):
    from django.core.exceptions import ValidationError

    article.banner_alt = "  "
    with pytest.raises(ValidationError):
        article.full_clean()


def test_blog_index_lists_articles_and_filters_by_tag_and_category(client, content):
    html = client.get("/blog/").content.decode()
    assert "What Do Back Spasms Feel Like?" in html
    assert "Why Do Legs Ache After a Long Day?" in html
    tagged = client.get("/blog/?tag=circulation").content.decode()
    assert "Why Do Legs Ache After a Long Day?" in tagged
    assert "What Do Back Spasms Feel Like?" not in tagged
    category = client.get("/blog/?category=therapy-at-home").content.decode()
    assert "How TENS Therapy Works" in category
    assert "Protect Your Back at Your Desk" not in category


@pytest.mark.parametrize(
    "query", ["?tag=no-such-tag", "?category=nope", "?page=99", "?page=abc", "?tag=%3Cscript%3E"]
)
def test_blog_index_unknown_tag_category_or_page_is_404(client, content, query):
    assert client.get("/blog/" + query).status_code == 404


def test_unknown_page_is_404(client, content):
    assert client.get("/blog/no-such-article/").status_code == 404


def test_blog_index_paginates(client, content):
    from blog.models import BlogIndexPage

    blog = BlogIndexPage.objects.get()
    for i in range(10):
        blog.add_child(instance=ArticlePage(title=f"Filler {i}", slug=f"filler-{i}", summary="x"))
    for page in ArticlePage.objects.filter(slug__startswith="filler"):
        page.save_revision().publish()
    first = client.get("/blog/").content.decode()
    assert "Page 1 of 2" in first
    assert client.get("/blog/?page=2").status_code == 200


def test_rss_and_atom_feeds_list_articles(client, content):
    rss = client.get(reverse("blog:feed-rss"))
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert b"What Do Back Spasms Feel Like?" in rss.content
    assert b"http://testserver/blog/what-do-back-spasms-feel-like/" in rss.content
    atom = client.get(reverse("blog:feed-atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"<feed" in atom.content and b"How TENS Therapy Works" in atom.content


def test_sitemap_lists_pages_and_products(client, content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "/blog/what-do-back-spasms-feel-like/</loc>" in xml
    assert "/back-pain/</loc>" in xml
    assert "/shop/catalogue/pain-therapy-system" in xml


def test_condition_page_lists_tagged_articles_and_recommended_products(client, content):
    html = client.get("/back-pain/").content.decode()
    assert "<h1>Back Pain</h1>" in html
    assert "What Do Back Spasms Feel Like?" in html
    assert "Protect Your Back at Your Desk" in html
    assert "Why Do Legs Ache After a Long Day?" not in html
    assert "Pain Therapy System" in html and "$149.95" in html


def test_home_page_shows_featured_products_latest_articles_clinics_and_guarantee(client, content):
    html = client.get("/").content.decode()
    assert "Featured products" in html and "$149.95" in html
    assert "What Do Back Spasms Feel Like?" in html
    assert 'href="/clinics/"' in html
    assert "90-day money-back guarantee" in html


def test_guarantee_page_counts_from_delivery_or_shipment(client, content):
    html = client.get("/guarantee/").content.decode()
    assert "delivered" in html and "shipped" in html


@pytest.mark.parametrize("path", ["/guarantee/", "/shipping-returns/", "/privacy/", "/contact/"])
def test_standard_pages_exist(client, content, path):
    assert client.get(path).status_code == 200


def test_related_articles_by_shared_tags(client, article):
    html = client.get(article.url).content.decode()
    related = html.split('class="related-articles"')[1]
    assert "How TENS Therapy Works" in related


def test_search_finds_articles_and_products(client, content):
    response = client.get("/search/", {"q": "spasms"})
    assert response.status_code == 200
    assert "What Do Back Spasms Feel Like?" in response.content.decode()
    products = client.get("/search/", {"q": "Circulation"}).content.decode()
    assert "Circulation Promoter" in products and "$299.95" in products


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "<script>alert(1)</script>", "%00"])
def test_search_survives_odd_queries(client, content, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_demo_loader_is_idempotent(content):
    from demo.blog import load_demo_content

    load_demo_content()
    assert ArticlePage.objects.filter(slug="what-do-back-spasms-feel-like").count() == 1
    assert ArticlePage.objects.count() == 4


def test_privacy_page_lists_every_cookie_by_category(client, content, settings):
    html = client.get("/privacy/").content.decode()
    for heading in ("Necessary", "Analytics", "Marketing"):
        assert f"<h3>{heading}" in html
    necessary = [
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.OSCAR_BASKET_COOKIE_OPEN,
        settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME,
        "messages",
        "consent",
    ]
    for name in [*necessary, "_ga", "_fbp", "_fbc"]:
        assert f"<code>{name}</code>" in html, name


def test_article_with_several_sections_lists_them_on_top(client, article):
    html = client.get("/blog/what-do-back-spasms-feel-like/").content.decode()
    toc = html.split('<nav class="article-toc"', 1)[1].split("</nav>", 1)[0]
    assert "On this page" in toc
    assert '<a href="#why-do-back-spasms-happen">' in toc
    # Subsections are listed under their section, not numbered with the sections.
    section = toc.split('<a href="#why-do-back-spasms-happen">', 1)[1].split("</li>\n      <li>")[0]
    assert "<ul>" in section and '<a href="#injury-or-strain">' in section
    # Every entry points at a heading that exists.
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in html


def test_short_article_has_no_table_of_contents(article):
    article.body = [("heading", {"text": "Only one", "level": "h2", "anchor": ""})]
    assert article.table_of_contents() == []
