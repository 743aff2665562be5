"""The browser test here uses the browser tests' Chromium (tests/e2e/conftest.py), which
skips without it unless E2E_REQUIRED=1; its pages need no live Django server."""

from tests.e2e.conftest import browser  # noqa: F401
