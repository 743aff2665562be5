"""Request-level safety shared by every app: who the client is behind our proxies, the name
django-axes counts failed sign-ins under, ids that fit the database, and the site's one
canonical address.

One place for each, so a rate limit, a lock-out and a sitemap cannot disagree.
"""

import ipaddress
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest

# Largest value a signed 64-bit column (BigAutoField, bigint) holds; the 32-bit AutoField
# of some third-party tables is smaller, and the database refuses those values anyway.
MAX_DB_ID = 2**63 - 1


# --- The client's address -----------------------------------------------------------------


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The visitor's IP address, read through ``TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so with N proxies the client is the N-th entry from the right; anything
    further left was written by the client and is ignored. With no trusted proxies (the
    default) the header is ignored entirely and REMOTE_ADDR is the client.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # The request skipped one of our proxies: nothing in the header is trustworthy.
        return remote
    return _valid_ip(forwarded[-count]) or remote


def axes_client_ip(request):
    """``AXES_CLIENT_IP_CALLABLE``: the lock-out uses the same client address as the rate
    limits."""
    return client_ip(request)


# --- django-axes: one name per account, however it is typed -------------------------------


def axes_username(request, credentials):
    """``AXES_USERNAME_CALLABLE``: the account's own username, lower-cased, whichever of its
    names was typed.

    Staff sign in with a username (Django's backend) or an email (Oscar's, in any case), so
    counting failures per typed name gave the email five fresh tries after the username was
    locked, and a spelling of it five more. The name is looked up as a username first, then
    as the email of exactly one account (Oscar's email backend refuses a shared email); a
    name that is no account's is counted as typed, folded and trimmed.
    """
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    value = None
    if credentials:
        value = credentials.get(field)
    if value is None and request is not None:
        value = request.POST.get(field)
    typed = str(value or "").strip()
    return _account_username(typed).casefold()


def _account_username(typed):
    if not typed:
        return typed
    users = get_user_model()._default_manager
    username_field = get_user_model().USERNAME_FIELD
    by_username = list(
        users.filter(**{f"{username_field}__iexact": typed}).values_list(username_field, flat=True)[
            :2
        ]
    )
    if len(by_username) == 1:
        return by_username[0]
    if len(by_username) > 1 or "@" not in typed:
        return typed
    by_email = list(users.filter(email__iexact=typed).values_list(username_field, flat=True)[:2])
    return by_email[0] if len(by_email) == 1 else typed


# --- Ids that fit the database ------------------------------------------------------------


def id_in_range(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DB_ID


class RequestGuardMiddleware:
    """Refuses, for every URL pattern, input no view should have to defend against itself.

    - An integer URL argument no database column can hold: 404. Django's ``int`` converter
      accepts any number of digits, and such a value reaches ``Model.objects.get(pk=...)``
      in our views, Oscar's and Wagtail's, where the database driver raises OverflowError
      (a 500). Checking the resolved arguments here covers third-party patterns too.
    - A NUL character in the path or the query string: 400. PostgreSQL refuses it in any
      string, so a view passing ``request.GET`` text to a query would fail with a 500.
      (Form fields already refuse it in POSTed data.)
    - A ``pk`` that the view's model cannot have (``/cms/images/chooser/chosen/1e999/``):
      404. Wagtail's generic views take any text as ``pk`` and pass it to ``get(pk=...)``,
      where a non-numeric value for an integer key raises ValueError (a 500).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest("Bad request.", content_type="text/plain")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not id_in_range(value):
                raise Http404("No such object")
        pk = view_kwargs.get("pk")
        model = _view_model(view_func)
        if isinstance(pk, str) and model is not None and not _fits_pk(model, unquote(pk)):
            raise Http404("No such object")
        return None


def _view_model(view_func):
    """The model a class-based view was built for: ``as_view(model=...)``, its class's
    ``model``, or Wagtail's ``model_class`` (documents' chooser finds its model late)."""
    initkwargs = getattr(view_func, "view_initkwargs", {})
    view_class = getattr(view_func, "view_class", None)
    model = initkwargs.get("model") or getattr(view_class, "model", None)
    if isinstance(model, str):  # "app_label.Model", as Wagtail's documents chooser names it
        try:
            model = apps.get_model(model)
        except (LookupError, ValueError):
            model = None
    if model is None and view_class is not None and hasattr(view_class, "model_class"):
        try:
            model = view_class(**initkwargs).model_class
        except (AttributeError, TypeError, LookupError):
            model = None
    return model if hasattr(model, "_meta") else None


def _fits_pk(model, value):
    try:
        value = model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return not isinstance(value, int) or id_in_range(value)


# --- The canonical address ----------------------------------------------------------------


def canonical_origin():
    """``scheme://host[:port]`` of SITE_URL, with no trailing slash: the one host used in
    absolute links (sitemap, feeds, emails, JSON-LD, canonical links)."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def canonical_url(path_or_url):
    """An absolute URL on the canonical host for a path (or a URL on any host)."""
    parts = urlsplit(path_or_url or "/")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if parts.fragment:
        path = f"{path}#{parts.fragment}"
    return canonical_origin() + path
