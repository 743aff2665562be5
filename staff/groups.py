"""The shop staff groups (Support, Shop managers), each with exactly the permissions it needs.

``create_staff_groups`` is called by a data migration (0002_staff_groups) and may be called
again (tests, a new model's permissions): it resets each group to the list below. The
content groups (Editors, Moderators) are in staff/editorial_groups.py. The full table of who may do
what is in support/PERMISSIONS.md and is checked by tests/support/test_permission_matrix.py.
"""

from django.apps import apps as live_apps

SUPPORT = "Support"
SHOP_MANAGERS = "Shop managers"

GROUP_PERMISSIONS = {
    # Orders and customers: view, search, notes, status changes, refunds, returns.
    SUPPORT: [
        "order.view_order",
        "order.change_order",  # notes and status changes in the dashboard
        "order.view_line",
        "order.view_ordernote",
        "order.add_ordernote",
        "order.change_ordernote",
        "order.view_paymentevent",
        "order.view_shippingevent",
        "order.add_shippingevent",
        "payment.view_source",
        "payment.view_transaction",
        "auth.view_user",  # the dashboard's customer pages
        "address.view_useraddress",
        "order.view_communicationevent",
        "support.view_returnrequest",
        "support.change_returnrequest",  # approve, reject, mark received
        "support.view_refund",
        "support.add_refund",  # refund through Stripe
        "support.view_auditentry",
    ],
    # Catalogue, stock, prices, offers and shipping; no orders or customers.
    SHOP_MANAGERS: [
        *(
            f"catalogue.{action}_{model}"
            for model in (
                "product",
                "productclass",
                "category",
                "productcategory",
                "productattribute",
                "productattributevalue",
                "productimage",
                "productrecommendation",
                "attributeoptiongroup",
                "attributeoption",
                "option",
            )
            for action in ("view", "add", "change", "delete")
        ),
        *(
            f"partner.{action}_{model}"
            for model in ("partner", "stockrecord", "stockalert")
            for action in ("view", "add", "change", "delete")
        ),
        *(
            f"offer.{action}_{model}"
            for model in ("conditionaloffer", "range", "condition", "benefit")
            for action in ("view", "add", "change", "delete")
        ),
        *(
            f"voucher.{action}_{model}"
            for model in ("voucher", "voucherset")
            for action in ("view", "add", "change", "delete")
        ),
        *(
            f"shipping.{action}_{model}"
            for model in ("weightbased", "weightband", "orderanditemcharges")
            for action in ("view", "add", "change", "delete")
        ),
        "reviews.view_productreview",
        "reviews.change_productreview",
        "reviews.delete_productreview",
        # Sales tax rates (shop/tax/); given by tax/0002 on a database migrated before it.
        *(f"tax.{action}_taxrate" for action in ("view", "add", "change", "delete")),
    ],
}


def create_staff_groups(apps=None):
    """Create or reset the Support and Shop managers groups.

    ``apps`` is the migration's app registry; None means the live one (tests).
    """
    apps = apps or live_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {}
    for name, codes in GROUP_PERMISSIONS.items():
        permissions = [_permission(Permission, code) for code in codes if _migrated(apps, code)]
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups[name] = group
    return groups


def _migrated(apps, code):
    """In a migration, an app migrated later has no models yet; its own migration calls
    this function again once they exist (tax/0002)."""
    try:
        app_config = apps.get_app_config(code.split(".")[0])
    except LookupError:
        return False
    return any(True for _ in app_config.get_models())


def _permission(Permission, code):
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
