"""The store ships to the United States and Canada: make both selectable shipping countries."""

from django.db import migrations

COUNTRIES = [
    # iso_3166_1_a2, a3, numeric, printable name, official name, display order
    ("US", "USA", "840", "United States", "United States of America", 2),
    ("CA", "CAN", "124", "Canada", "Canada", 1),
]


def add_countries(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    for a2, a3, numeric, printable, name, order in COUNTRIES:
        Country.objects.update_or_create(
            iso_3166_1_a2=a2,
            defaults={
                "iso_3166_1_a3": a3,
                "iso_3166_1_numeric": numeric,
                "printable_name": printable,
                "name": name,
                "display_order": order,
                "is_shipping_country": True,
            },
        )


def stop_shipping(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.filter(iso_3166_1_a2__in=[c[0] for c in COUNTRIES]).update(
        is_shipping_country=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0001_initial"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(add_countries, stop_shipping)]
