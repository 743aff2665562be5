"""Django admin's offer benefit and condition pages refuse a row Oscar cannot name."""

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, model, fields",
    [
        ("/django-admin/offer/benefit/add/", Benefit, {"type": "", "value": "5"}),
        ("/django-admin/offer/benefit/add/", Benefit, {"proxy_class": "os.path"}),
        ("/django-admin/offer/condition/add/", Condition, {"type": "", "value": "1"}),
    ],
)
def test_a_benefit_or_condition_without_a_type_is_refused(client, path, model, fields):
    admin = get_user_model().objects.create_superuser("offers", "o@example.com", "pw-123456")
    client.force_login(admin)
    response = client.post(path, fields)
    assert response.status_code == 200  # the form again, with its error
    assert model.objects.count() == 0
