"""Editors and Moderators: exactly the rights they need, and the two-step workflow."""

from django.contrib.auth.models import Group
from wagtail.models import Page, WorkflowPage

from blog.models import ArticlePage, BlogIndexPage
from sitewide.models import HomePage
from staff.editorial_groups import EDITORS, MODERATORS, WORKFLOW_NAME


def test_groups_have_admin_access_but_nothing_from_oscar_or_django_admin(editor, moderator):
    for user in (editor, moderator):
        assert user.has_perm("wagtailadmin.access_admin")
        perms = user.get_all_permissions()
        forbidden = {"order", "customer", "catalogue", "partner", "offer", "voucher", "auth"}
        assert not {p for p in perms if p.split(".")[0] in forbidden}
        assert not user.is_staff
    assert moderator.has_perm("blog.change_articlecomment")
    assert not editor.has_perm("blog.change_articlecomment")


def test_page_permissions_editor_edits_moderator_publishes(editor, moderator):
    home = HomePage.objects.get()
    blog = BlogIndexPage.objects.get()
    editor_perms = blog.permissions_for_user(editor)
    assert editor_perms.can_add_subpage() and editor_perms.can_edit()
    assert not editor_perms.can_publish()
    assert blog.permissions_for_user(moderator).can_publish()
    root = Page.get_first_root_node()
    assert not root.permissions_for_user(editor).can_add_subpage()
    assert home.permissions_for_user(editor).can_edit()


def test_moderators_approval_workflow_is_assigned_to_the_home_page(content):
    home = HomePage.objects.get()
    workflow = WorkflowPage.objects.get(page=home).workflow
    assert workflow.name == WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [Group.objects.get(name=MODERATORS)]
    assert Group.objects.filter(name=EDITORS).exists()


def test_editor_submits_and_moderator_publishes(editor, moderator):
    blog = BlogIndexPage.objects.get()
    draft = ArticlePage(title="Draft article", slug="draft-article", summary="s", live=False)
    blog.add_child(instance=draft)
    revision = draft.save_revision(user=editor)
    workflow = draft.get_workflow()
    workflow.start(draft, editor)
    draft.refresh_from_db()
    assert not draft.live
    state = draft.current_workflow_task_state
    assert state.task.specific.user_can_access_editor(draft, moderator)
    state.task.specific.on_action(state, moderator, "approve")
    draft.refresh_from_db()
    assert draft.live
    assert draft.live_revision_id == revision.pk


def test_editor_can_open_the_product_chooser_and_search(client, editor):
    client.force_login(editor)
    response = client.get("/cms/product_chooser/")
    assert response.status_code == 200
    results = client.get("/cms/product_chooser/results/", {"q": "Circulation"})
    assert results.status_code == 200
    assert "Circulation Promoter" in results.content.decode()
    assert "Pain Therapy System" not in results.content.decode()


def test_editor_can_open_the_article_create_form(client, editor):
    blog = BlogIndexPage.objects.get()
    client.force_login(editor)
    response = client.get(f"/cms/pages/add/blog/articlepage/{blog.pk}/")
    assert response.status_code == 200
