"""The shipping event types the store's dispatch and delivery screens record
(support/fulfilment.py): present after ``migrate``, not only with the demo data."""

from django.db import migrations

EVENT_TYPES = [
    ("dispatched", "Dispatched"),
    ("delivered", "Delivered"),
    ("returned-to-sender", "Returned to sender"),
]


def create(apps, schema_editor):
    ShippingEventType = apps.get_model("order", "ShippingEventType")
    for code, name in EVENT_TYPES:
        existing = ShippingEventType.objects.filter(name__iexact=name).first()
        if existing is None:
            existing = ShippingEventType.objects.filter(code=code).first()
        if existing is None:
            ShippingEventType.objects.create(code=code, name=name)
        elif existing.code != code:
            # A type added by hand in the admin under another code: adopt it.
            if not ShippingEventType.objects.filter(code=code).exclude(pk=existing.pk).exists():
                existing.code = code
                existing.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("support", "0005_shipment"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
