"""Every staff role against every area and action: exactly the answers in the table.

The table is also support/PERMISSIONS.md (checked below), which the README quotes.
"yes" means the page opened (200) or the action took effect; "no" means 403, or a redirect
to a sign-in page (or to the Wagtail dashboard, Wagtail's refusal), and no effect.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

from support.models import Refund, ReturnRequest
from tests.support.conftest import ROLES, make_order, make_user

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
ShippingEvent = get_model("order", "ShippingEvent")
UPS = "1Z999AA10123456784"

PAGES = {
    "Dashboard: index": "/dashboard/",
    "Dashboard: orders (list, search)": "/dashboard/orders/",
    "Dashboard: order page": "/dashboard/orders/{order}/",
    "Dashboard: customers": "/dashboard/users/",
    "Dashboard: returns queue": "/dashboard/returns/",
    "Dashboard: catalogue (products, prices)": "/dashboard/catalogue/",
    "Dashboard: stock alerts": "/dashboard/catalogue/stock-alerts/",
    "Dashboard: partners (stock records)": "/dashboard/partners/",
    "Dashboard: offers": "/dashboard/offers/",
    "Dashboard: vouchers": "/dashboard/vouchers/",
    "Dashboard: shipping methods": "/dashboard/shipping/weight-based/",
    "Dashboard: sales tax rates": "/dashboard/tax/",
    "Dashboard: reviews": "/dashboard/reviews/",
    "Dashboard: pages": "/dashboard/pages/",
    "Dashboard: reports": "/dashboard/reports/",
    "CMS (/cms/)": "/cms/",
    "CMS: search synonyms": "/cms/snippets/sitesearch/synonym/",
    "CMS: searches without results": "/cms/snippets/sitesearch/zeroresultquery/",
    "Django admin: orders": "/django-admin/order/order/",
    "Django admin: users and groups": "/django-admin/auth/group/",
}
ACTIONS = [
    "Action: refund (POST)",
    "Action: approve return (POST)",
    "Action: change order status (POST)",
    "Action: add order note (POST)",
    "Action: mark dispatched / delivered (POST)",
    "Action: upload dispatch CSV (POST)",
]
COLUMNS = ["superuser", "support", "shop_manager", "editor", "moderator", "staff", "customer"]
HEADINGS = {
    "superuser": "Superuser",
    "support": "Support",
    "shop_manager": "Shop managers",
    "editor": "Editors",
    "moderator": "Moderators",
    "staff": "Staff, no group",
    "customer": "Customer",
}

Y, N = "yes", "no"
EXPECTED = {
    #                                           super support manager editor moder. staff cust.
    "Dashboard: index":                         [Y, Y, Y, N, N, N, N],
    "Dashboard: orders (list, search)":         [Y, Y, N, N, N, N, N],
    "Dashboard: order page":                    [Y, Y, N, N, N, N, N],
    "Dashboard: customers":                     [Y, Y, N, N, N, N, N],
    "Dashboard: returns queue":                 [Y, Y, N, N, N, N, N],
    "Dashboard: catalogue (products, prices)":  [Y, N, Y, N, N, N, N],
    "Dashboard: stock alerts":                  [Y, N, Y, N, N, N, N],
    "Dashboard: partners (stock records)":      [Y, N, Y, N, N, N, N],
    "Dashboard: offers":                        [Y, N, Y, N, N, N, N],
    "Dashboard: vouchers":                      [Y, N, Y, N, N, N, N],
    "Dashboard: shipping methods":              [Y, N, Y, N, N, N, N],
    "Dashboard: sales tax rates":               [Y, N, Y, N, N, N, N],
    "Dashboard: reviews":                       [Y, N, Y, N, N, N, N],
    "Dashboard: pages":                         [Y, N, N, N, N, N, N],
    "Dashboard: reports":                       [Y, N, N, N, N, N, N],
    "CMS (/cms/)":                              [Y, N, N, Y, Y, N, N],
    "CMS: search synonyms":                     [Y, N, N, N, Y, N, N],
    "CMS: searches without results":            [Y, N, N, N, Y, N, N],
    "Django admin: orders":                     [Y, Y, N, N, N, N, N],
    "Django admin: users and groups":           [Y, N, N, N, N, N, N],
    "Action: refund (POST)":                    [Y, Y, N, N, N, N, N],
    "Action: approve return (POST)":            [Y, Y, N, N, N, N, N],
    "Action: change order status (POST)":       [Y, Y, N, N, N, N, N],
    "Action: add order note (POST)":            [Y, Y, N, N, N, N, N],
    "Action: mark dispatched / delivered (POST)": [Y, Y, N, N, N, N, N],
    "Action: upload dispatch CSV (POST)":       [Y, Y, N, N, N, N, N],
}  # fmt: skip


def _denied(response):
    if response.status_code == 403:
        return True
    if response.status_code != 302:
        return False
    # Wagtail refuses a signed-in editor by sending them to its dashboard with a message.
    return "login" in response.url or response.url == "/cms/"


def _page_answer(response):
    if response.status_code == 200:
        return Y
    assert _denied(response), (response.status_code, getattr(response, "url", ""))
    return N


def _actions(client, role, make_paid_order):
    order = make_paid_order()
    answers = {}

    response = client.post(
        f"/dashboard/orders/{order.number}/refund/",
        {"idempotency_key": f"matrix-{role}", "amount": "5.00"},
    )
    done = Refund.objects.filter(order=order).exists()
    answers["Action: refund (POST)"] = _action_answer(response, done)

    return_request = ReturnRequest.objects.create(
        number=f"R-{role}", order=order, email="x@example.com", reason="other"
    )
    response = client.post(f"/dashboard/returns/{return_request.number}/", {"action": "approve"})
    return_request.refresh_from_db()
    done = return_request.status == ReturnRequest.Status.APPROVED
    answers["Action: approve return (POST)"] = _action_answer(response, done)

    order = make_order()
    response = client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "Cancelled", "confirm_cancel": "on"},
    )
    done = Order.objects.get(pk=order.pk).status == "Cancelled"
    answers["Action: change order status (POST)"] = _action_answer(response, done)

    response = client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "save_note", "message": "Called the customer"},
    )
    done = OrderNote.objects.filter(order=order).exists()
    answers["Action: add order note (POST)"] = _action_answer(response, done)

    order = make_order()
    response = client.post(
        f"/dashboard/orders/{order.number}/",
        {"line_action": "dispatch_lines", "carrier": "ups", "tracking_number": UPS},
    )
    done = ShippingEvent.objects.filter(order=order).exists()
    answers["Action: mark dispatched / delivered (POST)"] = _action_answer(response, done)

    order = make_order()
    response = client.post(
        "/dashboard/shipments/upload/",
        {
            "kind": "dispatched",
            "file": SimpleUploadedFile(
                "ship.csv",
                f"order_number,carrier,tracking_number\n{order.number},ups,{UPS}\n".encode(),
            ),
        },
    )
    done = ShippingEvent.objects.filter(order=order).exists()
    answers["Action: upload dispatch CSV (POST)"] = _action_answer(response, done)
    return answers


def _action_answer(response, done):
    if done:
        assert response.status_code in (200, 302) and not _denied(response)
        return Y
    assert _denied(response), (response.status_code, getattr(response, "url", ""))
    return N


def as_markdown(table):
    lines = [
        "| Area / action | " + " | ".join(HEADINGS[c] for c in COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    for area, answers in table.items():
        lines.append(f"| {area} | " + " | ".join(answers) + " |")
    return "\n".join(lines)


@pytest.mark.django_db
def test_permission_matrix(client, paid_with_stripe):
    order = make_order()
    actual = {area: [] for area in EXPECTED}
    for role in COLUMNS:
        user = make_user(role)
        client.force_login(user)
        for area, url in PAGES.items():
            response = client.get(url.format(order=order.number))
            actual[area].append(_page_answer(response))
        for area, answer in _actions(client, role, paid_with_stripe).items():
            actual[area].append(answer)
        client.logout()
    assert as_markdown(actual) == as_markdown(EXPECTED)


def test_permissions_md_is_the_tested_table():
    text = (Path(__file__).resolve().parents[2] / "support" / "PERMISSIONS.md").read_text()
    assert as_markdown(EXPECTED) in text


def test_roles_cover_every_column():
    assert set(COLUMNS) == set(ROLES)
