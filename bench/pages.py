"""Page-speed benchmark: the store under gunicorn with production settings on PostgreSQL.

One command (`make bench` or `python bench/pages.py`):
1. creates (if needed) and migrates the benchmark database, loads the demo data and a
   larger catalogue (1,000 products, 500 articles, 10,000 clinics);
2. starts gunicorn with 2 sync workers, DEBUG off, Redis as the shared cache;
3. for each page: the first request after the cache is emptied ("cold"), then
   `wrk -t1 -c4 -d10s --latency` after warm-up ("warm"), as an anonymous visitor, as a
   visitor with an item in the basket and as a signed-in customer with an item in the basket;
4. prints one table with requests/s, p50 and p99 beside the reference figures;
5. then (unless --no-varnish) the same anonymous pages through Varnish, and nginx serving the
   product page's HTML as a file, with the ratios (bench/front_tier.py).

Needs wrk (apt-get install -y wrk), PostgreSQL on 127.0.0.1:5432 and Redis on 6379; for the
front tier varnish, varnish-modules and nginx.
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import front_tier  # noqa: E402 - bench/ is on the path when run as a script
from _server import start_gunicorn  # noqa: E402

# Uncached renders (PAGE_CACHE_SECONDS=0) beside the reference sites under the same wrk
# settings (issue 14): bakerydemo's blog post 44/s, Oscar's sandbox product page 25.5/s;
# the other pages against issue 8's references.
UNCACHED_REFERENCE = {"article": 44, "condition": 44, "product": 25.5}

REFERENCE = {  # requests/s measured on a machine like this one (issue 8)
    "product": 21,
    "category": 2.8,
    "basket": 48,
    "home": 14,
    "blog_index": 28,
    "article": 37,
    "condition": 37,  # no reference of its own: compared with a blog post
    "clinics": 14,  # no reference of its own: compared with the slowest content page
}


def env_for_site(args):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": args.database_url,
            "CACHE_URL": args.cache_url,
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Production settings except TLS, which a load balancer terminates.
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def postgres_parts(url):
    """(user, host, port, name) of a postgres://user@host[:port]/name URL; None otherwise."""
    match = re.match(r"postgres(?:ql)?://([^@]+)@([^:/]+):?(\d+)?/(\w+)", url)
    if not match:
        return None
    user, host, port, name = match.groups()
    return user, host, port or "5432", name


def ensure_database(url):
    parts = postgres_parts(url)
    if not parts:
        return
    user, host, port, name = parts
    exists = subprocess.run(
        [
            "psql",
            "-h",
            host,
            "-p",
            port,
            "-U",
            user,
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",  # noqa: S608 - name is \w+
            "postgres",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", host, "-p", port, "-U", user, name], check=True)


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def shell(env, code):
    """Run ``code`` in ``manage.py shell``; returns the last line it printed."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1] if out.strip() else ""


def prepare(env, args):
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo", "-v0")
    manage(
        env,
        "bench_catalogue",
        "--products",
        str(args.products),
        "--articles",
        str(args.articles),
        "--clinics",
        str(args.clinics),
    )


def flush_cache(env):
    manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")


def first_hit_ms(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def wrk(url, seconds, headers=None):
    command = ["wrk", "-t1", "-c4", f"-d{seconds}s", "--latency", url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(label):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, pct("50"), pct("99"), int(errors.group(1)) if errors else 0


CUSTOMER = ("bench-customer@example.com", "bench-customer-pass-1")
CREATE_CUSTOMER = f"""
from django.contrib.auth import get_user_model
user, _ = get_user_model().objects.get_or_create(
    username="bench-customer", defaults={{"email": "{CUSTOMER[0]}"}})
user.email = "{CUSTOMER[0]}"
user.set_password("{CUSTOMER[1]}")
user.save()
"""


def _csrf_token(opener, base):
    html = opener.open(base + "/session/csrf/").read().decode()
    return re.search(r'"csrfToken": "([^"]+)"', html).group(1)


def basket_cookie(base, signed_in=False):
    """A visitor with one item in the basket (signed in as a customer if asked)."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if signed_in:
        token = _csrf_token(opener, base)
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "login-username": CUSTOMER[0],
                "login-password": CUSTOMER[1],
                "login_submit": "Log In",
            }
        ).encode()
        login = urllib.request.Request(
            f"{base}/shop/accounts/login/", data=form, headers={"Referer": base + "/"}
        )
        opener.open(login)
        if not any(c.name == "sessionid" for c in jar):
            raise SystemExit("the benchmark customer could not sign in")
    token = _csrf_token(opener, base)
    product_url = paths(base)["product"]
    product_id = re.search(r"_(\d+)/$", product_url).group(1)
    data = f"csrfmiddlewaretoken={token}&quantity=1".encode()
    request = urllib.request.Request(
        f"{base}/shop/basket/add/{product_id}/", data=data, headers={"Referer": base + "/"}
    )
    opener.open(request)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


DISCOVER = """
import json
from oscar.core.loading import get_model
from wagtail.models import Page
product = get_model("catalogue", "Product").objects.get(upc="RW-PTS-100")
category = get_model("catalogue", "Category").objects.get(slug="devices")
article = Page.objects.get(slug="what-do-back-spasms-feel-like")
condition = Page.objects.filter(slug="back-pain").first()
print(json.dumps({
    "home": "/",
    "blog_index": "/blog/",
    "article": article.url,
    "condition": condition.url if condition else "/guarantee/",
    "category": category.get_absolute_url(),
    "product": product.get_absolute_url(),
    "clinics": "/clinics/?q=10001",
    "basket": "/shop/basket/",
}))
"""
_paths = {}


def discover_paths(env):
    import json

    _paths.update(json.loads(shell(env, DISCOVER)))
    return _paths


def paths(base=None):
    return _paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/reliefworks_bench"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--clinics", type=int, default=10000)
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--no-varnish", action="store_true", help="skip the front tier table")
    parser.add_argument(
        "--uncached-only",
        action="store_true",
        help="measure only the uncached column (PAGE_CACHE_SECONDS=0)",
    )
    args = parser.parse_args()

    env = env_for_site(args)
    if not args.skip_prepare:
        prepare(env, args)
    else:
        # Data kept from a run of older code still needs this code's migrations (a page type
        # moved to another app renders as a bare Wagtail page until its content type is).
        manage(env, "migrate", "--noinput", "-v0")
    if args.prepare_only:
        return
    base = f"http://127.0.0.1:{args.port}"
    urls = discover_paths(env)
    if args.pages:
        wanted = args.pages.split(",")
        urls = {name: path for name, path in urls.items() if name in wanted}
    manage(env, "shell", "-c", CREATE_CUSTOMER)
    uncached = measure_uncached(env, args, base, urls)
    if args.uncached_only:
        print_uncached(args, urls, uncached)
        return
    varnish_port = None if args.no_varnish else front_tier.prepare_env(env)
    server = start_gunicorn(env, args.port)
    try:
        cookie = basket_cookie(base)
        customer_cookie = basket_cookie(base, signed_in=True)
        rows = []
        for name, path in urls.items():
            flush_cache(env)
            cold = first_hit_ms(base + path)
            wrk(base + path, 2)  # warm-up
            anon = wrk(base + path, args.seconds)
            basket = wrk(base + path, args.seconds, {"Cookie": cookie})
            customer = wrk(base + path, args.seconds, {"Cookie": customer_cookie})
            rows.append((name, path, cold, anon, basket, customer))
        if varnish_port:
            front = front_tier.through_varnish(wrk, base, urls, args.seconds, varnish_port, env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a busy machine: do not lose the figures
            server.kill()
            server.wait()

    print()
    print(
        f"date: {time.strftime('%Y-%m-%d')}  machine: {os.cpu_count()} cores, "
        f"gunicorn 2 sync workers, PostgreSQL, Redis cache, DEBUG off, wrk -t1 -c4 "
        f"-d{args.seconds}s, load average {_load()}"
    )
    header = (
        "| page | cold first hit ms | anon req/s | anon p50 ms | anon p99 ms | x ref "
        "| basket req/s | basket p50 ms | basket p99 ms | x ref "
        "| signed-in req/s | signed-in p50 ms | signed-in p99 ms | x ref "
        "| uncached req/s | uncached p50 ms | x uncached ref |"
    )
    print(header)
    print("|" + "---|" * 17)
    for name, path, cold, anon, basket, customer in rows:
        ref = REFERENCE.get(name, 14)
        # Every page rendered for each request (PAGE_CACHE_SECONDS=0): what a visitor waits
        # for after an invalidation, against the reference site's uncached figure.
        miss = uncached.get(name)
        miss_ref = UNCACHED_REFERENCE.get(name, ref)
        miss_cells = (
            f"{miss[0]:.1f} | {miss[1]:.0f} | {miss[0] / miss_ref:.2f}x |"
            if miss
            else "- | - | - |"
        )
        print(
            f"| {name} (`{path}`) | {cold:.0f} | {anon[0]:.0f} | {anon[1]:.2f} | {anon[2]:.2f} | "
            f"{anon[0] / ref:.0f}x | {basket[0]:.0f} | {basket[1]:.1f} | {basket[2]:.1f} | "
            f"{basket[0] / ref:.1f}x | {customer[0]:.0f} | {customer[1]:.1f} | "
            f"{customer[2]:.1f} | {customer[0] / ref:.1f}x | {miss_cells}"
        )
        if anon[3] or basket[3] or customer[3]:
            print(
                f"  !! non-2xx responses: anon {anon[3]}, basket {basket[3]}, "
                f"signed in {customer[3]}"
            )
    if varnish_port:
        front_tier.print_table({row[0]: row[3] for row in rows}, *front, args.seconds)


def measure_uncached(env, args, base, urls):
    """Every page rendered for each request: what a visitor waits for after an
    invalidation."""
    server = start_gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, args.port)
    try:
        results = {}
        for name, path in urls.items():
            wrk(base + path, 2)  # warm-up (thumbnails, template loaders, connections)
            results[name] = wrk(base + path, args.seconds)
        return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def _load():
    """The 1/5/15-minute load average: figures from a shared machine mean little without it."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def print_uncached(args, urls, uncached):
    print()
    print(
        f"date: {time.strftime('%Y-%m-%d')}  uncached (PAGE_CACHE_SECONDS=0), gunicorn 2 sync "
        f"workers, PostgreSQL, DEBUG off, wrk -t1 -c4 -d{args.seconds}s, load average {_load()}"
    )
    print("| page | uncached req/s | p50 ms | p99 ms | reference req/s | x ref |")
    print("|---|---|---|---|---|---|")
    for name, path in urls.items():
        rps, p50, p99, _errors = uncached[name]
        ref = UNCACHED_REFERENCE.get(name, REFERENCE.get(name, 14))
        print(
            f"| {name} (`{path}`) | {rps:.1f} | {p50:.0f} | {p99:.0f} | {ref} | {rps / ref:.2f}x |"
        )


if __name__ == "__main__":
    main()
