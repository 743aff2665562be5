"""The Lighthouse targets (bench/audit.py): slow, so CI runs it once, in the PostgreSQL pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow_audit
def test_shopper_pages_meet_the_lighthouse_targets():
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
