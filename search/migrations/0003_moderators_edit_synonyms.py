"""Moderators edit the synonyms and read the searches that found nothing
(staff/editorial_groups.py, MODERATOR_PERMISSIONS)."""

from django.db import migrations

from staff.editorial_groups import ensure_editorial_groups


def forwards(apps, schema_editor):
    ensure_editorial_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("sitesearch", "0002_trigram_indexes"),
        ("blog", "0003_move_site_pages_to_sitewide"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
