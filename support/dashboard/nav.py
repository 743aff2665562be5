"""The dashboard menu's access check, extended to the support screens.

Oscar's default check looks up the permissions of a menu entry's view in the dashboard app
configs; the support screens are served by ``support.urls`` instead, so their permissions
are listed here, next to the views that enforce them (support/dashboard/views.py;
staff/views.py for two-factor set-up).
"""

from django.urls import NoReverseMatch, reverse
from oscar.apps.dashboard.nav import default_access_fn as oscar_default_access_fn

SUPPORT_MENU_PERMISSIONS = {
    "support:return-list": "support.view_returnrequest",
    "support:shipments-upload": "order.add_shippingevent",
    "staff:otp-setup": None,  # any staff member may set up two-factor sign-in
    "tax:rate-list": "tax.view_taxrate",  # shop/tax/views.py
}


def default_access_fn(user, url_name, url_args=None, url_kwargs=None):
    if url_name in SUPPORT_MENU_PERMISSIONS:
        permission = SUPPORT_MENU_PERMISSIONS[url_name]
        if not (user.is_active and user.is_staff):
            return False
        try:
            reverse(url_name)
        except NoReverseMatch:  # support.urls not mounted (a site without support)
            return False
        return permission is None or user.has_perm(permission)
    return oscar_default_access_fn(user, url_name, url_args, url_kwargs)
