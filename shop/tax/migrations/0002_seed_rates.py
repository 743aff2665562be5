"""Seed the rate table with the statewide and provincial base rates, give every product class
the tax class attribute, and let Shop managers edit rates.

Rates compiled on 2026-12-02 (see README, "Sales tax"): US statewide base rates as published
by the states' revenue departments and tabulated by the Sales Tax Institute ("State Sales Tax
Rates"); Canadian GST/HST from the Canada Revenue Agency's "GST/HST rates" page, QST from
Revenu Québec, PST/RST from the provincial finance ministries. Local (county, city) rates are
not seeded; shop managers add them with a postcode prefix. No row means no tax (AK, DE, MT,
NH, OR have no statewide sales tax).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TAX_CLASSES = ("standard", "exempt")


def seed(apps, schema_editor):
    from shop.tax.seed import seed_rates

    seed_rates(apps.get_model("tax", "TaxRate"))

    OptionGroup = apps.get_model("catalogue", "AttributeOptionGroup")
    Option = apps.get_model("catalogue", "AttributeOption")
    ProductAttribute = apps.get_model("catalogue", "ProductAttribute")
    group, _ = OptionGroup.objects.get_or_create(name="Tax class")
    for value in TAX_CLASSES:
        Option.objects.get_or_create(group=group, option=value)
    for product_class in apps.get_model("catalogue", "ProductClass").objects.all():
        ProductAttribute.objects.get_or_create(
            product_class=product_class,
            code="tax_class",
            defaults={"name": "Tax class", "type": "option", "option_group": group},
        )

    from staff.groups import create_staff_groups

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    create_staff_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tax", "0001_initial"),
        ("support", "0004_order_search_entry"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
