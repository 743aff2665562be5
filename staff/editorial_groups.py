"""The editorial groups and the two-step publishing workflow.

Wagtail's own first migration creates ``Editors`` and ``Moderators`` groups with broad
rights over the whole tree and every collection. This module narrows them to what the
content team needs and nothing from Oscar or the Django admin:

- Editors: use the Wagtail admin; add and edit pages under the home page (which includes
  saving drafts, previewing and submitting for moderation); upload and choose images and
  documents.
- Moderators: all of that, plus publish, lock and unlock pages (so they can approve
  workflow tasks and roll back revisions), edit images and documents, manage blog
  categories, moderate reader comments, edit site search's synonyms and read the searches
  that found nothing.

``ensure_editorial_groups`` is called from a data migration (with the historical app
registry) and from the demo loader (after a test flush, or after the home page changed),
so it only uses plain ORM calls. The "Moderators approval" workflow is assigned to the home
page: every page below it goes through a moderator before it is published.
https://docs.wagtail.org/en/stable/extending/customising_group_views.html
"""

from django.apps import apps as live_apps

EDITORS = "Editors"
MODERATORS = "Moderators"
WORKFLOW_NAME = "Moderators approval"

EDITOR_PERMISSIONS = [("wagtailadmin", "admin", "access_admin")]
MODERATOR_PERMISSIONS = EDITOR_PERMISSIONS + [
    ("blog", "articlecomment", "view_articlecomment"),
    ("blog", "articlecomment", "change_articlecomment"),
    ("blog", "blogcategory", "add_blogcategory"),
    ("blog", "blogcategory", "change_blogcategory"),
    # Site search: the synonyms shoppers' words need, and what searches found nothing.
    ("sitesearch", "synonym", "add_synonym"),
    ("sitesearch", "synonym", "change_synonym"),
    ("sitesearch", "synonym", "delete_synonym"),
    ("sitesearch", "zeroresultquery", "view_zeroresultquery"),
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS + ["publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
]
MODERATOR_COLLECTION_PERMISSIONS = EDITOR_COLLECTION_PERMISSIONS + [
    ("wagtailimages", "image", "change_image"),
    ("wagtaildocs", "document", "change_document"),
]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def _home_page(apps):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return Page.objects.get(pk=site.root_page_id)
    return Page.objects.filter(depth=2).order_by("path").first()


def ensure_editorial_groups(apps=None):
    """Create or narrow the two groups and the workflow. Safe to run any number of times."""
    apps = apps or live_apps
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")

    home = _home_page(apps)
    root_collection = Collection.objects.filter(depth=1).first()
    spec = {
        EDITORS: (EDITOR_PERMISSIONS, EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS),
        MODERATORS: (
            MODERATOR_PERMISSIONS,
            MODERATOR_PAGE_PERMISSIONS,
            MODERATOR_COLLECTION_PERMISSIONS,
        ),
    }
    groups = {}
    for name, (model_perms, page_perms, collection_perms) in spec.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.set([_permission(apps, *perm) for perm in model_perms])

        GroupPagePermission.objects.filter(group=group).delete()
        if home is not None:
            for codename in page_perms:
                GroupPagePermission.objects.create(
                    group=group,
                    page=home,
                    permission=_permission(apps, "wagtailcore", "page", codename),
                )

        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_collection is not None:
            for perm in collection_perms:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=_permission(apps, *perm)
                )

    if home is not None:
        _ensure_workflow(apps, home, groups[MODERATORS])
    return groups


def _ensure_workflow(apps, home, moderators):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=WORKFLOW_NAME, active=True, content_type=content_type
        )
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.set([moderators])

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    if not WorkflowTask.objects.filter(workflow=workflow, task_id=task.pk).exists():
        WorkflowTask.objects.create(
            workflow=workflow,
            task_id=task.pk,
            sort_order=WorkflowTask.objects.filter(workflow=workflow).count(),
        )
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
