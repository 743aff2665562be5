"""Lets the low-risk forms of cached pages work without JavaScript, CSRF-safe.

Cached pages carry no CSRF token (it would be shared by every visitor); static/js/site.js
fetches the visitor's own before a form is sent. Without JavaScript the token stays empty,
and a shopper adding to the basket or signing up for the newsletter would land on a 403
page. For those forms (``CSRF_SAME_ORIGIN_VIEWS``) the browser's own word that the form came
from this site is enough: the ``Origin`` header, or ``Sec-Fetch-Site: same-origin`` where a
browser sends no ``Origin``. A page on another site cannot set either, so a cross-site POST
is still refused; the worst a forged one could do to these forms is fill a basket or ask for
a confirmation email, which is why every other form still needs the token.

Placed before Django's ``CsrfViewMiddleware``, which skips a request this marks as checked
(``csrf_processing_done``, as its own decorators do) and checks every other one as usual.
"""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware


class SameOriginFormsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Django's own origin check (CSRF_TRUSTED_ORIGINS, the request's scheme and host).
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if (
            request.method == "POST"
            and self._is_low_risk(request)
            and self._came_from_this_site(request)
        ):
            request.csrf_processing_done = True
        return None

    @staticmethod
    def _is_low_risk(request):
        match = getattr(request, "resolver_match", None)
        return match is not None and match.view_name in settings.CSRF_SAME_ORIGIN_VIEWS

    def _came_from_this_site(self, request):
        origin = request.META.get("HTTP_ORIGIN")
        if origin is None:
            return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        # "null": a sandboxed frame, a redirect chain or a privacy setting; proves nothing.
        return origin != "null" and self.csrf._origin_verified(request)
