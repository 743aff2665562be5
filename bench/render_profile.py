"""Uncached render cost per page type, in-process: CPU ms and SQL queries per render.

Wall-clock requests/s on a shared machine is noisy; CPU time of the rendering process and
the number of queries are not. With production-like settings (DEBUG off, the cached template
loader, PAGE_CACHE_SECONDS=0) this renders each page type N times through Django's test
client as an anonymous visitor and prints, per page, CPU ms per render
(``time.process_time``) and queries per render; ``--profile`` adds the top cProfile entries.

    python bench/render_profile.py --prepare          # throw-away SQLite db with the demo data
    python bench/render_profile.py -n 30 [--profile] [--pages article,product]

The database defaults to ``var/rw_speed.sqlite3``; ``--database-url`` takes a PostgreSQL URL
(e.g. ``postgres://postgres@127.0.0.1:5432/rw_speed``). ``--prepare`` migrates it, loads the
demo data and the benchmark catalogue (``bench_catalogue``) and collects static files.
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def site_env(database_url):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "PAGE_CACHE_SECONDS": "0",
        # The local-memory cache is fine in one process.
        "PAGE_CACHE_SINGLE_PROCESS": "1",
        "CACHE_URL": os.environ.get("CACHE_URL", "locmemcache://render-profile"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "render-profile-" + "k" * 50),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(ROOT / "var" / "speed-static"),
        "MEDIA_ROOT": str(ROOT / "var" / "speed-media"),
        "LOG_LEVEL": "ERROR",
    }


def prepare(env):
    for args in (
        ("migrate", "--noinput", "-v0"),
        ("collectstatic", "--noinput", "-v0"),
        ("load_demo", "-v0"),
        ("bench_catalogue",),
    ):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def page_paths():
    from oscar.core.loading import get_model
    from wagtail.models import Page

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    condition = Page.objects.filter(slug="back-pain").first()
    return {
        "home": "/",
        "blog_index": "/blog/",
        "article": Page.objects.get(slug="what-do-back-spasms-feel-like").url,
        "condition": condition.url if condition else "/guarantee/",
        "category": Category.objects.get(slug="devices").get_absolute_url(),
        "product": Product.objects.get(upc="RW-PTS-100").get_absolute_url(),
        "clinics": "/clinics/?q=10001",
    }


def measure(client, path, renders):
    from django.db import connection

    response = client.get(path)  # warm-up: template loaders, thumbnails, connections
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    # Counted with a wrapper: Django empties connection.queries at each request's start.
    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(record):
        client.get(path)
    started = time.process_time()
    wall = time.perf_counter()
    for _ in range(renders):
        client.get(path)
    cpu_ms = (time.process_time() - started) * 1000 / renders
    wall_ms = (time.perf_counter() - wall) * 1000 / renders
    return cpu_ms, wall_ms, len(queries), queries


def profile(client, path, renders, top):
    # CPU time, not wall time: on a shared machine, time spent preempted would otherwise be
    # charged to whatever function happened to be running.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(renders):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'rw_speed.sqlite3'}")
    parser.add_argument("-n", "--renders", type=int, default=20)
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--prepare", action="store_true", help="migrate and load the data first")
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    args = parser.parse_args()

    env = site_env(args.database_url)
    if args.prepare:
        prepare({**os.environ, **env})
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    urls = page_paths()
    if args.pages:
        urls = {name: urls[name] for name in args.pages.split(",")}
    client = Client()
    rows = []
    for name, path in urls.items():
        cpu_ms, wall_ms, count, queries = measure(client, path, args.renders)
        rows.append((name, path, cpu_ms, wall_ms, count))
        if args.sql:
            print(f"--- {name} {path}: {count} queries")
            for sql, ms in queries:
                print(f"  {ms:6.2f} ms  {sql[:400]}")
        if args.profile:
            print(f"=== {name} {path}")
            print(profile(client, path, args.renders, args.top))

    print()
    print(
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
        f"{args.renders} renders per page, anonymous, "
        f"DEBUG off, PAGE_CACHE_SECONDS=0, {args.database_url.split(':')[0]}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print("| page | CPU ms/render | wall ms/render | queries/render |")
    print("|---|---|---|---|")
    for name, path, cpu_ms, wall_ms, count in rows:
        print(f"| {name} (`{path}`) | {cpu_ms:.1f} | {wall_ms:.1f} | {count} |")


if __name__ == "__main__":
    main()
