"""Settings for the store, read from the environment (see .env.example).

One module for every environment: development, tests and production differ only by
environment variables, so what runs in CI is what runs in production.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from oscar.defaults import *  # noqa: F403 - Oscar's documented way to load its defaults

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # One line, no traceback: this is a configuration mistake, not a bug.
        raise SystemExit(
            "SECRET_KEY is not set: set SECRET_KEY in the environment (or DEBUG=1 for local use)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
# Forms on cached pages that work without JavaScript: the browser's Origin header stands in
# for the token the page cache strips (config/csrf.py).
CSRF_SAME_ORIGIN_VIEWS = [
    "basket:add",
    "marketing:newsletter-subscribe",
    "blog:post-comment",
    "blog:request-download",
    # The header's Sign out sits on cached pages too; a forged sign-out from another site is
    # still refused (no same-origin proof), and one from this site can only sign you out.
    "sign-out",
]
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Applications -------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Oscar; storefront forks live under shop/ and replace only the apps they name.
    "shop.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "shop.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    # Thin dashboard forks under support/, which owns the order dashboard's domain (order
    # search, refunds, returns, dispatch): a permission-based index, order search and order
    # page. Oscar finds the orders fork's views through the dashboard fork's package, so the
    # two stay together.
    "support.dashboard.apps.DashboardConfig",
    "support.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "support.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # This project
    "shop",
    "blog",
    "sitewide",
    "search",
    "clinics",
    "pagecache",
    "frontcache",
    "demo",
    "support",
    "staff",
    # Staff sign-in security: failed-login limits and TOTP two-factor (staff/).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "marketing",
]

# Development-only tools (devtools/: the localstripe wrapper's webhook command). Set by
# `make run` (bin/run-local) and the test settings; production leaves it off, so it never
# imports that package.
DEV_TOOLS = env.bool("DEV_TOOLS", default=False)
if DEV_TOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves whole cached pages to anonymous visitors before sessions are touched.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Adding to the cart and the newsletter sign-up without JavaScript (config/csrf.py).
    "config.csrf.SameOriginFormsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff who must use two-factor sign-in reach staff areas only once verified.
    "staff.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    # Visitors with a basket or an account: the cached page with their own header regions.
    "pagecache.middleware.VisitorPageCacheMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, the live test server and management
    # commands share the file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://store")}
if CACHES["default"]["BACKEND"].startswith("django_redis"):
    # A cache outage degrades to slower pages, not to errors.
    CACHES["default"].setdefault("OPTIONS", {})["IGNORE_EXCEPTIONS"] = True
# Sessions: in the cache with a database copy, so they survive a cache flush and are
# shared by every instance that shares the database or Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Site search (search/) ----------------------------------------------------------------
# Suggestions as you type: (requests, seconds) per client address, and how long browsers
# and the page cache may keep an answer (seconds).
SEARCH_SUGGEST_RATE_LIMIT = (
    env.int("SEARCH_SUGGEST_RATE_LIMIT", default=120),
    env.int("SEARCH_SUGGEST_RATE_WINDOW", default=60),
)
SEARCH_SUGGEST_MAX_AGE = env.int("SEARCH_SUGGEST_MAX_AGE", default=60)

# --- Page cache (pagecache/) --------------------------------------------------------------
# Whole-page cache. Seconds; 0 switches it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# With DEBUG off the site refuses to start on a per-process cache (local memory) unless
# this says the site runs as one process (one worker, no management commands alongside).
PAGE_CACHE_SINGLE_PROCESS = env.bool("PAGE_CACHE_SINGLE_PROCESS", default=False)
# Availability is shown in bands: "In stock", "only N left" at or below this, "Unavailable".
SHOP_LOW_STOCK_THRESHOLD = env.int("SHOP_LOW_STOCK_THRESHOLD", default=5)

# --- Auth ---------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = (
    # First: refuses sign-ins from locked-out username/IP pairs on every login form.
    "staff.auth_backends.AxesBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/shop/accounts/login/"
LOGIN_REDIRECT_URL = "/shop/accounts/"

# django-axes: after AXES_FAILURE_LIMIT failed sign-ins for one username from one IP address,
# that pair is locked out for AXES_COOLOFF_HOURS (a 429 page), on every login form.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "support/locked_out.html"
# Two-factor (TOTP) sign-in (staff/) for Support members and superusers before any staff area: on
# unless DEBUG is, so production requires it unless told otherwise, while local runs and
# demos sign in with a password only. Staff without a device are taken to set one up.
SUPPORT_REQUIRE_2FA = env.bool("SUPPORT_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "ReliefWorks"

# --- Internationalisation -----------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True
SITE_ID = 1
# One date format wherever a shopper reads a date: "Dec 6, 2026" (and "Dec 6, 2026, 3:05 PM").
# Django's en-us locale format ("Dec. 6, 2026") wins over DATE_FORMAT, so the project's
# format module (config/formats/en/formats.py) sets it; templates use |date without a format.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media ---------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, content-hashed names so browsers may cache static files for a year.
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    # Media on object storage when a bucket is configured (django-storages).
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST", default="")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ReliefWorks <orders@reliefworks.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFY_EMAIL = env("STAFF_NOTIFY_EMAIL", default="support@reliefworks.example")

# --- Security (production values unless DEBUG) --------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
# includeSubDomains and preload: see "Hardening" below.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN.
OSCAR_BASKET_COOKIE_SECURE = SESSION_COOKIE_SECURE
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "shop": {"level": "INFO"},
        "blog": {"level": "INFO"},
        "clinics": {"level": "INFO"},
        "support": {"level": "INFO"},
    },
}

# --- Oscar --------------------------------------------------------------------------------

OSCAR_SHOP_NAME = "ReliefWorks"
OSCAR_SHOP_TAGLINE = "Drug-free pain relief at home"
OSCAR_HOMEPAGE = "/"
OSCAR_DEFAULT_CURRENCY = "USD"
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_MODERATE_REVIEWS = True
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Recently-viewed lists are per visitor and would make product pages uncacheable.
OSCAR_RECENTLY_VIEWED_PRODUCTS = 0
OSCAR_PRODUCTS_PER_PAGE = 12
OSCAR_EAGER_ALERTS = False
# Orders are placed only once Stripe says the payment succeeded (shop/payments/services.py).
OSCAR_INITIAL_ORDER_STATUS = "Paid"
OSCAR_INITIAL_LINE_STATUS = "Paid"
# Dispatched and Delivered follow the shipping events (support/fulfilment.py), so the
# dashboard offers them only through its dispatch and delivery forms.
OSCAR_ORDER_STATUS_PIPELINE = {
    "Paid": ("Partially dispatched", "Dispatched", "Delivered", "Cancelled"),
    "Partially dispatched": ("Dispatched", "Delivered"),
    "Dispatched": ("Delivered", "Returned to sender"),
    "Returned to sender": ("Partially dispatched", "Dispatched", "Delivered"),
    "Delivered": (),
    "Cancelled": (),
}
OSCAR_LINE_STATUS_PIPELINE = {
    "Paid": ("Dispatched", "Delivered", "Cancelled"),
    "Dispatched": ("Delivered", "Returned to sender"),
    "Returned to sender": ("Dispatched", "Delivered"),
    "Delivered": (),
    "Cancelled": (),
}
# Shipping (shop/shipping/methods.py): standard is free from this order value, in USD.
SHOP_FREE_SHIPPING_THRESHOLD = Decimal(env("SHOP_FREE_SHIPPING_THRESHOLD", default="75.00"))
SHOP_STANDARD_SHIPPING_CHARGE = Decimal(env("SHOP_STANDARD_SHIPPING_CHARGE", default="7.95"))
SHOP_EXPRESS_SHIPPING_CHARGE = Decimal(env("SHOP_EXPRESS_SHIPPING_CHARGE", default="19.95"))
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
THUMBNAIL_DEBUG = False
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"

# --- Wagtail ------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "ReliefWorks"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
TAGGIT_CASE_INSENSITIVE = True

# --- Stripe (one module talks to it: shop/payments/stripe_gateway.py) -----------------------

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Point both at localstripe in development and tests; empty means real Stripe.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")

# --- Payments: bounded Stripe calls and reconciliation (shop/payments/) --------------------

# Each Stripe request gives up after this many seconds (connect and each read); a request is
# retried at most STRIPE_MAX_NETWORK_RETRIES times (safe: every creating call carries an
# idempotency key). One call therefore ends within (retries + 1) x timeout + ~1 s of backoff,
# which bounds how long the one call made under stock-row locks can hold them.
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=10.0)
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=1)

# --- Marketing (marketing/): tracking scripts load only after consent -----------------------

# Tests point these at local stand-ins (static/marketing/test-*.js).
META_PIXEL_SCRIPT_URL = env(
    "META_PIXEL_SCRIPT_URL", default="https://connect.facebook.net/en_US/fbevents.js"
)
GA4_SCRIPT_URL = env("GA4_SCRIPT_URL", default="https://www.googletagmanager.com/gtag/js")

# --- Store facts shown in the header and used by the guarantee ----------------------------

MONEY_BACK_GUARANTEE_DAYS = env.int("MONEY_BACK_GUARANTEE_DAYS", default=90)

# --- Support (support/): returns and refunds in the dashboard ------------------------------

# Where customers send returned devices (in the return emails and pages).
SUPPORT_RETURN_ADDRESS = env(
    "SUPPORT_RETURN_ADDRESS",
    default="ReliefWorks Returns, 100 Commerce Way, Springfield, IL 62701, USA",
)
# Menu entries for the support screens; the access function also knows their permissions.
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "support.dashboard.nav.default_access_fn"
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,
    {
        "label": "Support",
        "icon": "fas fa-life-ring",
        "children": [
            {"label": "Returns", "url_name": "support:return-list"},
            {"label": "Find an order", "url_name": "dashboard:order-list"},
            {"label": "Upload dispatches (CSV)", "url_name": "support:shipments-upload"},
            {"label": "Two-factor sign-in", "url_name": "staff:otp-setup"},
        ],
    },
]

HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- Clinic locator (clinics/) ----------------------------------------------------------

CLINICS_GEOCODER = env("CLINICS_GEOCODER", default="offline")  # or "nominatim"
CLINICS_NOMINATIM_USER_AGENT = env("CLINICS_NOMINATIM_USER_AGENT", default="reliefworks-clinics")
CLINICS_TILE_URL = env("CLINICS_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
CLINICS_DISTANCE_UNIT = env("CLINICS_DISTANCE_UNIT", default="auto")  # "auto", "mi" or "km"

# --- Hardening (issue 16): proxies, canonical host, HSTS, CSP, ids, media ------------------

# How many reverse proxies (load balancer, CDN) in front of the app append to
# X-Forwarded-For. 0: the header is ignored and REMOTE_ADDR is the client. One function,
# config.security.client_ip, reads it for django-axes and for every rate limit.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "config.security.axes_client_ip"
# Oscar signs customers in by email in any case: count failures per lower-cased name.
AXES_USERNAME_CALLABLE = "config.security.axes_username"

# HSTS for subdomains and the browsers' preload list are deliberate, hard-to-undo choices
# for the whole domain: includeSubDomains follows DEBUG, preload is off unless asked for.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # check --deploy recommends preload; leaving it off is this setting's documented default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp; config/csp.py adds the origins of Stripe, tracking,
# map tiles and media from their settings). CSP_REPORT_ONLY=1 reports without blocking.
from config.csp import base_policy  # noqa: E402

INSTALLED_APPS += ["csp"]
_csp_policy = {
    "DIRECTIVES": base_policy(env("CSP_REPORT_URI", default="")),
    # Staff screens (Wagtail, Django admin, Oscar dashboard) use inline scripts of their own.
    "EXCLUDE_URL_PREFIXES": ["/cms/", "/django-admin/", "/dashboard/"],
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy
else:
    CONTENT_SECURITY_POLICY = _csp_policy
# Inside the page cache, so a cached page keeps its header (the origins the settings name).
MIDDLEWARE.insert(
    MIDDLEWARE.index("pagecache.middleware.VisitorPageCacheMiddleware") + 1,
    "config.csp.SiteCSPMiddleware",
)
# Ids too large for any database column (404) and NUL bytes in URLs (400), for every URL.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
    "config.security.RequestGuardMiddleware",
)
# The thank-you page's Purchase event: claimed while the request is handled, not in the template.
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
    "marketing.middleware.PurchaseReportMiddleware",
)

# Media from local disk (no object storage): served by config.media.serve_media, which
# answers only image files with sane names, or not at all when the front server does it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not env("AWS_STORAGE_BUCKET_NAME", default=""))
# Nobody reads another person's TOTP secret in the Django admin (its config and QR pages
# also answered 500 for a missing device); staff set up their own at /dashboard/2fa/setup/.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# --- Email outbox (outbox/, django-post-office) -------------------------------------------
# Every email is stored in the database in the transaction that caused it and delivered by
# `manage.py send_outbox --loop` through the backend chosen above (SMTP or the console).

INSTALLED_APPS += ["post_office", "outbox"]
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
POST_OFFICE = {
    "BACKENDS": {"default": EMAIL_BACKEND},
    "DEFAULT_PRIORITY": "medium",
    # 10 attempts with waits of 1, 2, 4, ... 60 minutes: about a day and a half of trying.
    "MAX_RETRIES": env.int("OUTBOX_MAX_RETRIES", default=10),
    "RETRY_INTERVAL": timedelta(seconds=OUTBOX_RETRY_SECONDS),
    "LOG_LEVEL": 2,
    "THREADS_PER_PROCESS": 2,
}
EMAIL_BACKEND = "outbox.backends.OutboxBackend"
# post_office logs every pass at INFO; failed deliveries (ERROR) are what matter.
LOGGING["loggers"]["post_office"] = {
    "handlers": ["console"],
    "level": "WARNING",
    "propagate": False,
}
# A hung SMTP server holds up the worker for this long, never a shopper's request.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Embedded database (SQLite, `make run`) ---------------------------------------------
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts: a deferred transaction that read first
    # fails at once with "database is locked" when it tries to write after another writer;
    # an immediate one waits (up to "timeout" seconds) for its turn.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# --- Faults of the cache (Redis) ----------------------------------------------------------
# A stopped or unreachable Redis degrades to uncached pages and database sessions, and no
# request waits more than a second on it.
REDIS_CACHE_OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
if CACHES["default"]["BACKEND"].startswith("django_redis"):
    CACHES["default"]["OPTIONS"].update(REDIS_CACHE_OPTIONS)
# --- Sales tax (shop/tax/) ----------------------------------------------------------------

INSTALLED_APPS += ["shop.tax.apps.TaxConfig"]
# Receipts in the US and Canadian way: prices before tax, then "Tax", then the total.
TEMPLATES[0]["OPTIONS"]["context_processors"].append("shop.tax.context_processors.tax")
# The class that computes tax (shop/tax/providers.py); the default reads the dashboard's
# rate table and works offline. A Stripe Tax or Avalara provider would be named here.
SHOP_TAX_PROVIDER = env("SHOP_TAX_PROVIDER", default="shop.tax.providers.TableTaxProvider")
OSCAR_DASHBOARD_NAVIGATION += [
    {"label": "Sales tax", "icon": "fas fa-percent", "url_name": "tax:rate-list"},
]
# --- Dispatch and delivery (support/fulfilment.py, support/carriers.py) ---------------------

# With no delivery date from the carrier, count an order as delivered this many days after
# it was dispatched (0: the guarantee counts from the dispatch day). Stated on /guarantee/.
SUPPORT_DELIVERED_AFTER_DAYS = env.int("SUPPORT_DELIVERED_AFTER_DAYS", default=0)
# Guest order-status look-ups (order number + email) allowed per address per 15 minutes.
SUPPORT_ORDER_STATUS_LOOKUPS = env.int("SUPPORT_ORDER_STATUS_LOOKUPS", default=10)
# --- HTTP front cache (frontcache/, deploy/varnish/): Varnish purged by tag -------------------

# Every Varnish in front of the site, e.g. "http://10.0.0.5:6081/,http://10.0.0.6:6081/"; each
# gets a PURGE with the tags of what changed, after commit. Empty (the default, `make run`):
# no front cache, nothing is sent.
HTTP_CACHE_PURGE_URLS = env.list("HTTP_CACHE_PURGE_URLS", default=[])
# Seconds a save may wait for one Varnish before giving up with a warning.
HTTP_CACHE_PURGE_TIMEOUT = env.float("HTTP_CACHE_PURGE_TIMEOUT", default=2.0)
LOGGING["loggers"]["frontcache"] = {"level": "INFO"}
