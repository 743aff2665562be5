"""The Lighthouse targets (bench/audit.py).

Opt-in with RUN_LIGHTHOUSE=1 (and RUN_SLOW_AUDITS=1, on PostgreSQL): mobile performance does
not reach 95 on every page yet (issue 17 stays open, README "Accessibility and mobile
speed"), so CI does not run it until it can pass; `make audit` prints the table.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow_audit
def test_shopper_pages_meet_the_lighthouse_targets():
    if os.environ.get("RUN_LIGHTHOUSE") != "1":
        pytest.skip("Lighthouse audit is opt-in: set RUN_LIGHTHOUSE=1 (see README)")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the audit runs the store on PostgreSQL: set DATABASE_URL=postgres://...")
    if not (ROOT / "frontend" / "node_modules" / ".bin" / "lighthouse").exists():
        pytest.fail("Lighthouse is not installed: make frontend")
    audit_db = url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1].split("?")[0] + "_audit"
    command = [sys.executable, "bench/audit.py", "--database-url", audit_db]
    if os.environ.get("REDIS_URL"):
        command += ["--cache-url", os.environ["REDIS_URL"]]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=45 * 60, check=False
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
