"""Narrow Wagtail's default Editors and Moderators groups to what the content team needs,
and assign the "Moderators approval" workflow to the home page. See blog/groups.py."""

from django.db import migrations


def forwards(apps, schema_editor):
    from staff.editorial_groups import ensure_editorial_groups

    ensure_editorial_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
