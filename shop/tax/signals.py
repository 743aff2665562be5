"""Every product class carries the ``tax_class`` attribute, so the dashboard's product page
offers it; the data migration covers the classes that existed before."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from .services import ensure_tax_class_attribute

ProductClass = get_model("catalogue", "ProductClass")


@receiver(post_save, sender=ProductClass, dispatch_uid="tax-class-attribute")
def add_tax_class_attribute(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_tax_class_attribute(instance)
