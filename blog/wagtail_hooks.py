"""The content side in the Wagtail admin: the product chooser, reader comments with
moderation actions, download leads with CSV export, and blog categories.

Comments and leads are snippets (``SnippetViewSet``): a list with filters and search, an
edit view, bulk actions and export come with it.
https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from config.spreadsheet import safe_export_view

from .choosers import product_chooser_viewset
from .models import ArticleComment, BlogCategory, Lead
from .services import moderate_comments


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


class CommentViewSet(SnippetViewSet):
    model = ArticleComment
    icon = "comment"
    menu_label = "Reader comments"
    menu_order = 300
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("text", label="Comment"),
        Column("page", label="Article"),
        "status",
        DateColumn("created_at", label="Posted"),
    ]
    list_filter = ["status"]
    search_fields = ["name", "text", "email"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = ["page", "parent", "name", "email", "text", "status", "ip_address"]

    def get_queryset(self, request):
        return ArticleComment.objects.select_related("page")


class LeadViewSet(SnippetViewSet):
    index_view_class = safe_export_view(IndexView)
    model = Lead
    icon = "mail"
    menu_label = "Download leads"
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "email",
        "marketing_consent",
        Column("page", label="Page"),
        DateColumn("updated_at", label="Last request"),
    ]
    list_filter = ["marketing_consent"]
    search_fields = ["email"]
    search_backend_name = None
    list_export = ["email", "marketing_consent", "page", "document", "created_at", "updated_at"]
    export_headings = {"page": "Page", "document": "Document"}
    export_filename = "download-leads"

    def get_queryset(self, request):
        return Lead.objects.select_related("page", "document")


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "folder-open-inverse"
    menu_label = "Blog categories"
    list_display = ["name", "slug"]


register_snippet(CommentViewSet)
register_snippet(LeadViewSet)
register_snippet(BlogCategoryViewSet)


class CommentStatusBulkAction(SnippetBulkAction):
    """Set the status of the selected comments. One subclass per status."""

    models = [ArticleComment]
    template_name = "blog/admin/confirm_bulk_moderate.html"
    status = None

    def check_perm(self, comment):
        return self.request.user.has_perm("blog.change_articlecomment")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return moderate_comments(objects, cls.status), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} comment(s): {self.display_name.lower()}."


@hooks.register("register_bulk_action")
class ApproveCommentsBulkAction(CommentStatusBulkAction):
    display_name = "Approve"
    action_type = "approve-comments"
    aria_label = "Approve selected comments"
    status = ArticleComment.Status.APPROVED
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectCommentsBulkAction(CommentStatusBulkAction):
    display_name = "Reject"
    action_type = "reject-comments"
    aria_label = "Reject selected comments"
    status = ArticleComment.Status.REJECTED
    action_priority = 20


@hooks.register("register_bulk_action")
class SpamCommentsBulkAction(CommentStatusBulkAction):
    display_name = "Mark as spam"
    action_type = "spam-comments"
    aria_label = "Mark selected comments as spam"
    status = ArticleComment.Status.SPAM
    action_priority = 25
