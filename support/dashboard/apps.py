"""Oscar's dashboard app, forked only to tighten who may open the dashboard's front page.

Oscar lets every ``is_staff`` user see the index, which shows order counts, revenue and
customer numbers. CMS editors and moderators are staff too (for Wagtail) but must not see
orders or customers, so the index needs a permission that only shop roles have.
"""

from oscar.apps.dashboard import apps


class DashboardConfig(apps.DashboardConfig):
    name = "support.dashboard"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map["index"] = (
            ["is_staff", "order.view_order"],
            ["is_staff", "catalogue.view_product"],
            ["partner.dashboard_access"],
        )
