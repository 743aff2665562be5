"""Indexes for the dashboard's order look-up on PostgreSQL (bench/orders.py measures them).

Django's case-insensitive lookups compile to ``UPPER(column) LIKE UPPER(pattern)``, so the
trigram indexes are on ``UPPER(column)``: they serve "contains" (email part, phone digits)
and "starts with" (name, order number) alike. Equality look-ups (postcode, PaymentIntent
id) get plain B-tree indexes. SQLite, used for local runs and most tests, gets none of
this: it has no trigram indexes and its data are small.
"""

from django.db import migrations

INDEXES = [
    ("support_order_guest_email_trgm", "order_order", "gin", "UPPER(guest_email) gin_trgm_ops"),
    ("support_order_number_trgm", "order_order", "gin", "UPPER(number) gin_trgm_ops"),
    ("support_order_status_placed", "order_order", "btree", "status, date_placed"),
    ("support_user_email_trgm", "auth_user", "gin", "UPPER(email) gin_trgm_ops"),
    ("support_user_first_name_trgm", "auth_user", "gin", "UPPER(first_name) gin_trgm_ops"),
    ("support_user_last_name_trgm", "auth_user", "gin", "UPPER(last_name) gin_trgm_ops"),
    ("support_ship_first_name_trgm", "order_shippingaddress", "gin", "UPPER(first_name) gin_trgm_ops"),
    ("support_ship_last_name_trgm", "order_shippingaddress", "gin", "UPPER(last_name) gin_trgm_ops"),
    ("support_ship_postcode_upper", "order_shippingaddress", "btree", "UPPER(postcode)"),
    ("support_ship_phone_trgm", "order_shippingaddress", "gin", "phone_number gin_trgm_ops"),
    ("support_bill_first_name_trgm", "order_billingaddress", "gin", "UPPER(first_name) gin_trgm_ops"),
    ("support_bill_last_name_trgm", "order_billingaddress", "gin", "UPPER(last_name) gin_trgm_ops"),
    ("support_source_reference", "payment_source", "btree", "reference"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, method, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {method} ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_staff_groups"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("payment", "0005_auto_20200801_0817"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
