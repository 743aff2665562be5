"""Finance and support read what the payment records say in the Django admin; nobody edits
them there (refunds and fixes go through Stripe with the dashboard or reconcile_payments)."""

import pytest
from django.contrib.auth import get_user_model

from shop.payments.models import ReconciliationEntry, WebhookEvent

pytestmark = pytest.mark.django_db

CHANGELIST = "/django-admin/store/reconciliationentry/"


@pytest.fixture
def entry():
    return ReconciliationEntry.objects.create(
        payment_intent_id="pi_admin_test",
        problem=ReconciliationEntry.Problem.PAID_WITHOUT_ORDER,
        stripe_amount=4999,
        detail="basket 7 gone",
    )


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-long-enough")
    client.force_login(user)
    return client


def test_superuser_reads_reconciliation_entries(superuser_client, entry):
    page = superuser_client.get(CHANGELIST)
    assert page.status_code == 200
    assert "pi_admin_test" in page.text
    assert "Paid at Stripe, no order" in page.text
    detail = superuser_client.get(f"{CHANGELIST}{entry.pk}/change/")
    assert detail.status_code == 200
    assert "basket 7 gone" in detail.text


def test_payment_records_cannot_be_added_changed_or_deleted(superuser_client, entry):
    event = WebhookEvent.objects.create(stripe_id="evt_admin", type="payment_intent.succeeded")
    assert superuser_client.get(f"{CHANGELIST}add/").status_code == 403
    changed = superuser_client.post(
        f"{CHANGELIST}{entry.pk}/change/", {"detail": "edited", "problem": "captured_differs"}
    )
    assert changed.status_code == 403
    assert (
        superuser_client.post(f"{CHANGELIST}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    deleted = superuser_client.post(
        f"/django-admin/store/webhookevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 403
    entry.refresh_from_db()
    assert entry.detail == "basket 7 gone"
    assert WebhookEvent.objects.filter(pk=event.pk).exists()


def test_staff_without_the_view_permission_are_refused(client, entry):
    user = get_user_model().objects.create_user("clerk", "clerk@example.com", "pw-long-enough")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403
