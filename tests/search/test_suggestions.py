"""/search/suggest/: JSON for the header's combobox, cacheable and rate limited."""

import pytest

URL = "/search/suggest/"


def test_suggestions_list_products_with_price_and_image_then_articles_and_pages(demo, client):
    response = client.get(URL, {"q": "pain therpy"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    data = response.json()
    assert data["corrected"] == "pain therapy"
    first = data["products"][0]
    assert first["title"] == "Pain Therapy System"
    assert first["price"] == "$149.95"
    assert first["url"].startswith("/shop/catalogue/pain-therapy-system")
    assert first["image"]
    assert any(a["title"] == "How TENS Therapy Works" for a in data["articles"])
    pages = client.get(URL, {"q": "return policy"}).json()["pages"]
    assert pages[0]["title"] == "Shipping & Returns" and pages[0]["url"]


@pytest.mark.parametrize("query", ["", "p", "x" * 10_000, '"%_\\', "\U0001f600"])
def test_short_or_odd_text_gets_empty_lists(demo, client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert set(response.json()) == {"query", "corrected", "products", "articles", "pages"}


def test_too_many_requests_from_one_address_get_429(db, client, settings):
    settings.SEARCH_SUGGEST_RATE_LIMIT = (3, 60)
    settings.PAGE_CACHE_SECONDS = 0
    codes = [client.get(URL, {"q": f"pad{i}"}).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
