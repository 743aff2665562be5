"""Settings for the test suite: production settings with test-only conveniences."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("DEV_TOOLS", "1")  # the localstripe webhook command (devtools/)

from config.settings import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# The canonical host (absolute links) is the test client's; browser tests use the live server.
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
SUPPORT_REQUIRE_2FA = False  # the tests of two-factor sign-in turn it on themselves

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file (not memory) so `pytest --reuse-db` skips the minute of migrations, and so
    # the live server's threads share one database. TEST_DB_TAG keeps parallel runs apart.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-{os.environ.get('TEST_DB_TAG', 'default')}.sqlite3")  # noqa: F405
    }
WHITENOISE_AUTOREFRESH = True
PAGE_CACHE_SINGLE_PROCESS = True  # one test process; the page cache's own tests say otherwise
