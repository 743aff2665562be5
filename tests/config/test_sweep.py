"""A property-based sweep (Hypothesis) that keeps looking for the holes of issue 16.

It walks the URL resolver (every pattern, with values for its converters and groups) and
every form the site renders to each role, and sends hostile values: empty, huge, Unicode and
right-to-left, NUL, markup, SQL fragments, numbers beyond int64, NaN/Infinity and repeated
parameters, as an anonymous visitor and as each role of support/PERMISSIONS.md. Since issue
24 also: other scripts' digits and letters in every field, ids that are not numbers, missing
and doubled fields, the dashboard order page's line and order actions (as support), and the
forms added since (tax destination, address forms, order look-ups, the claim-orders button).
It asserts:

- no 5xx;
- no raw marker (``<rw-x``) reflected in an HTML answer;
- no 2xx for a role the permission table forbids (staff areas by URL prefix).

The short profile runs in every CI pass (SQLite and PostgreSQL) in about a minute or two.
``SECURITY_SWEEP=long`` runs many more examples (e.g. before a release); the number of
requests made is printed at the end either way.
"""

import os
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from tests.support.conftest import make_order, make_user

Product = get_model("catalogue", "Product")

LONG = os.environ.get("SECURITY_SWEEP") == "long"
URL_EXAMPLES = 3000 if LONG else 250
FORM_EXAMPLES = 3000 if LONG else 250
ACTION_EXAMPLES = 2000 if LONG else 120
NEW_FORM_EXAMPLES = 2000 if LONG else 120
CRAWL_PAGES_PER_ROLE = 80 if LONG else 25

ROLES = [
    "anonymous",
    "customer",
    "staff",
    "editor",
    "moderator",
    "shop_manager",
    "support",
    "superuser",
]
ALL = frozenset(ROLES)
STAFF = frozenset(ROLES) - {"anonymous", "customer"}
MARKER = b"<rw-x"
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 40,
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "1.5",
    "١٢",
    "１２",
    "<rw-x>",
    '"><rw-x onerror=alert(1)>',
    "'><rw-x>",
    "javascript:alert(1)",
    "' OR 1=1 --",
    '"; DROP TABLE auth_user; --',
    "%00",
    "\x00",
    "a\x00b",
    "\u202egnp.exe",
    "\u0645\u0631\u062d\u0628\u0627",
    "痛み",
    "\U0001f600",
    "../../etc/passwd",
    "x" * 3000,
    '"',
    "AND OR NOT",
    "//evil.example/",
    "https://evil.example/",
    "true",
    "null",
    "[]",
    "{}",
    # Issue 24: other scripts' digits (ZIP codes, quantities, ids) and letters, and numbers
    # past 64 bits written other ways.
    "١٠٠٠١",
    "१००",
    "１００１８",
    "٠",
    "١.٥",
    "৩",
    "Ａ１Ｂ ２Ｃ３",
    "ß",
    "İ",
    "ǅ",
    "18446744073709551616",
    "1e9",
    "0x10",
    "+1",
    " 1 ",
]
SAFE_CHARS_IN_PATH = re.compile(r"^[^/?#\s]+$")
QUERY_NAMES = [
    "q",
    "page",
    "sort_by",
    "next",
    "radius",
    "lat",
    "lng",
    "service",
    "status",
    "date_from",
    "date_to",
    "order_number",
    "email",
    "format",
    "export",
    "p",
    "o",
    "ordering",
]
SKIPPED_PATH_WORDS = ("logout", "/delete/", "unpublish", "/static/", "sign-out")

# First matching prefix decides which roles may get a 2xx answer (support/PERMISSIONS.md).
ACCESS = [
    ("/dashboard/login/", ALL),
    ("/dashboard/2fa/", STAFF),
    ("/dashboard/orders/", {"superuser", "support"}),
    ("/dashboard/users/", {"superuser", "support"}),
    ("/dashboard/returns/", {"superuser", "support"}),
    ("/dashboard/catalogue/", {"superuser", "shop_manager"}),
    ("/dashboard/partners/", {"superuser", "shop_manager"}),
    ("/dashboard/offers/", {"superuser", "shop_manager"}),
    ("/dashboard/ranges/", {"superuser", "shop_manager"}),
    ("/dashboard/vouchers/", {"superuser", "shop_manager"}),
    ("/dashboard/shipping/", {"superuser", "shop_manager"}),
    ("/dashboard/reviews/", {"superuser", "shop_manager"}),
    ("/dashboard/pages/", {"superuser"}),
    ("/dashboard/reports/", {"superuser"}),
    ("/dashboard/comms/", {"superuser"}),
    ("/dashboard/", {"superuser", "support", "shop_manager"}),
    ("/cms/login/", ALL),
    ("/cms/jsi18n/", ALL),  # the admin's JavaScript translations: public text
    ("/cms/sprite/", ALL),  # the admin's icon sprite: a public SVG, no data
    ("/cms/password_reset/", ALL),
    ("/cms/", {"superuser", "editor", "moderator"}),
    ("/django-admin/login/", ALL),
    ("/django-admin/password_reset/", ALL),
    ("/django-admin/auth/", {"superuser"}),
    ("/django-admin/order/", {"superuser", "support"}),
    ("/django-admin/", STAFF),
]


def allowed_roles(path):
    for prefix, roles in ACCESS:
        if path.startswith(prefix):
            return roles
    return ALL


# --- The URL map --------------------------------------------------------------------------


def _strip(regex):
    regex = regex[1:] if regex.startswith("^") else regex
    for end in ("\\Z", "$"):
        if regex.endswith(end):
            regex = regex[: -len(end)]
    return regex


def url_patterns():
    """(full regex, format string, parameter names) for every endpoint of the URL map."""

    def walk(entries, prefix):
        for entry in entries:
            regex = prefix + _strip(entry.pattern.regex.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, regex)
            elif isinstance(entry, URLPattern):
                yield regex

    found = []
    for regex in walk(get_resolver().url_patterns, ""):
        try:
            compiled = re.compile(regex)
            forms = normalize(regex)
        except (re.error, ValueError):
            continue
        if not forms:
            continue
        template, params = forms[0]
        found.append((compiled, template, tuple(params)))
    return found


def _fill(template, params, values):
    path = "/" + template % dict(zip(params, values, strict=True))
    return path


def hostile_paths(pattern, known_values):
    """A strategy of paths for one pattern: hostile or real values in its parameters,
    kept only when they still match the pattern (else values made from its regex)."""
    compiled, template, params = pattern
    if not params:
        return st.just("/" + template % {})
    candidates = [value for value in HOSTILE if value and SAFE_CHARS_IN_PATH.match(value)]
    value_strategy = st.sampled_from([*candidates, *known_values])
    combos = st.tuples(*[value_strategy for _ in params]).map(
        lambda values: _fill(template, params, values)
    )
    matching = combos.filter(lambda path: compiled.fullmatch(path[1:]) is not None)
    from_regex = st.from_regex(compiled, fullmatch=True).map(lambda path: "/" + path)
    return st.one_of(matching, from_regex)


def first_hostile_path(pattern, known_values):
    """The deterministic pass: the first hostile (then real) value that fits every
    parameter, so each pattern is reached at least once."""
    compiled, template, params = pattern
    if not params:
        return "/" + template % {}
    for value in [*HOSTILE, *known_values, "x", "1"]:
        if not value or not SAFE_CHARS_IN_PATH.match(value):
            continue
        path = _fill(template, params, [value] * len(params))
        if compiled.fullmatch(path[1:]):
            return path
    return None


# --- Forms --------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """Forms of a page: action, method and fields (name, kind, default, options)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.links = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = attrs.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            kind = attrs.get("type", tag)
            field = {"name": name, "kind": kind, "value": attrs.get("value") or "", "options": []}
            self._form["fields"].append(field)
            if tag == "select":
                self._select = field
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _same_site_path(href, base):
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    path = parts.path or base
    if not path.startswith("/"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(sweep, role, seeds, limit):
    """Pages reachable from ``seeds`` (same site, GET) for ``role``, and their forms."""
    seen, queue, forms = set(), list(seeds), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or any(word in path for word in SKIPPED_PATH_WORDS):
            continue
        if "export" in path or path.startswith(("/media/", "/documents/", "/downloads/")):
            continue
        seen.add(path)
        response = sweep.send(role, "get", path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode("utf-8", "replace"))
        for form in parser.forms:
            action = _same_site_path(form["action"], path.split("?")[0]) or path.split("?")[0]
            if any(word in action for word in SKIPPED_PATH_WORDS):
                continue
            key = (action.split("?")[0], form["method"], tuple(f["name"] for f in form["fields"]))
            forms.setdefault(key, {**form, "action": action.split("?")[0]})
        for href in parser.links:
            target = _same_site_path(href, path.split("?")[0])
            if target and target not in seen:
                queue.append(target)
    return list(forms.values())


# --- The sweep ----------------------------------------------------------------------------


class Sweep:
    def __init__(self):
        self.requests = 0
        self.note = ""
        self.clients = {}
        self.users = {}
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                user = make_user(role, f"sweep-{role}")
                self.users[role] = user
                client.force_login(user)
            self.clients[role] = client

    def send(self, role, method, path, data=None, headers=None):
        client = self.clients[role]
        self.requests += 1
        if method == "post":
            response = client.post(path, data or {}, headers=headers)
        else:
            query = urlencode(data or {}, doseq=True)
            response = client.get(path + (("&" if "?" in path else "?") + query if query else ""))
        self.check(role, method, path, data, response)
        return response

    def check(self, role, method, path, data, response):
        where = f"{role} {method.upper()} {path[:300]} {str(data)[:300]}"
        assert response.status_code < 500, f"{response.status_code}: {where}"
        content_type = response.get("Content-Type", "")
        if "html" in content_type and not response.streaming:
            assert MARKER not in response.content, f"raw marker reflected: {where}"
        if 200 <= response.status_code < 300:
            clean_path = path.split("?")[0]
            assert role in allowed_roles(clean_path), f"{response.status_code} forbidden: {where}"


@pytest.fixture
def sweep(demo, request):
    from blog.models import ArticleComment, ArticlePage
    from clinics.models import Clinic

    state = Sweep()
    order = make_order(user=state.users["customer"])
    state.order = order
    make_order()
    article = ArticlePage.objects.live().first()
    ArticleComment.objects.create(
        page=article, name="Ann", email="ann@example.com", text="Helpful", status="approved"
    )
    clinic = Clinic.objects.first()
    state.known_values = [
        order.number,
        str(order.pk),
        str(order.lines.first().pk),
        str(article.pk),
        article.slug,
        clinic.slug,
        str(state.users["customer"].pk),
    ]
    yield state
    line = (
        f"security sweep ({'long' if LONG else 'short'} profile, {request.node.name}): "
        f"{state.requests} requests{state.note}"
    )
    request.node.user_properties.append(("sweep_requests", state.requests))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(line)


def _query_strategy():
    values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
    single = st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=3)
    repeated = st.dictionaries(
        st.sampled_from(QUERY_NAMES), st.lists(values, min_size=2, max_size=3), max_size=2
    )
    return st.one_of(single, repeated)


SWEEP_SETTINGS = dict(
    deadline=None,
    derandomize=not LONG,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.mark.django_db
def test_every_url_pattern_with_hostile_values_as_every_role(sweep):
    patterns = url_patterns()
    assert len(patterns) > 300
    for index, pattern in enumerate(patterns):
        path = first_hostile_path(pattern, sweep.known_values)
        if path is None or any(word in path for word in SKIPPED_PATH_WORDS):
            continue
        role = ROLES[index % len(ROLES)]
        sweep.send(role, "get", path)

    @hypothesis_settings(max_examples=URL_EXAMPLES, **SWEEP_SETTINGS)
    @given(data=st.data())
    def generated(data):
        pattern = data.draw(st.sampled_from(patterns), label="pattern")
        path = data.draw(hostile_paths(pattern, sweep.known_values), label="path")
        if any(word in path for word in SKIPPED_PATH_WORDS):
            return
        role = data.draw(st.sampled_from(ROLES), label="role")
        method = data.draw(st.sampled_from(["get", "get", "post"]), label="method")
        if method == "post":
            fields = data.draw(
                st.dictionaries(st.sampled_from(QUERY_NAMES), st.sampled_from(HOSTILE)),
                label="form",
            )
            sweep.send(role, "post", path, fields)
        else:
            sweep.send(role, "get", path, data.draw(_query_strategy(), label="query"))

    generated()


STAFF_SEEDS = {
    "support": ["/dashboard/", "/dashboard/orders/", "/dashboard/returns/", "/dashboard/users/"],
    "shop_manager": ["/dashboard/", "/dashboard/catalogue/", "/dashboard/offers/"],
    "superuser": ["/dashboard/", "/dashboard/orders/"],
    "editor": ["/cms/"],
    "moderator": ["/cms/"],
}
PUBLIC_SEEDS = [
    "/",
    "/blog/",
    "/blog/what-do-back-spasms-feel-like/",
    "/shop/catalogue/",
    "/shop/basket/",
    "/shop/checkout/",
    "/search/?q=pain",
    "/clinics/?q=10001",
    "/returns/",
    "/newsletter/",
    "/shop/accounts/login/",
    "/shop/accounts/",
]


def _field_value(field, hostile):
    if hostile is not None:
        return hostile
    if field["options"]:
        return field["options"][0]
    return field["value"]


@pytest.mark.django_db
def test_every_form_with_hostile_values_as_every_role(sweep):
    forms = []
    for role in ROLES:
        seeds = STAFF_SEEDS.get(role, []) + PUBLIC_SEEDS
        for form in crawl(sweep, role, seeds, CRAWL_PAGES_PER_ROLE):
            forms.append((role, form))
    assert len(forms) > 20
    sweep.note = f", {len(forms)} forms found by {len(ROLES)} roles"

    @hypothesis_settings(max_examples=FORM_EXAMPLES, **SWEEP_SETTINGS)
    @given(data=st.data())
    def generated(data):
        found_by, form = data.draw(st.sampled_from(forms), label="form")
        # Mostly as the role that saw the form; sometimes as another (forged requests).
        role = data.draw(st.sampled_from([found_by, found_by, *ROLES]), label="role")
        method = "post" if form["method"] == "post" else "get"
        sweep.send(role, method, form["action"], draw_values(data, form))

    generated()


def draw_values(data, form):
    """Values for a form's fields: each its own, hostile or generated text; then perhaps one
    field left out and one sent twice (issue 24: missing and doubled fields)."""
    values = {}
    for field in form["fields"]:
        hostile = data.draw(
            st.one_of(st.none(), st.sampled_from(HOSTILE), st.text(max_size=30)),
            label=field["name"],
        )
        values.setdefault(field["name"], []).append(_field_value(field, hostile))
    return leave_out_and_repeat(data, values)


def leave_out_and_repeat(data, values):
    """Perhaps one field left out and one sent twice (issue 24: missing and doubled fields)."""
    if data.draw(st.booleans(), label="leave a field out") and values:
        del values[data.draw(st.sampled_from(sorted(values)), label="left out")]
    if data.draw(st.booleans(), label="repeat a field") and values:
        name = data.draw(st.sampled_from(sorted(values)), label="repeated")
        values[name].append(data.draw(st.sampled_from(HOSTILE), label="again"))
    return values


# --- Issue 24: the dashboard order page's actions and the forms added since ---------------

LINE_ACTIONS = ["dispatch_lines", "deliver_lines", "change_line_statuses", "create_payment_event"]
ORDER_ACTIONS = ["save_note", "delete_note", "change_order_status", "create_order_payment_event"]
LIST_ACTIONS = ["change_order_statuses", "dispatch_selected", "deliver_selected"]
ACTION_FIELDS = {
    "new_status": ["Cancelled", "Dispatched", "Paid"],
    "confirm_cancel": ["on"],
    "carrier": ["ups", "usps", "canada-post"],
    "tracking_number": ["1Z999AA10123456784"],
    "dispatched_on": ["2026-01-02"],
    "delivered_on": ["2026-01-03"],
    "amount": ["1.00", "12.50"],
    "payment_event_type": ["paid", "refunded"],
    "note_id": ["1"],
    "message": ["Called the customer"],
}
ACTION_ROLES = ["support", "support", "support", "superuser", "shop_manager", "customer"]


def id_values(real):
    """An id or quantity: a real one, hostile text, any integer (past 64 bits too)."""
    return st.one_of(
        st.sampled_from(real),
        st.sampled_from(HOSTILE),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(alphabet=st.characters(categories=["Nd", "No", "Lo"]), max_size=6),
    )


@pytest.mark.django_db
def test_dashboard_order_page_actions_with_hostile_ids_and_quantities(sweep):
    order = sweep.order
    lines = [str(pk) for pk in order.lines.values_list("pk", flat=True)]
    page = f"/dashboard/orders/{order.number}/"

    @hypothesis_settings(max_examples=ACTION_EXAMPLES, **SWEEP_SETTINGS)
    @given(data=st.data())
    def generated(data):
        kind = data.draw(st.sampled_from(["line_action", "order_action", "action"]), label="kind")
        names = {"line_action": LINE_ACTIONS, "order_action": ORDER_ACTIONS}
        action = data.draw(st.sampled_from(names.get(kind, LIST_ACTIONS)), label="action")
        ids = data.draw(st.lists(id_values(lines), max_size=3), label="selected")
        values = {kind: [action], "selected_line": ids, "selected_order": ids}
        for pk in {*lines, *ids}:
            quantity = data.draw(st.one_of(st.none(), id_values(["1", "١"])), label="quantity")
            if quantity is not None:
                values[f"selected_line_qty_{pk}"] = [quantity]
        for name, real in ACTION_FIELDS.items():
            value = data.draw(st.one_of(st.none(), id_values(real)), label=name)
            if value is not None:
                values[name] = [value] * data.draw(st.integers(1, 2), label=f"{name} times")
        role = data.draw(st.sampled_from(ACTION_ROLES), label="role")
        sweep.send(role, "post", "/dashboard/orders/" if kind == "action" else page, values)

    generated()


# The forms added since the last sweep, found on these pages (with a basket to check out).
NEW_FORM_PAGES = {
    "anonymous": ["/shop/basket/", "/shop/checkout/", "/orders/status/", "/returns/"],
    "customer": [
        "/shop/basket/",
        "/shop/checkout/",
        "/shop/accounts/addresses/add/",
        "/shop/accounts/orders/",
    ],
}
NEW_FORM_ACTIONS = {
    "/shop/basket/tax-destination/",
    "/shop/checkout/",
    "/shop/accounts/addresses/add/",
    "/orders/status/",
    "/returns/",
    "/shop/accounts/orders/claim/",
}


@pytest.mark.django_db
def test_forms_added_since_the_last_sweep_with_hostile_values(sweep):
    product = Product.objects.filter(stockrecords__num_in_stock__gt=0).first()
    forms = []
    for role, pages in NEW_FORM_PAGES.items():
        sweep.send(role, "post", f"/shop/basket/add/{product.pk}/", {"quantity": "1"})
        for path in pages:
            parser = FormParser()
            parser.feed(sweep.send(role, "get", path).content.decode("utf-8", "replace"))
            for form in parser.forms:
                action = _same_site_path(form["action"], path) or path
                if action.split("?")[0] in NEW_FORM_ACTIONS:
                    forms.append((role, {**form, "action": action.split("?")[0]}))
    assert {form["action"] for _, form in forms} == NEW_FORM_ACTIONS

    @hypothesis_settings(max_examples=NEW_FORM_EXAMPLES, **SWEEP_SETTINGS)
    @given(data=st.data())
    def generated(data):
        role, form = data.draw(st.sampled_from(forms), label="form")
        sweep.send(role, form["method"], form["action"], draw_values(data, form))

    generated()


# --- The one-page checkout: its form (Update, Pay) and the quote its script asks for -------

CHECKOUT_EXAMPLES = 2000 if LONG else 150
# A valid guest's or customer's checkout; each example spoils a few fields of it, so the
# hostile values reach the pricing, the card check and the fake Stripe, not only the form.
CHECKOUT_VALID = {
    "email": "sweep.guest@example.com",
    "use_address": "",
    "first_name": "Ada",
    "last_name": "Sweep",
    "line1": "12 Main Street",
    "line2": "",
    "line4": "Springfield",
    "state": "IL",
    "postcode": "62701",
    "country": "US",
    "phone_number": "",
    "shipping_method": "standard",
    "card": "new",
    "save_card": "on",
    "wallet": "",
}
CHECKOUT_ACTIONS = ["update", "update", "pay", "pay", "", "PAY", "<rw-x>"]
JSON = {"Accept": "application/json"}


def checkout_values(data, page_fields, cards):
    values = {name: [value] for name, value in CHECKOUT_VALID.items()}
    for field in page_fields:  # what the page has and this list does not: its own value
        values.setdefault(field["name"], [_field_value(field, None)])
    card = st.one_of(st.sampled_from(cards), st.sampled_from(["", "pm_does_not_exist", *HOSTILE]))
    values["payment_method"] = [data.draw(card, label="card")]
    values["action"] = [data.draw(st.sampled_from(CHECKOUT_ACTIONS), label="action")]
    spoiled = data.draw(
        st.one_of(st.just([]), st.lists(st.sampled_from(sorted(values)), max_size=4, unique=True))
    )
    for name in spoiled:
        hostile = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
        values[name] = [data.draw(hostile, label=name)]
    return leave_out_and_repeat(data, values)


@pytest.mark.django_db
def test_one_page_checkout_and_its_quote_with_hostile_values(sweep, localstripe):
    """POST /shop/checkout/ (Update and Pay, as a form and as the page's script asks for
    JSON) and /shop/checkout/quote/, as a guest and a customer with something in the cart,
    against the fake Stripe: never a 5xx."""
    Order = get_model("order", "Order")
    product = Product.objects.filter(stockrecords__num_in_stock__gt=0).first()
    roles = ["anonymous", "customer"]
    page_fields = {}
    for role in roles:
        sweep.send(role, "post", f"/shop/basket/add/{product.pk}/", {"quantity": "1"})
        parser = FormParser()
        parser.feed(sweep.send(role, "get", "/shop/checkout/").content.decode("utf-8", "replace"))
        [form] = [f for f in parser.forms if f["action"] == "/shop/checkout/"]
        page_fields[role] = form["fields"]
        names = {field["name"] for field in form["fields"]}
        assert {"action", "payment_method", "line1", "postcode"} <= names, names
        assert ("email" in names) == (role == "anonymous"), names
    # Cards the Payment Element made: one that pays, one declined, one asking for 3-D Secure.
    cards = [
        localstripe.payment_method(number)
        for number in ("4242424242424242", "4000000000000002", "4000002760003184")
    ]

    def send(role, path, values, headers):
        orders = Order.objects.count()
        sweep.send(role, "post", path, values, headers=headers)
        if Order.objects.count() != orders:  # paid: a new cart for the next examples
            sweep.send(role, "post", f"/shop/basket/add/{product.pk}/", {"quantity": "1"})

    # The deterministic pass: every card, untouched details, so paying is reached for real
    # (paid, declined, 3-D Secure), as the page's script and as a plain form.
    for role in roles:
        for card, headers in [(card, headers) for card in cards for headers in (JSON, None)]:
            values = {name: [value] for name, value in CHECKOUT_VALID.items()}
            send(
                role,
                "/shop/checkout/",
                {**values, "action": ["pay"], "payment_method": [card]},
                headers,
            )

    @hypothesis_settings(max_examples=CHECKOUT_EXAMPLES, **SWEEP_SETTINGS)
    @given(data=st.data())
    def generated(data):
        role = data.draw(st.sampled_from(roles), label="role")
        values = checkout_values(data, page_fields[role], cards)
        path = data.draw(st.sampled_from(["/shop/checkout/", "/shop/checkout/quote/"]))
        send(role, path, values, data.draw(st.sampled_from([None, JSON]), label="accept"))

    generated()
