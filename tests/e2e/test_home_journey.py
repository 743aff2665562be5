import re

from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible


def test_home_to_article_to_product(page, demo_site):
    page.goto(demo_site + "/")
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="90 Day Money Back Guarantee")).to_be_visible()
    expect(header.locator('a[href^="tel:"]')).to_have_attribute(
        "href", re.compile(r"^tel:\+1\d{10}$")
    )
    expect(header.get_by_role("link", name="Clinic Locator")).to_be_visible()
    expect(header.locator("#mini-cart")).to_contain_text("Your cart is empty")
    assert_accessible(page)

    page.get_by_role("link", name="Blog", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="What Do Back Spasms Feel Like?").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What Do Back Spasms Feel Like?")
    assert_accessible(page)

    page.locator("article").get_by_role("link", name="Pain Therapy System").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pain Therapy System")
    expect(page.locator("body")).to_contain_text("$149.95")
    assert_accessible(page)
