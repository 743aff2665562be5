"""axe-core in the browser journeys: no serious or critical accessibility violation.

axe-core (npm, pinned in frontend/package.json, `make frontend`) is added to every page of a
journey's browser context as an init script (tests/e2e/conftest.py), so it runs whatever
the page's Content-Security-Policy; each journey step calls `assert_accessible(page)`.
"""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " : " + n.failureSummary),
  }));
}"""


def axe_script():
    """The axe-core source, or None when the frontend tools are not installed."""
    if AXE.exists():
        return AXE
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail("axe-core is not installed (make frontend) and E2E_REQUIRED=1")
    return None


def assert_accessible(page, *, exclude=(), every_impact=False):
    """Fail on any serious or critical axe-core violation on the page as it is now (on any
    violation at all with ``every_impact``)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        if axe_script() is None:
            return
        page.add_script_tag(path=str(AXE))
    page.wait_for_load_state("load")
    violations = [
        v
        for v in page.evaluate(RUN_AXE)
        if (every_impact or v["impact"] in BLOCKING) and v["id"] not in exclude
    ]
    report = "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']})\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )
    assert not violations, f"accessibility violations on {page.url}:\n{report}"
