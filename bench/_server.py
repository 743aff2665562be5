"""The servers a benchmark runs the store with: gunicorn and localstripe, each started in the
background and waited for until it answers."""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def wait_until_up(process, url, name, *, tries=100):
    """Poll ``url`` every 0.2 s until it answers (any HTTP status); else kill and exit."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=2)
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} did not start")


def gunicorn_command(port, *, workers=2):
    return [
        GUNICORN,
        "config.wsgi",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]


def start_gunicorn(env, port, *, quiet=False, tries=100):
    """The store on ``port`` (2 sync workers). ``quiet`` drops its standard output (the
    console email backend prints every order email there)."""
    process = subprocess.Popen(
        gunicorn_command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    return wait_until_up(process, f"http://127.0.0.1:{port}/healthz", "gunicorn", tries=tries)


def start_localstripe(port, env=None):
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.localstripe_server", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return wait_until_up(process, f"http://127.0.0.1:{port}/js.stripe.com/v3/", "localstripe")
