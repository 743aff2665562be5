"""The order search table (support/order_search.py) for the dashboard's email and name
look-ups: filled for the orders already there, with GIN trigram indexes on PostgreSQL.

``email`` and ``name`` are stored lower-cased and searched with case-sensitive LIKE or
``~`` on the column itself, so the indexes are on the plain columns. SQLite gets the table
without the indexes (it has no trigram indexes and its data are small).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = [
    ("support_search_email_trgm", "email"),
    ("support_search_name_trgm", "name"),
]


def fill(apps, schema_editor):
    from support import order_search

    order_search.rebuild(
        Order=apps.get_model("order", "Order"),
        Entry=apps.get_model("support", "OrderSearchEntry"),
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON support_ordersearchentry "
            f"USING gin ({column} gin_trgm_ops)"
        )
    schema_editor.execute("ANALYZE support_ordersearchentry")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("support", "0003_order_lookup_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrderSearchEntry",
            fields=[
                (
                    "order",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="support_search_entry",
                        serialize=False,
                        to="order.order",
                    ),
                ),
                ("email", models.TextField(blank=True)),
                ("name", models.TextField(blank=True)),
            ],
            options={
                "verbose_name_plural": "order search entries",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
