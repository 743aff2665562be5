"""The import graph of the project's own packages (docs/architecture.md): no cycles between
apps or inside one, and no import tucked inside a function to hide one. Which app may import
which is checked by import-linter's contracts (pyproject.toml, `make lint`)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [
    "config",
    "shop",
    "blog",
    "sitewide",
    "search",
    "clinics",
    "support",
    "staff",
    "outbox",
    "pagecache",
    "frontcache",
    "marketing",
    "demo",
    "devtools",
]

# Imports inside functions that are allowed, each with its reason: (path, function name).
# Besides these, AppConfig.ready() in an apps.py may import: it is Django's documented place
# to connect signal handlers, once the models are loaded.
LOCAL_IMPORTS_ALLOWED = {
    # An Oscar app config is imported while INSTALLED_APPS loads, before the models: its
    # get_urls() may import views, at module level it could not.
    ("shop/config.py", "get_urls"),
}


def graph():
    return grimp.build_graph(*PACKAGES, include_external_packages=False)


def _cycles(nodes, edges):
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_apps():
    g = graph()
    edges = {
        a: {
            b
            for b in PACKAGES
            if b != a and g.direct_import_exists(importer=a, imported=b, as_packages=True)
        }
        for a in PACKAGES
    }
    assert _cycles(PACKAGES, edges) == []


def test_no_import_cycle_inside_an_app():
    g = graph()
    for package in PACKAGES:
        modules = g.find_descendants(package) | {package}
        # A package's __init__ importing its submodules is how packages work, not a cycle.
        edges = {
            m: {
                imported
                for imported in g.find_modules_directly_imported_by(m)
                if imported in modules and not m.startswith(imported + ".")
            }
            for m in modules
        }
        assert _cycles(modules, edges) == [], package


def _function_local_imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = path.read_text().splitlines()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                relative = node.level > 0
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
                relative = False
            else:
                continue
            if relative or any(name.split(".")[0] in PACKAGES for name in names):
                yield function.name, node.lineno, lines[node.lineno - 1].strip()


def test_no_function_local_imports_of_the_projects_own_modules():
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # a data migration may call set-up code with its historical models
            relative = str(path.relative_to(ROOT))
            for function, lineno, text in _function_local_imports(path):
                if path.name == "apps.py" and function == "ready":
                    continue
                if (relative, function) not in LOCAL_IMPORTS_ALLOWED:
                    found.add(f"{relative}:{lineno}: {text}")
    assert sorted(found) == []


def test_the_site_never_imports_localstripe():
    for package in PACKAGES:
        if package == "devtools":
            continue
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                assert not any(n.split(".")[0] == "localstripe" for n in names), path


@pytest.mark.parametrize("dev_tools, installed", [("", False), ("1", True)])
def test_devtools_are_installed_only_when_asked(dev_tools, installed):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "architecture-test-key-0123456789-0123456789-0123456789",
        "DEV_TOOLS": dev_tools,
        "PAGE_CACHE_SINGLE_PROCESS": "1",
    }
    script = (
        "import sys, django; django.setup(); from django.conf import settings; "
        "print('devtools' in settings.INSTALLED_APPS, 'devtools' in sys.modules, "
        "any(m.split('.')[0] == 'localstripe' for m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(installed), str(installed), "False"]
