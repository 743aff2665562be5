"""Fixtures for the content side: the demo catalogue and content, users in each group."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from staff.editorial_groups import EDITORS, MODERATORS, ensure_editorial_groups


@pytest.fixture
def content(db):
    """Demo products and content pages (not clinics: those are another app's concern)."""
    from demo.blog import load_demo_content
    from demo.shop import load_demo_catalogue

    load_demo_catalogue()
    return load_demo_content()


@pytest.fixture
def article(content):
    from blog.models import ArticlePage

    return ArticlePage.objects.get(slug="what-do-back-spasms-feel-like")


def make_user(username, group_name=None, **extra):
    ensure_editorial_groups()
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password="pass-123-word", **extra
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(content):
    return make_user("edna", EDITORS)


@pytest.fixture
def moderator(content):
    return make_user("moe", MODERATORS)
