import pytest
from django.apps import apps
from django.core.management import call_command


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


@pytest.mark.django_db
def test_load_demo_twice_changes_no_row_counts():
    call_command("load_demo", verbosity=0)
    first = _row_counts()
    call_command("load_demo", verbosity=0)
    second = _row_counts()
    changed = {
        label: (first[label], second[label]) for label in first if first[label] != second[label]
    }
    assert changed == {}


@pytest.mark.django_db
def test_demo_has_products_pages_clinics_and_staff(demo):
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model
    from wagtail.models import Page

    Product = get_model("catalogue", "Product")
    titles = set(Product.objects.values_list("title", flat=True))
    assert {"Pain Therapy System", "Circulation Promoter"} <= titles
    assert any("Pads" in t for t in titles)
    assert all(p.images.exists() for p in Product.objects.all())
    assert Page.objects.filter(slug="what-do-back-spasms-feel-like").live().exists()
    users = get_user_model().objects
    assert users.filter(username="admin", is_superuser=True).exists()
    assert users.filter(username="editor").exists()
    assert users.filter(username="support").exists()
