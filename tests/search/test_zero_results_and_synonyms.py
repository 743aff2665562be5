"""Searches that find nothing are counted in a list staff read; a synonym staff add makes
the next search find the product, and empties the page cache's search copies."""

import pytest
from django.contrib.auth.models import Permission

from pagecache import tags as pagecache_tags
from pagecache.tags import tags_invalidated
from search.models import Synonym, ZeroResultQuery

ZERO_LIST = "/cms/snippets/sitesearch/zeroresultquery/"
SYNONYMS = "/cms/snippets/sitesearch/synonym/"


def test_a_zero_result_query_is_listed_for_staff_and_a_synonym_then_finds_the_product(
    demo, client, admin_client, django_user_model
):
    for text in ("Infrared lamp", "infrared  LAMP!"):
        response = client.get("/search/", {"q": text})
        assert "Nothing matches" in response.content.decode()
        # Never kept by the page cache: each search is counted.
        assert "max-age=0" in response["Cache-Control"]
    row = ZeroResultQuery.objects.get(query="infrared lamp")
    assert row.count == 2

    listing = admin_client.get(ZERO_LIST)
    assert listing.status_code == 200
    assert "infrared lamp" in listing.content.decode()
    assert admin_client.get(f"{ZERO_LIST}add/").status_code in (302, 403, 404)

    created = admin_client.post(
        f"{SYNONYMS}add/", {"term": "Infrared lamp", "expansion": "pain therapy system"}
    )
    assert created.status_code == 302
    found = client.get("/search/", {"q": "infrared lamp"}).content.decode()
    assert "Pain Therapy System" in found and "Nothing matches" not in found


def test_the_staff_list_needs_the_view_permission(demo, client, django_user_model):
    user = django_user_model.objects.create_user("reader", "r@example.com", "pw-12345678")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(ZERO_LIST).status_code in (302, 403)
    user.user_permissions.add(Permission.objects.get(codename="view_zeroresultquery"))
    user = django_user_model.objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get(ZERO_LIST).status_code == 200


@pytest.mark.django_db
def test_saving_a_synonym_invalidates_the_page_cache_search_copies():
    seen = []

    def listen(sender, tags, **kwargs):
        seen.append(tags)

    tags_invalidated.connect(listen)
    try:
        Synonym.objects.create(term="Heat pad", expansion="therapy belt")
    finally:
        tags_invalidated.disconnect(listen)
    assert any(pagecache_tags.SEARCH in tags for tags in seen)
    assert Synonym.objects.get().term == "heat pad"


def test_a_cached_search_page_renders_afresh_after_a_synonym(demo, client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/search/", {"q": "heat pad"})
    assert first.status_code == 200
    again = client.get("/search/", {"q": "heat pad"})
    assert again.get("X-Page-Cache") == "hit"
    Synonym.objects.create(term="heat pad", expansion="therapy belt")
    after = client.get("/search/", {"q": "heat pad"})
    assert after.get("X-Page-Cache") != "hit"
