"""How the payments code is put together: one module talks to Stripe, and the store never
imports the support app (support listens to the store's signals instead)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "shop",
    "support",
    "staff",
    "blog",
    "sitewide",
    "clinics",
    "marketing",
    "pagecache",
    "demo",
    "devtools",
    "config",
]


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def app_modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_only_the_gateway_imports_stripe():
    importers = {
        str(path.relative_to(ROOT))
        for path in app_modules()
        if any(name == "stripe" or name.startswith("stripe.") for name in imported_modules(path))
    }
    assert importers == {"shop/payments/stripe_gateway.py"}


def test_the_store_does_not_import_support():
    # Data migrations may call another app's historical set-up (staff groups): not a
    # dependency of the store's code.
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "shop").rglob("*.py")
        if "migrations" not in path.parts
        and any(name == "support" or name.startswith("support.") for name in imported_modules(path))
    ]
    assert offenders == []


def test_payments_services_is_split_by_concern():
    longest = max(
        len(path.read_text().splitlines()) for path in (ROOT / "shop" / "payments").glob("*.py")
    )
    assert longest < 400
