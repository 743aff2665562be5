"""Images on shopper pages: sized (no layout shift), in modern formats with `srcset`, the
largest above the fold fetched first and every other one lazily (issue 17)."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from oscar.core.loading import get_model
from wagtail.images import get_image_model
from wagtail.models import Page

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class Images(HTMLParser):
    """Every <img> of a page, each with the <source> types of its <picture>, if any."""

    def __init__(self, html):
        super().__init__()
        self.images, self._sources = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self._sources = []
        elif tag == "source" and self._sources is not None:
            self._sources.append(attrs)
        elif tag == "img":
            attrs["_sources"] = self._sources or []
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if tag == "picture":
            self._sources = None


def images(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return Images(response.content.decode()).images


def first_image(found):
    """What the page asks the browser to fetch first: at most one image, never lazy."""
    eager = [img for img in found if img.get("fetchpriority") == "high"]
    assert len(eager) <= 1, eager
    assert all(img.get("loading") != "lazy" for img in eager)
    return eager[0] if eager else None


def assert_modern_rendition(img):
    types = {source.get("type") for source in img["_sources"]}
    assert {"image/avif", "image/webp"} <= types, img
    for source in img["_sources"]:
        widths = [c.split()[-1] for c in source["srcset"].split(",")]
        assert len(widths) >= 2 and all(w.endswith("w") for w in widths), source


@pytest.mark.django_db
def test_every_image_is_sized_and_lazy_unless_it_is_the_first_one_fetched(demo, client):
    product = Product.objects.get(upc="RW-PTS-100")
    paths = [
        "/",
        "/blog/",
        Page.objects.get(slug="what-do-back-spasms-feel-like").url,
        Page.objects.get(slug="back-pain").url,
        Category.objects.get(slug="devices").get_absolute_url(),
        product.get_absolute_url(),
        "/shop/search/?q=pads",
        "/clinics/",
    ]
    for path in paths:
        found = images(client, path)
        first = first_image(found)
        for img in found:
            assert img.get("width") and img.get("height"), (path, img)
            assert "alt" in img, (path, img)
            # Photos (media); the header's logo is site chrome, always above the fold.
            if img["src"].startswith(settings.MEDIA_URL):
                assert img is first or img.get("loading") == "lazy", (path, img)


@pytest.mark.django_db
def test_the_largest_image_above_the_fold_is_fetched_first(demo, client):
    article = Page.objects.get(slug="what-do-back-spasms-feel-like")
    banner = first_image(images(client, article.url))
    assert banner and banner["alt"], "the article's banner"
    assert_modern_rendition(banner)

    # The blog index's first card, the first product of a listing and of the gallery.
    card = first_image(images(client, "/blog/"))
    assert card and "card-img-top" in card["class"]
    assert_modern_rendition(card)
    listing = first_image(images(client, Category.objects.get(slug="devices").get_absolute_url()))
    assert listing and listing["srcset"].endswith("2x")
    photo = first_image(images(client, Product.objects.get(upc="RW-PTS-100").get_absolute_url()))
    assert photo and "product photo" in photo["alt"]


@pytest.mark.django_db
def test_the_home_page_shows_the_hero_image_an_editor_chose(demo, client):
    home = Page.objects.get(depth=2).specific
    assert first_image(images(client, "/")) is None, "no hero image in the demo"
    home.hero_image = get_image_model().objects.first()
    home.save_revision().publish()

    hero = first_image(images(client, "/"))
    assert hero, "the hero image is fetched first"
    assert hero["alt"] == ""  # decorative: the hero's heading says what it is about
    assert_modern_rendition(hero)
