"""Create the Support and Shop managers groups (support/groups.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    from staff.groups import create_staff_groups

    # Permissions are normally created after all migrations have run (post_migrate); create
    # them now so the groups can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    create_staff_groups(apps)


def remove_groups(apps, schema_editor):
    from staff.groups import GROUP_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("payment", "0005_auto_20200801_0817"),
        ("address", "0007_useraddress_code"),
        ("communication", "0004_auto_20200801_0817"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("partner", "0007_partneraddress_code"),
        ("offer", "0013_range_excluded_categories"),
        ("voucher", "0010_auto_20210224_0712"),
        ("reviews", "0005_productreview_code"),
        ("shipping", "0003_auto_20181115_1953"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
