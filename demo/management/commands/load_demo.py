"""Load demo data: catalogue, content, clinics and local staff accounts. Safe to run twice."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.blog import load_demo_content
from demo.clinics import load_demo_clinics
from demo.search import load_demo_search
from demo.shop import load_demo_catalogue
from staff.editorial_groups import ensure_editorial_groups
from staff.groups import create_staff_groups

DEMO_ACCOUNTS = [
    # (username, email, password, is_superuser, groups). Only dashboard users are is_staff:
    # the Wagtail admin needs no is_staff, and Oscar's dashboard is for orders and catalogue.
    ("admin", "admin@reliefworks.example", "admin-demo-pass", True, []),
    ("editor", "editor@reliefworks.example", "editor-demo-pass", False, ["Editors"]),
    ("moderator", "moderator@reliefworks.example", "moderator-demo-pass", False, ["Moderators"]),
    ("support", "support@reliefworks.example", "support-demo-pass", False, ["Support"]),
    ("manager", "manager@reliefworks.example", "manager-demo-pass", False, ["Shop managers"]),
]
DASHBOARD_GROUPS = {"Support", "Shop managers"}


def load_demo_accounts():
    # The groups come from data migrations; a flushed test database needs them again.
    ensure_editorial_groups()
    create_staff_groups()
    User = get_user_model()
    for username, email, password, is_superuser, groups in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "is_staff": is_superuser or bool(DASHBOARD_GROUPS & set(groups)),
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        for name in groups:
            group = Group.objects.filter(name=name).first()
            if group is not None:
                user.groups.add(group)


class Command(BaseCommand):
    help = "Create or update the demo store (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_demo_catalogue()
            load_demo_content()
            load_demo_clinics()
            load_demo_accounts()
            load_demo_search()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Local-only staff accounts:"))
        for username, _, password, _, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} password: {password}")
