"""Lighthouse audit of the shopper pages under gunicorn with production settings.

One command (`make audit` or `python bench/audit.py`):
1. creates (if needed) and migrates a PostgreSQL database, collects the static files
   (WhiteNoise, compressed and fingerprinted) and loads the demo data;
2. starts localstripe (the local fake Stripe) and gunicorn with DEBUG off;
3. drives Chromium through the shop (Playwright) to get the sessions that some pages need:
   a guest with a cart whose one-page checkout has the contact and address saved, so its
   summary shows the tax (basket and checkout), and a customer who has paid for an order,
   marked dispatched (order confirmation, the account's order page, the return request);
4. runs Lighthouse 12 (frontend/node_modules, `make frontend`) on each page with its default
   mobile emulation, passing the session cookie with --extra-headers;
5. prints one table (accessibility, best practices, SEO, performance) and exits with
   status 1 when a page is under the targets: 100, 100, 100 and at least 95.

A page whose first run is under a target is run twice more and the median of the three runs
is reported, as Lighthouse's documentation recommends for its run-to-run variance. The
basket, checkout and account pages are disallowed in robots.txt on purpose, so their SEO
score leaves out the "is crawlable" audit.
Needs PostgreSQL on 127.0.0.1:5432, Node 20 and Chromium (CHROME_PATH, /usr/bin/chromium).
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(ROOT))

from _server import start_gunicorn, start_localstripe  # noqa: E402
from pages import ensure_database, env_for_site, manage, postgres_parts, shell  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.e2e.helpers import fill_shipping_address, pay_with, sign_in_at_shop  # noqa: E402

LIGHTHOUSE = ROOT / "frontend" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("accessibility", "best-practices", "seo", "performance")
TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CARD = "4242424242424242"
# The pages issue 17 lists, in the table's order.
PAGES = (
    "home",
    "blog index",
    "article",
    "condition page",
    "category",
    "product",
    "basket",
    "checkout",
    "order confirmation",
    "account: order",
    "return request",
    "clinic locator",
    "clinic page",
)
CUSTOMERS = {"ordered": ("audit-ordered@example.com", "audit-ordered-pass-1")}
GUEST_EMAIL = "audit-guest@example.com"
SPRINGFIELD = {
    "line1": "12 Main Street",
    "line4": "Springfield",
    "state": "IL",
    "postcode": "62701",
}
# The checkout form posted as "Update shipping and tax" does without JavaScript: the contact
# and address kept in the session, so the page Lighthouse loads is priced for them.
SAVE_CHECKOUT = """(form) => {
  const data = new FormData(form);
  data.set("action", "update");
  const url = form.getAttribute("action");  // form.action: its buttons named "action"
  return fetch(url, {method: "POST", body: data, credentials: "same-origin"})
    .then((response) => response.status);
}"""

SETUP = """
import json
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from wagtail.models import Page
from clinics.models import Clinic
for email, password in %(customers)r:
    user, _ = get_user_model().objects.get_or_create(username=email, defaults={"email": email})
    user.email = email
    user.set_password(password)
    user.save()
    get_model("basket", "Basket").objects.filter(owner=user, status="Open").delete()
product = get_model("catalogue", "Product").objects.get(upc="RW-PTS-100")
category = get_model("catalogue", "Category").objects.get(slug="devices")
print(json.dumps({
    "home": "/",
    "blog index": "/blog/",
    "article": Page.objects.get(slug="what-do-back-spasms-feel-like").url,
    "condition page": Page.objects.get(slug="back-pain").url,
    "category": category.get_absolute_url(),
    "product": product.get_absolute_url(),
    "clinic locator": "/clinics/?q=10001",
    "clinic page": Clinic.objects.filter(is_active=True).order_by("pk").first().get_absolute_url(),
}))
"""

DISPATCH = """
from oscar.core.loading import get_model
order = get_model("order", "Order").objects.get(number=%(number)r)
event_type, _ = get_model("order", "ShippingEventType").objects.get_or_create(name="Dispatched")
get_model("order", "ShippingEvent").objects.get_or_create(order=order, event_type=event_type)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drop_database(url):
    parts = postgres_parts(url)
    if not parts:
        raise SystemExit(f"--fresh-database needs a postgres://user@host[:port]/name URL: {url}")
    user, host, port, name = parts
    subprocess.run(
        ["dropdb", "--if-exists", "--force", "-h", host, "-p", port, "-U", user, name], check=True
    )


def chrome_path():
    return os.environ.get("CHROME_PATH") or "/usr/bin/chromium"


def sessions(base):
    """Walk the shop as a guest and a customer; returns {page name: (path, cookie header)}."""
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chrome_path(), args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context()
        context.set_default_timeout(30_000)
        page = context.new_page()
        checkout_priced(page, base, GUEST_EMAIL)
        assert page.evaluate(SAVE_CHECKOUT, page.locator("#checkout-form").element_handle()) == 200
        page.reload()
        tax_shown(page)  # from the session now, as Lighthouse will see it
        cookie = cookie_header(context)
        found["basket"] = ("/shop/basket/", cookie)
        found["checkout"] = ("/shop/checkout/", cookie)
        context.close()

        for email, password in CUSTOMERS.values():
            context = browser.new_context()
            context.set_default_timeout(30_000)
            page = context.new_page()
            sign_in_at_shop(page, base, email, password)
            checkout_priced(page, base)
            pay_with(page, CARD)
            heading = page.get_by_role("heading", level=1)
            expect(heading).to_contain_text("confirmation", timeout=30_000)
            number = re.search(r"\d{6,}", heading.inner_text()).group(0)
            cookie = cookie_header(context)
            found["order confirmation"] = (page.url.removeprefix(base), cookie)
            found["account: order"] = (f"/shop/accounts/orders/{number}/", cookie)
            found["return request"] = (f"/shop/accounts/orders/{number}/return/", cookie)
            found["_order_number"] = number
            context.close()
        browser.close()
    return found


def checkout_priced(page, base, email=None):
    """The therapy system in the cart, then the one checkout page filled in (a guest's
    ``email`` too) and priced for a Springfield, Illinois address."""
    page.goto(base + "/shop/catalogue/")
    page.get_by_role("link", name="Pain Therapy System").first.click()
    page.locator("#add_to_basket_form").get_by_role("button", name="Add to cart").click()
    expect(page.locator("#mini-cart")).to_contain_text("1 item")
    page.goto(base + "/shop/checkout/")
    fill_shipping_address(page, first_name="Ada", last_name="Audit", email=email, **SPRINGFIELD)
    tax_shown(page)


def tax_shown(page):
    tax = page.locator("#checkout-summary [data-money=tax]").first
    expect(tax).to_have_text(re.compile(r"^\$\d"))


def cookie_header(context):
    return "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())


def lighthouse(url, cookie=None):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report.name}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        if cookie:
            command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
            # A visitor's own pages (basket, checkout, account) are kept out of search
            # engines on purpose (robots.txt): SEO is scored on everything else.
            command.append("--skip-audits=is-crawlable")
        env = dict(os.environ, CHROME_PATH=chrome_path())
        for attempt in range(3):
            # A busy machine sometimes loses the trace (NO_NAVSTART): run again.
            done = subprocess.run(command, env=env, timeout=300, capture_output=True, text=True)
            if done.returncode == 0:
                break
            print(f"lighthouse failed on {url} ({attempt + 1}/3): {done.stderr[-300:]}")
        else:
            raise SystemExit(f"Lighthouse could not audit {url}")
        data = json.loads(Path(report.name).read_text())
    scores = {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    failing = sorted(
        audit_id
        for audit_id, audit in data["audits"].items()
        if audit.get("scoreDisplayMode") in ("binary", "numeric")
        and audit.get("score") is not None
        and audit["score"] < 0.9
        and any(
            ref["id"] == audit_id
            for c in CATEGORIES
            if c != "performance"
            for ref in data["categories"][c]["auditRefs"]
            if ref.get("weight")
        )
    )
    metrics = {
        "FCP": data["audits"]["first-contentful-paint"]["numericValue"],
        "LCP": data["audits"]["largest-contentful-paint"]["numericValue"],
    }
    bench = data.get("environment", {}).get("benchmarkIndex")
    print(f"  {url}: {scores} {failing} benchmarkIndex={bench}", file=sys.stderr, flush=True)
    # What failed, item by item (an image's URL, an element's markup): the audit's name alone
    # does not say what to fix; nor does it for what the browser logged.
    for audit_id in failing:
        for item in data["audits"][audit_id].get("details", {}).get("items", [])[:5]:
            what = item.get("url") or (item.get("node") or {}).get("snippet", "")
            print(f"    {audit_id}: {what}", file=sys.stderr)
    for item in data["audits"].get("errors-in-console", {}).get("details", {}).get("items", []):
        where = (item.get("sourceLocation") or {}).get("url", "")
        print(f"    console: {item.get('description')} {where}", file=sys.stderr)
    return scores, failing, metrics


def below_target(scores):
    return [c for c in CATEGORIES if scores[c] < TARGETS[c]]


def report(rows, out=sys.stdout):
    """Print the table of ``rows`` (name, path, scores, failing audits, metrics).

    Returns False when a page is under a target: the audit's exit status (and CI's verdict).
    """
    print(file=out)
    print(
        f"date: {time.strftime('%Y-%m-%d')}  Lighthouse 12.2.3, mobile emulation (default), "
        f"gunicorn 2 sync workers, PostgreSQL, DEBUG off, WhiteNoise static",
        file=out,
    )
    print("| page | accessibility | best practices | SEO | performance | FCP s | LCP s |", file=out)
    print("|---|---|---|---|---|---|---|", file=out)
    passed = bool(rows)
    for name, path, scores, failing, metrics in rows:
        under = below_target(scores)
        passed = passed and not under
        print(
            f"| {name} (`{path.split('?')[0] if 'checkout' in name else path}`) "
            f"| {scores['accessibility']} | {scores['best-practices']} | {scores['seo']} "
            f"| {scores['performance']} | {metrics['FCP'] / 1000:.1f} "
            f"| {metrics['LCP'] / 1000:.1f} |",
            file=out,
        )
        if under or failing:
            print(
                f"  !! under target: {', '.join(under) or '-'}; failing audits: {failing}", file=out
            )
    if not passed:
        print(
            "Some pages are under the targets (accessibility, best practices and SEO 100,", file=out
        )
        print("performance 95), or no page was audited.", file=out)
    return passed


def audit_page(base, path, cookie):
    scores, failing, metrics = lighthouse(base + path, cookie)
    if not below_target(scores):
        return scores, failing, metrics
    runs = [(scores, failing, metrics)]
    for _ in range(2):
        runs.append(lighthouse(base + path, cookie))
    median = {c: statistics.median(run[0][c] for run in runs) for c in CATEGORIES}
    fails = sorted({a for run in runs for a in run[1]})
    metric = {m: statistics.median(run[2][m] for run in runs) for m in ("FCP", "LCP")}
    return {c: round(v) for c, v in median.items()}, fails, metric


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("AUDIT_DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/reliefworks_audit",
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"
    )
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument(
        "--fresh-database",
        action="store_true",
        help="drop the audit database first (CI: a database left by another checkout may "
        "hold migrations this one does not have)",
    )
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: make frontend")

    port, stripe_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = env_for_site(args)
    env.update(
        {
            "STATIC_ROOT": str(ROOT / "var" / "audit-static"),
            "MEDIA_ROOT": str(ROOT / "var" / "audit-media"),
            "SITE_URL": base,
            "STRIPE_API_BASE": f"http://127.0.0.1:{stripe_port}",
            "STRIPE_JS_URL": f"http://127.0.0.1:{stripe_port}/js.stripe.com/v3/",
            "STRIPE_SECRET_KEY": "sk_test_localstripe",
            "STRIPE_PUBLISHABLE_KEY": "pk_test_localstripe",
            "STRIPE_WEBHOOK_SECRET": "whsec_localstripe_audit",
            # No internet here: the clinic maps get a blank local tile instead of OSM's (512 px,
            # so it is sharp at a phone's pixel ratio: the map is in the first screen now).
            "CLINICS_TILE_URL": "/static/img/blank-tile.png",
        }
    )
    if args.fresh_database and not args.skip_prepare:
        drop_database(args.database_url)
    if not args.skip_prepare:
        ensure_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "load_demo", "-v0")
    # Pages cached by an earlier run (another build of the templates) must not be served.
    shell(env, "from django.core.cache import cache; cache.clear()")
    pages = json.loads(shell(env, SETUP % {"customers": list(CUSTOMERS.values())}))
    stripe = start_localstripe(stripe_port, env)
    server = start_gunicorn(env, port, quiet=True, tries=150)
    rows = []
    try:
        # The webhook command is a development tool (devtools), off in production settings.
        manage(dict(env, DEV_TOOLS="1"), "localstripe_webhook", "--site-url", base)
        paths = {name: (path, None) for name, path in pages.items()}
        visited = sessions(base)
        number = visited.pop("_order_number")
        shell(env, DISPATCH % {"number": number})
        paths.update(visited)
        wanted = args.pages.split(",") if args.pages else PAGES
        for name in PAGES:
            if name not in wanted:
                continue
            path, cookie = paths[name]
            scores, failing, metrics = audit_page(base, path, cookie)
            rows.append((name, path, scores, failing, metrics))
    finally:
        server.terminate()
        stripe.terminate()
        server.wait(timeout=20)
        stripe.wait(timeout=20)

    if not report(rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
