import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible

pytestmark = pytest.mark.e2e


def test_header_link_to_zip_search_to_nearest_clinic_page(page, demo_site):
    page.goto(demo_site + "/")
    page.locator("header").get_by_role("link", name="Clinic Locator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic Locator")
    assert_accessible(page)

    search = page.locator("form.clinic-search")
    search.get_by_label("ZIP code, postal code or city").fill("10001")
    search.get_by_role("button", name="Search").click()

    results = page.locator(".clinic-result")
    expect(results.first).to_be_visible()
    distances = [
        float(value)
        for value in results.locator(".clinic-distance").evaluate_all(
            "nodes => nodes.map(n => n.dataset.distanceKm)"
        )
    ]
    assert len(distances) >= 3
    assert distances == sorted(distances)
    expect(results.first.get_by_role("heading")).to_have_text("Midtown Pain Relief Clinic")
    expect(results.first.locator('a[href^="tel:"]')).to_be_visible()
    assert_accessible(page)

    results.first.get_by_role("link", name="Midtown Pain Relief Clinic").click()
    expect(page).to_have_url(re.compile(r"/clinics/midtown-pain-relief-clinic/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Midtown Pain Relief Clinic")
    expect(page.get_by_role("heading", name="Opening hours")).to_be_visible()
    assert_accessible(page)
