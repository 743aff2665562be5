"""SQLite under concurrent writers: two editors saving pages in the Wagtail admin (a few
saves each) and a shopper paying, at the same moment, each in its own thread and database
connection, as `make run`'s threaded server serves them. Without IMMEDIATE transactions
some of them get "database is locked" (a 500) when a transaction that has read tries to
write after another one wrote (checked: three such errors in this test without it)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from oscar.core.loading import get_model
from oscar.test.factories import create_product
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

from demo.shop import ensure_shipping_countries
from sitewide.models import StandardPage
from tests.concurrency import run_together
from tests.shop.conftest import _to_payment, pay

Order = get_model("order", "Order")

ROUNDS = 6
VISA = "4242424242424242"


def _edit_form(page, n):
    return nested_form_data(
        {
            "title": f"{page.title.split(' #')[0]} #{n}",
            "slug": page.slug,
            "intro": f"Revision {n}",
            "body": rich_text(f"<p>Revision {n} of the page.</p>"),
            "seo_title": "",
            "search_description": "",
            "canonical_url": "",
        }
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_saving_and_a_shopper_paying_at_once_get_no_database_is_locked(
    localstripe, demo
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite set-up of `make run`")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    ensure_shipping_countries()
    home = Page.objects.get(depth=2)
    pages = []
    for i in (1, 2):
        page = StandardPage(title=f"Policy {i}", slug=f"policy-{i}-busy", intro="v0")
        home.add_child(instance=page)
        pages.append(page)
    editors = []
    for i in (1, 2):
        user = get_user_model().objects.create_superuser(f"busy-editor-{i}", f"e{i}@x.test", "pw")
        client = Client()
        client.force_login(user)
        editors.append(client)
    product = create_product(title="TENS unit", price=Decimal("49.00"), num_in_stock=10)
    shopper = _to_payment(Client(), product, 1, "standard")
    answers = []

    def editor_saves(client, page):
        def job():
            for n in range(1, ROUNDS + 1):
                response = client.post(f"/cms/pages/{page.pk}/edit/", _edit_form(page, n))
                answers.append(("editor", response.status_code))

        return job

    def shopper_pays():
        token = localstripe.payment_method(VISA)
        response = pay(shopper, token)
        answers.append(("shopper", response.status_code))

    jobs = [editor_saves(client, page) for client, page in zip(editors, pages, strict=True)]
    results = run_together(*jobs, shopper_pays, timeout=120)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    assert sorted(answers) == [("editor", 302)] * (len(editors) * ROUNDS) + [("shopper", 200)]
    assert Order.objects.count() == 1
    for page in pages:
        assert page.revisions.count() == ROUNDS
