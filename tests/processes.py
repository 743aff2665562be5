"""``manage.py`` in a child process with the production settings module."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The test run's own switches (e.g. DJANGO_ALLOW_ASYNC_UNSAFE for Playwright) are not part
# of a production configuration.
TEST_RUN_ONLY = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS"}


def production_manage(*args, drop=(), **env):
    """Run ``manage.py args`` with config.settings, the environment less the test run's
    switches (and ``drop``), plus ``env``; returns the CompletedProcess (text output)."""
    dropped = TEST_RUN_ONLY | set(drop)
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
