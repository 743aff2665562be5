"""Newsletter subscribers in the Wagtail admin: a list with filters, search and CSV/XLSX
export (``list_export``), for staff with the subscriber permissions.
https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from config.spreadsheet import safe_export_view

from .models import Subscriber


class SubscriberViewSet(SnippetViewSet):
    index_view_class = safe_export_view(IndexView)
    model = Subscriber
    icon = "mail"
    menu_label = "Newsletter subscribers"
    menu_order = 320
    add_to_admin_menu = True
    list_display = [
        "email",
        "status",
        "source",
        DateColumn("created_at", label="Signed up"),
        DateColumn("confirmed_at", label="Confirmed"),
    ]
    list_filter = ["status", "source"]
    search_fields = ["email"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_per_page = 50
    list_export = [
        "email",
        "status",
        "source",
        "source_url",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    export_filename = "newsletter-subscribers"
    inspect_view_enabled = True
    panels = ["email", "status", "source", "source_url"]


register_snippet(SubscriberViewSet)
