"""A 320 px wide screen and text at 200 %: no page scrolls sideways (WCAG 1.4.4, 1.4.10)
and no product card's title runs into its price.

Text zoom is emulated by doubling the root font size on a 640 px wide window (a 1280 px
screen at 200 %); the size is set through the CSSOM, which the site's CSP allows.
"""

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, TIMEOUT_MS

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

OVERFLOW = """() => {
  const root = document.scrollingElement;
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > root.clientWidth + 1;
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" ? " " + el.className : ""));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""
# Card titles (two lines at most) clear of the price below them.
CRAMPED_CARDS = """() => [...document.querySelectorAll(".product-card")].filter((card) => {
  const title = card.querySelector(".product-card-title").getBoundingClientRect();
  const price = card.querySelector(".price");
  return price && price.getBoundingClientRect().top - title.bottom < 4;
}).map((card) => card.querySelector(".product-card-title").innerText)"""
DOUBLE_TEXT = "() => { document.documentElement.style.fontSize = '200%'; }"
MODES = {
    "320px": {"viewport": {"width": 320, "height": 640}, "text": None},
    "text-200": {"viewport": {"width": 640, "height": 800}, "text": DOUBLE_TEXT},
}


def _pages():
    product = Product.objects.get(upc="RW-PTS-100").get_absolute_url()
    return {
        "home": "/",
        "article": "/blog/what-do-back-spasms-feel-like/",
        "product": product,
        "category": Category.objects.filter(depth=1).first().get_absolute_url(),
        "basket": "/shop/basket/",
        "checkout": "/shop/checkout/",
        "clinic-locator": "/clinics/?q=10001",
        "clinic": "/clinics/midtown-pain-relief-clinic/",
    }


@pytest.mark.parametrize("mode", MODES)
def test_no_page_scrolls_sideways(browser, demo_site, mode):
    settings = MODES[mode]
    context = browser.new_context(viewport=settings["viewport"])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    product = Product.objects.get(upc="RW-PTS-100").get_absolute_url()
    page.goto(demo_site + product)
    page.locator("#add_to_basket_form [type=submit]").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")
    failures = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in _pages().items():
        page.goto(demo_site + path)
        if settings["text"]:
            page.evaluate(settings["text"])
        page.wait_for_load_state("load")
        found = page.evaluate(OVERFLOW)
        page.screenshot(path=str(ARTIFACTS / f"reflow-{mode}-{name}.png"), full_page=True)
        if found["scrollWidth"] > found["clientWidth"]:
            failures.append(f"{name} ({path}): {found}")
        cramped = page.evaluate(CRAMPED_CARDS)
        if cramped:
            failures.append(f"{name} ({path}): titles touching their price: {cramped}")
    context.close()
    assert not failures, "pages scrolling sideways:\n" + "\n".join(failures)
