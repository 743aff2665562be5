"""Staff see newsletter subscribers in the Wagtail admin and export them as CSV."""

import pytest
from django.contrib.auth.models import Permission

from marketing.models import Subscriber

pytestmark = pytest.mark.django_db

LIST_URL = "/cms/snippets/marketing/subscriber/"


@pytest.fixture
def subscribers(db):
    Subscriber.objects.create(email="ada@example.com", status="confirmed", source="footer")
    Subscriber.objects.create(email="bob@example.com", status="pending", source="article")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_staff_list_subscribers(client, admin_user, subscribers):
    client.force_login(admin_user)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert b"ada@example.com" in response.content
    assert b"bob@example.com" in response.content


def test_staff_export_subscribers_as_csv(client, admin_user, subscribers):
    client.force_login(admin_user)

    response = client.get(LIST_URL + "?export=csv&status=confirmed")

    assert response.status_code == 200
    lines = body(response).decode().splitlines()
    assert lines[0].startswith("Email,Status,Source")
    assert any(line.startswith("ada@example.com,confirmed,footer") for line in lines[1:])
    assert not any("bob@example.com" in line for line in lines)


def test_editor_without_subscriber_permission_cannot_see_them(
    client, django_user_model, subscribers
):
    editor = django_user_model.objects.create_user("ed", "ed@example.com", "pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.get(LIST_URL)

    assert response.status_code in (302, 403)
