"""Oscar's dashboard app, forked only to tighten who may open the dashboard's front page.

Oscar lets every ``is_staff`` user see the index, which shows order counts, revenue and
customer numbers. CMS editors and moderators are staff too (for Wagtail) but must not see
orders or customers, so the index needs a permission that only shop roles have.
"""

from oscar.apps.dashboard import apps
from oscar.views.generic import BulkEditMixin

from config.fields import coerce_id


def _valid_ids(values):
    ids = []
    for value in values:
        try:
            ids.append(coerce_id(value))
        except ValueError:
            continue
    return ids


def _selected_ids(self, request):
    """Oscar's bulk actions (category, product, range lists...) with ticked ids that are not
    database ids left out, instead of a 500 from the query (found by tests/config/test_sweep.py)."""
    if request.POST.get(self.select_across_param, "").lower() == "1":
        return list(self.get_select_across_queryset().values_list("pk", flat=True))
    posted = request.POST.getlist(f"selected_{self.get_checkbox_object_name()}")
    selected = self.get_queryset().filter(pk__in=_valid_ids(posted))
    return list(selected.values_list("pk", flat=True))


class DashboardConfig(apps.DashboardConfig):
    name = "support.dashboard"

    def ready(self):
        super().ready()
        BulkEditMixin.get_selected_ids = _selected_ids

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map["index"] = (
            ["is_staff", "order.view_order"],
            ["is_staff", "catalogue.view_product"],
            ["partner.dashboard_access"],
        )
