"""The front tier for bench/pages.py: Varnish in front of gunicorn, and nginx's ceiling.

``through_varnish(...)`` measures each page anonymously through deploy/varnish/default.vcl
and, in the same run, nginx serving the product page's HTML as a static file: the machine's
limit for that page. Both with keep-alive off (every request a new connection, as through
gunicorn's sync workers), so the ratio compares like with like.
"""

import contextlib
import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from frontcache.varnishd import free_port, render_vcl, running_varnishd

NO_KEEPALIVE = {"Connection": "close"}

NGINX_CONF = """
worker_processes auto;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_timeout 0;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        location / {{ try_files /page.html =404; }}
    }}
}}
"""


def prepare_env(env):
    """Choose the benchmark Varnish's port before gunicorn starts, so the site purges it."""
    port = free_port()
    env["HTTP_CACHE_PURGE_URLS"] = f"http://127.0.0.1:{port}/"
    return port


@contextlib.contextmanager
def running_nginx(html):
    """nginx serving ``html`` at every path on a free loopback port; yields the base URL."""
    nginx = next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), "")
    if not nginx:
        raise SystemExit("nginx is missing: apt-get install -y nginx")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rw-nginx-") as root:
        os.chmod(root, 0o755)  # noqa: S103 - nginx workers run unprivileged; nothing secret
        (Path(root) / "www").mkdir(mode=0o755)
        (Path(root) / "www" / "page.html").write_bytes(html)
        (Path(root) / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=port))
        process = subprocess.Popen(
            [nginx, "-p", root, "-c", f"{root}/nginx.conf", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("nginx did not start")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=15)


# Writes while Varnish is measured: a price change every second on one of the generated
# catalogue's products, committed and purged by tag as in production (the listings showing it
# are purged too and fetched again; the demo pages measured here do not show them).
WRITES = """
import random
import time
from decimal import Decimal
from oscar.core.loading import get_model
StockRecord = get_model("partner", "StockRecord")
records = list(StockRecord.objects.filter(product__upc__startswith="BENCH-"))
n = 0
while records:
    record = random.choice(records)
    record.price = record.price + (Decimal("0.01") if n % 2 == 0 else Decimal("-0.01"))
    record.save()
    n += 1
    print(n, flush=True)
    time.sleep(1)
"""


@contextlib.contextmanager
def background(args, env):
    """Runs ``args`` (from the repository root) beside the measurement; yields a function
    returning the last line it printed."""
    root = Path(__file__).resolve().parents[1]
    out = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        args,
        cwd=root,
        env=env,
        stdout=out,
        stderr=subprocess.DEVNULL,  # a log line per purge
    )

    def last_line():
        out.seek(0)
        lines = out.read().splitlines()
        return lines[-1] if lines else ""

    try:
        yield last_line
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        out.close()


@contextlib.contextmanager
def mixed_workload(env):
    """Issue 14's business beside the Varnish measurement (one order a second through the
    payment service against localstripe, a publish every 10 s: bench/traffic.py
    --workload-only) plus a price change every second; yields a function describing what
    was done so far."""
    import sys

    with (
        background([sys.executable, "manage.py", "shell", "-c", WRITES], env) as prices,
        background([sys.executable, "bench/traffic.py", "--workload-only"], env) as business,
    ):
        for _ in range(120):  # measure only once orders are being placed
            if business():
                break
            time.sleep(0.5)

        def done():
            business_line = business() or "orders=0 publishes=0 failed=0"
            return f"{prices() or 0} price changes, {business_line}"

        yield done


def through_varnish(wrk, base, urls, seconds, varnish_port, env):
    """Requests/s per page through Varnish (while prices change and are purged) and nginx's
    ceiling for the product page.

    Returns ({page: wrk figures through Varnish}, nginx wrk figures for the product page,
    what the store did while Varnish was measured).
    """
    backend_port = int(base.rsplit(":", 1)[1])
    varnish_rows = {}
    with running_varnishd(render_vcl(backend_port), port=varnish_port, memory="256m") as front:
        with mixed_workload(env) as changes:
            for name, path in urls.items():
                if name == "basket":
                    continue  # the visitor's own page: Varnish passes it
                wrk(front + path, 2, NO_KEEPALIVE)  # fills Varnish, warms up
                varnish_rows[name] = wrk(front + path, seconds, NO_KEEPALIVE)
            writes = changes()
    product_path = urls.get("product")
    if product_path is None:
        return varnish_rows, None, writes
    html = urllib.request.urlopen(base + product_path, timeout=30).read()
    with running_nginx(html) as nginx:
        wrk(nginx + "/", 2, NO_KEEPALIVE)
        ceiling = wrk(nginx + "/", seconds, NO_KEEPALIVE)
    return varnish_rows, ceiling, writes


def print_table(anonymous, varnish_rows, ceiling, writes, seconds):
    """``anonymous``: {page: gunicorn anonymous wrk figures} from the main table."""
    print()
    print(
        f"Through Varnish (deploy/varnish/default.vcl, malloc 256m) while the store did "
        f"business ({writes}; each committed and purged by tag), and nginx serving the "
        f"product page's HTML as a file; keep-alive off; wrk -t1 -c4 -d{seconds}s"
    )
    if ceiling:
        print(
            f"nginx static-file ceiling (product page HTML): {ceiling[0]:.0f} req/s, "
            f"p50 {ceiling[1]:.2f} ms, p99 {ceiling[2]:.2f} ms"
        )
    print(
        "| page | gunicorn anon req/s | through Varnish req/s | Varnish p50 ms | "
        "Varnish p99 ms | Varnish / gunicorn | Varnish / nginx ceiling |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, figures in varnish_rows.items():
        app = anonymous.get(name)
        app_rps = f"{app[0]:.0f}" if app else "-"
        speed_up = f"{figures[0] / app[0]:.1f}x" if app and app[0] else "-"
        share = f"{100 * figures[0] / ceiling[0]:.0f} %" if ceiling else "-"
        print(
            f"| {name} | {app_rps} | {figures[0]:.0f} | {figures[1]:.2f} | {figures[2]:.2f} | "
            f"{speed_up} | {share} |"
        )
        if figures[3]:
            print(f"  !! non-2xx responses through Varnish: {figures[3]}")
