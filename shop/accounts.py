"""Signing out: a POST from the header's "Sign out" button, then "You have been signed out."

Oscar's logout view signs out on a GET and says nothing, so any page (or a prefetching
browser) could sign a shopper out and the shopper could not tell it had worked. This view
takes its URL (shop/config.py puts it first), signs out only on a POST with the CSRF token
(the cached header's form gets the visitor's token from static/js/site.js, or from the page
cache's own copy), and leaves a message on the home page. A GET, from an old link or a
browser without JavaScript, shows the same button on a page of its own.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

SIGNED_OUT_MESSAGE = "You have been signed out."


@method_decorator(never_cache, name="dispatch")
class SignOutView(TemplateView):
    template_name = "oscar/customer/sign_out.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.OSCAR_HOMEPAGE)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        logout(request)
        messages.success(request, SIGNED_OUT_MESSAGE)
        response = redirect(settings.OSCAR_HOMEPAGE)
        for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
            response.delete_cookie(cookie)
        return response
