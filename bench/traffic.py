"""Mixed-workload benchmark: is the page cache right and warm while the store does business?

`python bench/traffic.py` (after `python bench/pages.py --prepare-only`, same database):
1. starts gunicorn (2 sync workers, DEBUG off, PostgreSQL, Redis) and localstripe;
2. browse-only: wrk (-t1 -c4) walks anonymous visitors over home, articles, categories and
   products (a Lua script rotates the URLs and counts page-cache hits);
3. mixed: the same browsing, plus one order a second placed through the real payment
   service (``shop.payments.services.start_payment``: stock locked and allocated, the
   card charged at localstripe, the order placed, offers and vouchers recorded, a guest
   email written), plus an editor publishing an article every 10 seconds; meanwhile a
   checker compares a sample of pages with the database (price, availability, title);
4. prints throughput, hit ratio and p99 of both phases side by side, and the sample check.

Targets (issue 14): hit ratio >= 95 %, mixed throughput >= 80 % of browse-only, no stale
page in the sample.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._server import start_gunicorn, start_localstripe  # noqa: E402
from bench.pages import env_for_site, manage, prepare  # noqa: E402

LUA = r"""
local urls = {}
for line in io.lines(os.getenv("BENCH_URLS")) do urls[#urls + 1] = line end
local threads = {}
function setup(thread) table.insert(threads, thread) end
local i = 0
hits, misses, others = 0, 0, 0
request = function()
  i = i % #urls + 1
  return wrk.format("GET", urls[i])
end
response = function(status, headers, body)
  local label = headers["X-Page-Cache"] or headers["x-page-cache"]
  if label == "hit" then hits = hits + 1
  elseif label == "miss" then misses = misses + 1
  else others = others + 1 end
end
done = function(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits"); m = m + thread:get("misses"); o = o + thread:get("others")
  end
  io.write(string.format("CACHE hits=%d misses=%d others=%d\n", h, m, o))
end
"""
# Each wrk thread has its own Lua state: done() (main state) sums the threads' counters.


def wrk(base, seconds, urls_file):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    out = subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{seconds}s", "--latency", "-s", script.name, base],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_URLS": urls_file},
    ).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    counts = re.search(r"hits=(\d+) misses=(\d+) others=(\d+)", out).groups()
    hits, misses, others = map(int, counts)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": pct("50"),
        "p99": pct("99"),
        "hit_ratio": hits / max(1, hits + misses + others),
        "requests": hits + misses + others,
        "errors": int(errors.group(1)) if errors else 0,
    }


def _processes():
    """{pid: (command name, parent pid, CPU seconds so far)} for every process on the machine."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry.name)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return table


def cpu_by_role(roots):
    """CPU seconds used so far, by role: ``roots`` maps a role to the pid of a process whose
    whole tree counts for it, except trees counted under another role and wrk;
    PostgreSQL and Redis are found by name."""
    table = _processes()
    children = {}
    for pid, (_, parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    used = {}
    for role, root in roots.items():
        stack, total = [root], 0.0
        while stack:
            pid = stack.pop()
            name, _, cpu = table.get(pid, ("", 0, 0.0))
            if name == "wrk" or (pid != root and pid in roots.values()):
                continue
            total += cpu
            stack += children.get(pid, [])
        used[role] = total
    for role in ("postgres", "redis-server"):
        used[role] = sum(cpu for name, _, cpu in table.values() if name == role)
    return used


def cpu_during(before, after, seconds):
    """Cores used per role between two ``cpu_by_role`` readings."""
    return {role: (after[role] - before[role]) / seconds for role in after}


class Store:
    """The business side, in this process: orders, publishes and the database checks."""

    def __init__(self, stripe_base):
        import django

        django.setup()
        from django.conf import settings

        from tests.stripe_server import PUBLISHABLE_KEY, SECRET_KEY, LocalStripe

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        settings.STRIPE_SECRET_KEY = SECRET_KEY
        settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
        settings.STRIPE_API_BASE = stripe_base
        self.stripe = LocalStripe(stripe_base)
        self.orders = 0
        self.order_errors = 0
        self.publishes = 0
        self.checked = 0
        self.stale = []
        self.stop = threading.Event()

    def browsing_urls(self, rng):
        from oscar.core.loading import get_model

        from blog.models import ArticlePage

        product = get_model("catalogue", "Product")
        category = get_model("catalogue", "Category")
        products = list(product.objects.filter(is_public=True).order_by("pk")[:200])
        urls = ["/", "/blog/"]
        urls += [a.url for a in ArticlePage.objects.live().order_by("-date")[:20]]
        urls += [c.get_absolute_url() for c in category.objects.all()[:4]]
        urls += [p.get_absolute_url() for p in rng.sample(products, min(30, len(products)))]
        self.products = [p for p in products if p.stockrecords.exists()][:40]
        return urls

    def reset_stock(self):
        """Stock that crosses the low-stock threshold now and then during the run."""
        from oscar.core.loading import get_model

        records = get_model("partner", "StockRecord").objects.filter(product__in=self.products[:10])
        records.update(num_in_stock=40, num_allocated=0)

    def place_order(self, rng):
        from oscar.core.loading import get_class, get_model

        from shop.payments import services
        from shop.payments.services import CheckoutDetails
        from tests.factories import shipping_address

        basket_model = get_model("basket", "Basket")
        selector = get_class("partner.strategy", "Selector")
        basket = basket_model.objects.create()
        basket.strategy = selector().strategy()
        basket.add_product(rng.choice(self.products[:10]), rng.randint(1, 3))
        details = CheckoutDetails(
            basket_id=basket.id,
            user_id=None,
            guest_email=f"bench{basket.id}@example.com",
            shipping_address=shipping_address(
                first_name="Bench",
                line1="1 Main Street",
                line4="Springfield",
                state="IL",
                postcode="62701",
            ),
            shipping_method_code="standard",
        )
        # What the one-page checkout's Payment Element makes in the browser (Stripe.js).
        payment_method = self.stripe.payment_method("4242424242424242")
        services.start_payment(details=details, payment_method=payment_method)

    def orders_loop(self, seed):
        from django.db import connection

        rng = random.Random(seed)
        try:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    self.place_order(rng)
                    self.orders += 1
                except Exception:  # noqa: BLE001 - counted and reported, the run goes on
                    self.order_errors += 1
                self.stop.wait(max(0, 1 - (time.monotonic() - started)))
        finally:
            connection.close()

    def publish_loop(self):
        from django.db import connection

        from blog.models import ArticlePage

        try:
            while not self.stop.wait(10):
                article = ArticlePage.objects.live().order_by("-date").first()
                article.summary = f"Updated at {time.time():.0f}. " + article.summary[:200]
                article.save_revision(log_action=True).publish()
                self.publishes += 1
        finally:
            connection.close()

    def check_loop(self, base):
        """Compare pages with the database: a product's shown price and availability,
        and the latest article's summary. A sample is skipped if the database changed
        while the page was fetched (the page may then rightly be newer)."""
        from django.db import connection
        from oscar.core.loading import get_class

        from blog.models import ArticlePage
        from pagecache.availability import message

        selector = get_class("partner.strategy", "Selector")
        rng = random.Random(7)

        def product_state(product):
            info = selector().strategy().fetch_for_product(product)
            return (f"{info.price.excl_tax:,.2f}", message(info.availability.num_available))

        try:
            while not self.stop.wait(0.25):
                if rng.random() < 0.8:
                    product = rng.choice(self.products[:10])
                    before = product_state(product)
                    html = urllib.request.urlopen(base + product.get_absolute_url()).read()
                    if product_state(product) != before:
                        continue
                    html = html.decode()
                    ok = f"${before[0]}" in html and before[1] in html
                    what = f"{product.get_absolute_url()} {before}"
                else:
                    article = ArticlePage.objects.live().order_by("-date").first()
                    html = urllib.request.urlopen(base + article.url).read().decode()
                    article.refresh_from_db()
                    ok = article.summary.split(".")[0] in html
                    what = f"{article.url} {article.summary[:30]}"
                self.checked += 1
                if not ok:
                    self.stale.append(what)
        finally:
            connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/reliefworks_bench"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--prepare", action="store_true", help="load the data first")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--clinics", type=int, default=10000)
    parser.add_argument(
        "--workload-only",
        action="store_true",
        help="only the business side (orders, publishes) until stopped: bench/front_tier.py "
        "runs it beside Varnish; prints a line per order or publish",
    )
    args = parser.parse_args()

    if args.workload_only:
        return workload_only()
    env = env_for_site(args)
    if args.prepare:
        prepare(env, args)
    os.environ.update(env)
    port = args.port or _free_port()
    stripe_port = _free_port()
    base = f"http://127.0.0.1:{port}"
    stripe = start_localstripe(stripe_port)
    store = Store(f"http://127.0.0.1:{stripe_port}")
    rng = random.Random(14)
    urls = store.browsing_urls(rng)
    store.reset_stock()
    manage(env, "clear_page_cache")
    server = start_gunicorn(env, port)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
            listing.write("\n".join(urls) + "\n")
        for url in urls:  # warm-up: every page rendered once
            urllib.request.urlopen(base + url, timeout=120).read()
        roots = {"gunicorn": server.pid, "localstripe": stripe.pid, "orders+checks": os.getpid()}
        mark, started = cpu_by_role(roots), time.monotonic()
        browse = wrk(base, args.seconds, listing.name)
        browse_cpu = cpu_during(mark, cpu_by_role(roots), time.monotonic() - started)

        threads = [
            threading.Thread(target=store.orders_loop, args=(1,)),
            threading.Thread(target=store.publish_loop),
            threading.Thread(target=store.check_loop, args=(base,)),
        ]
        for thread in threads:
            thread.start()
        try:
            mark, started = cpu_by_role(roots), time.monotonic()
            mixed = wrk(base, args.seconds, listing.name)
            mixed_cpu = cpu_during(mark, cpu_by_role(roots), time.monotonic() - started)
        finally:
            store.stop.set()
            for thread in threads:
                thread.join(timeout=30)
        os.unlink(listing.name)
    finally:
        for process in (server, stripe):
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()

    print()
    print(
        f"date: {time.strftime('%Y-%m-%d')}  machine: {os.cpu_count()} cores, gunicorn 2 sync "
        f"workers, PostgreSQL, Redis, DEBUG off, wrk -t1 -c4 -d{args.seconds}s over "
        f"{len(urls)} URLs (home, blog index, articles, categories, products)"
    )
    print("| workload | req/s | hit ratio | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, row in (("browse only", browse), ("browse + orders + publishes", mixed)):
        print(
            f"| {name} | {row['rps']:.0f} | {row['hit_ratio'] * 100:.1f} % | {row['p50']:.2f} "
            f"| {row['p99']:.2f} | {row['errors']} |"
        )
    print(
        f"mixed/browse throughput: {mixed['rps'] / browse['rps'] * 100:.0f} % (target >= 80 %); "
        f"hit ratio {mixed['hit_ratio'] * 100:.1f} % (target >= 95 %)"
    )
    print(
        f"orders placed: {store.orders} (failed: {store.order_errors}); "
        f"articles published: {store.publishes}; pages checked against the database: "
        f"{store.checked}, stale: {len(store.stale)}"
    )
    for what in store.stale[:10]:
        print("  stale:", what)
    # Where the machine's cores went: localstripe stands in for Stripe's servers, which in
    # production run elsewhere; the order loop stands in for the gunicorn worker that places
    # the order.
    print(f"cores used (of {os.cpu_count()}):")
    print("| role | browse only | browse + orders + publishes |")
    print("|---|---|---|")
    for role in mixed_cpu:
        print(f"| {role} | {browse_cpu[role]:.2f} | {mixed_cpu[role]:.2f} |")


def workload_only():
    """Orders and publishes against the site configured by the environment, until SIGTERM.

    Each event prints ``orders=N publishes=M failed=K`` so the parent can read the last line.
    """
    import signal

    stripe_port = _free_port()
    stripe = start_localstripe(stripe_port)
    store = Store(f"http://127.0.0.1:{stripe_port}")
    store.browsing_urls(random.Random(14))
    store.reset_stock()
    signal.signal(signal.SIGTERM, lambda *_: store.stop.set())
    threads = [
        threading.Thread(target=store.orders_loop, args=(1,)),
        threading.Thread(target=store.publish_loop),
    ]
    for thread in threads:
        thread.start()
    try:
        while not store.stop.wait(1):
            print(
                f"orders={store.orders} publishes={store.publishes} failed={store.order_errors}",
                flush=True,
            )
    finally:
        store.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        print(
            f"orders={store.orders} publishes={store.publishes} failed={store.order_errors}",
            flush=True,
        )
        stripe.terminate()
        stripe.wait(timeout=15)


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
