"""Suggestions as you type (issue 25): the header's search box is an ARIA combobox; typing
"pain therpy" offers the Pain Therapy System, ArrowDown + Enter opens it, and axe finds
nothing at all on the open suggestions; on a phone the list fits the screen."""

from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible


def test_typing_a_typo_offers_the_product_and_enter_opens_it(page, demo_site):
    page.goto(f"{demo_site}/")
    box = page.locator("#site-search-q")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.click()
    box.press_sequentially("pain therpy", delay=30)
    listbox = page.locator("#site-search-listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "site-search-listbox")
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text("Pain Therapy System")
    expect(first).to_contain_text("$149.95")
    assert_accessible(page, every_impact=True)

    box.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("Enter")
    page.wait_for_url("**/shop/catalogue/pain-therapy-system*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pain Therapy System")


def test_on_a_phone_the_suggestions_fit_escape_closes_and_enter_searches(page, demo_site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{demo_site}/")
    box = page.locator("#site-search-q")
    box.click()
    box.press_sequentially("return policy", delay=30)
    listbox = page.locator("#site-search-listbox")
    expect(listbox).to_be_visible()
    right = page.evaluate(
        "() => document.getElementById('site-search-listbox').getBoundingClientRect().right"
    )
    assert right <= 360
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#site-search-listbox")).to_be_hidden()
    box.press("Enter")
    page.wait_for_url("**/search/?q=return+policy")
    results = page.locator(".search-pages")
    expect(results.get_by_role("link", name="Shipping & Returns")).to_be_visible()
