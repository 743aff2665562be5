"""Site search in the Wagtail admin: the synonyms staff edit (a snippet; a save takes effect
on the next search, see signals.py) and the searches that found nothing, read-only.
https://docs.wagtail.org/en/stable/topics/snippets/customising.html
"""

from wagtail.admin.ui.tables import DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Synonym, ZeroResultQuery


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Staff with the ``view`` permission read the list; nobody adds, edits or deletes rows
    (searches write them)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["view"] if "view" in actions else [])


register_permission_policy(ZeroResultQuery, ReadOnlyPolicy(ZeroResultQuery), exact_class=True)


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "link"
    menu_label = "Synonyms"
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]
    ordering = ["term"]


class ZeroResultViewSet(SnippetViewSet):
    model = ZeroResultQuery
    icon = "warning"
    menu_label = "Searches without results"
    list_display = ["query", "count", DateColumn("last_seen", label="Last seen")]
    search_fields = ["query"]
    ordering = ["-last_seen"]
    inspect_view_enabled = True


class SearchViewSetGroup(SnippetViewSetGroup):
    items = (SynonymViewSet, ZeroResultViewSet)
    menu_icon = "search"
    menu_label = "Site search"
    menu_name = "site-search"
    menu_order = 350


register_snippet(SearchViewSetGroup)
