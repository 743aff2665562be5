"""Point the moved models' content types at this app, in place: same ids, so Wagtail's pages,
revisions, search entries and permissions keep pointing at them."""

from django.db import migrations

MOVED = [
    "sitechrome",
    "homepage",
    "homepagefeaturedproduct",
    "standardpage",
    "conditionpage",
    "conditionpagerecommendedproduct",
]


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=MOVED).exclude(model__in=taken).update(
        app_label=new
    )


def forwards(apps, schema_editor):
    _relabel(apps, "blog", "sitewide")


def backwards(apps, schema_editor):
    _relabel(apps, "sitewide", "blog")


class Migration(migrations.Migration):
    dependencies = [
        ("sitewide", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
