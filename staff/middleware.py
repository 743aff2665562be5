"""Two-factor sign-in for the staff who must use it, before any staff area opens.

When SUPPORT_REQUIRE_2FA is on, Support members and superusers who signed in with a
password only are sent to confirm a TOTP code (or to set up their authenticator first)
before the dashboard, the CMS or the Django admin. Other staff may set up TOTP too
(staff/views.py); once they have a device, the same check applies to them.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from staff.groups import SUPPORT

STAFF_AREAS = ("/dashboard/", "/cms/", "/django-admin/")


def requires_two_factor(user):
    if not (user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser or user.groups.filter(name=SUPPORT).exists():
        return True
    return user_has_device(user)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SUPPORT_REQUIRE_2FA and self._must_verify(request):
            target = reverse("staff:otp-verify")
            return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)

    def _must_verify(self, request):
        path = request.path
        if not path.startswith(STAFF_AREAS):
            return False
        if path.startswith(("/dashboard/login/", "/dashboard/logout/", "/dashboard/2fa/")):
            return False
        if path.startswith(("/cms/login/", "/cms/logout/", "/django-admin/login/")):
            return False
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        return not verified and requires_two_factor(user)
