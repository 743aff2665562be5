"""The key pages run under the Content-Security-Policy without a single violation in
Chromium: home, article, product, basket, checkout through a localstripe payment, and the
clinic locator."""

from playwright.sync_api import expect

from tests.e2e.helpers import VISA, pay_with
from tests.e2e.test_checkout_journey import (
    ARTICLE,
    add_therapy_system_from_the_article,
    checkout_to_payment,
    order_number_on,
)

# Recorded in the page itself, so violations in any frame of ours are caught even when the
# browser does not print them.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _watch(page):
    problems = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def _violations(page):
    return page.evaluate("window.__cspViolations || []")


def test_key_pages_and_a_card_payment_run_without_csp_violations(page, demo_site, localstripe):
    problems = _watch(page)
    response = page.goto(demo_site + "/")
    assert "script-src" in response.headers["content-security-policy"]
    assert _violations(page) == []
    page.goto(demo_site + ARTICLE)
    assert _violations(page) == []
    add_therapy_system_from_the_article(page, demo_site)  # the product page
    assert _violations(page) == []
    page.goto(demo_site + "/clinics/?q=10001")
    expect(page.locator("main")).to_contain_text("mi")
    assert _violations(page) == []
    checkout_to_payment(page, demo_site, guest_email="csp@example.com")  # basket, checkout
    assert _violations(page) == []
    pay_with(page, VISA)
    order_number_on(page)
    assert _violations(page) == []
    assert [p for p in problems if "Content Security Policy" in p or "page error" in p] == []


def test_oscar_page_set_up_runs_from_its_file_on_shop_pages(page, demo_site):
    """No inline script any more: static/js/oscar-init.js runs what each page needs."""
    problems = _watch(page)
    ready = page.locator("html")
    page.goto(demo_site + "/shop/catalogue/")
    expect(ready).to_have_attribute("data-oscar-ready", "oscar search")
    page.get_by_role("link", name="Pain Therapy System").first.click()
    expect(ready).to_have_attribute("data-oscar-ready", "oscar")
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    page.goto(demo_site + "/shop/basket/")
    expect(ready).to_have_attribute("data-oscar-ready", "oscar basket")
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(ready).to_have_attribute("data-oscar-ready", "oscar")  # the one page: its own script
    assert _violations(page) == []
    assert [p for p in problems if "Content Security Policy" in p or "page error" in p] == []
