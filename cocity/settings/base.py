"""Settings shared by every environment. Environment variables are read through helpers.env."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

from cocity import observability
from cocity.logging_config import logging_config
from helpers import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
DEBUG = env.boolean("DEBUG", False)
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Project apps first so their templates override third-party ones.
    "cocity",  # the top layer: connects the page cache's purges (cocity/page_cache.py)
    "home",
    "campaigns",
    "donations",
    "stories",
    "workshops",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",  # never also wagtail.locales: same app label
    "wagtail.api.v2",
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
    "rest_framework",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: outside the page cache, so that every answer and log line gets its request id
    "cocity.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cocity.headers.ContentSecurityPolicyMiddleware",
    "cocity.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cocity.middleware.MalformedRequestMiddleware",
    # Anonymous pages from the cache, compressed (before sessions: a hit touches neither)
    "cocity.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cocity.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cocity.middleware.RememberLanguageMiddleware",
    # Last: finds the site and page of Wagtail's serve view from the frame cache
    "home.routing.RouteMiddleware",
]

ROOT_URLCONF = "cocity.urls"
WSGI_APPLICATION = "cocity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cocity" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite is the zero-setup default; DATABASE_URL (e.g. postgres://…) switches database.
DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Transactions take the write lock when they start, so two that read then write (a
    # registration reads the seats, then takes one) queue instead of failing with "database
    # is locked"; the timeout is how long one waits for the other (seconds).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages (DESIGN.md §4). French is the default and the source of every translation.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("pt", _("Portuguese")),
    ("zh-hans", _("Simplified Chinese")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locales"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"
LANGUAGE_COOKIE_NAME = "cocity_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    # Uploaded media; names under private/ (photos of stories not yet published) are served by
    # a view that checks who asks (home/images.py), never straight from MEDIA_URL.
    "default": {"BACKEND": "home.images.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible storage (two or more app nodes; cocity/storage.py, docs/deployment.md
# "Scaling out"): on when AWS_STORAGE_BUCKET_NAME is set. Public media are linked as
# MEDIA_URL + name: the bucket's public address, or AWS_S3_CUSTOM_DOMAIN (a CDN, a host and
# optional path); the private ones keep their view. Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (or the machine's role); AWS_S3_ENDPOINT_URL for another provider
# (MinIO, Scaleway, OVH, moto in the tests), with path-style addresses.
AWS_STORAGE_BUCKET_NAME = env.get("AWS_STORAGE_BUCKET_NAME")
MEDIA_IMAGE_SOURCES = []  # Content-Security-Policy: where the pages' images come from
if AWS_STORAGE_BUCKET_NAME:
    from urllib.parse import urlsplit

    _endpoint = env.get("AWS_S3_ENDPOINT_URL")
    _region = env.get("AWS_S3_REGION_NAME")
    _scheme = urlsplit(_endpoint).scheme if _endpoint else "https"
    _media_host = env.get("AWS_S3_CUSTOM_DOMAIN").strip("/") or (
        f"{urlsplit(_endpoint).netloc}/{AWS_STORAGE_BUCKET_NAME}"
        if _endpoint
        else f"{AWS_STORAGE_BUCKET_NAME}.s3.{_region or 'us-east-1'}.amazonaws.com"
    )
    MEDIA_URL = f"{_scheme}://{_media_host}/"
    MEDIA_IMAGE_SOURCES = [f"{_scheme}://{_media_host.split('/')[0]}"]
    STORAGES["default"] = {
        "BACKEND": "cocity.storage.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": _endpoint or None,
            "region_name": _region or None,
            "access_key": env.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env.get("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": "path" if _endpoint else None,
            # plain, lasting URLs (cacheable pages): the bucket's policy makes all but
            # private/ readable; an upload never replaces another file of the same name
            "custom_domain": _media_host,
            "url_protocol": f"{_scheme}:",
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    # Documents through Wagtail's view, which checks their collection's privacy, not a redirect
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# The demo's cache (production: Redis). Room for the page cache's entries and their tags'
# versions (cocity/page_cache.py): the default 300 keys would drop a third of them at a time.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

# Background work (emails, renditions, wagtail-localize tree sync) goes through django-tasks.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "Co-city <bonjour@cocity.example>")
# Email tasks that cannot reach the mail server retry later (helpers/email_retry.py): the
# delays between attempts, in seconds; after the last one the task fails (logged).
EMAIL_RETRY_DELAYS = env.listing("EMAIL_RETRY_DELAYS") or ["60", "300", "1800", "7200", "21600"]

# Donations (DESIGN.md §5). Without a Stripe key the demo checkout is used.
STRIPE_SECRET_KEY = env.get("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env.get("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env.get("STRIPE_API_BASE")  # tests point this at tests/fakes/stripe_server
STRIPE_TIMEOUT = float(env.get("STRIPE_TIMEOUT", "10"))
PAYMENT_BACKEND = env.get("PAYMENT_BACKEND", "stripe" if STRIPE_SECRET_KEY else "demo")
DONATION_MAX_CENTS = int(env.get("DONATION_MAX_CENTS", "500000"))
DONATION_PENDING_MINUTES = int(env.get("DONATION_PENDING_MINUTES", "30"))
# reconcile_donations asks Stripe again about the online gifts paid in the last
# DONATION_RECHECK_DAYS, so a refund or a lost dispute whose webhook never came is applied
# (cardholders can dispute a payment for about 120 days).
DONATION_RECHECK_DAYS = 120

# Project leaders' space (stories): its own login, never the Wagtail admin's.
LEADER_LOGIN_URL = "stories:login"
LOGIN_REDIRECT_URL = "stories:space"
STORY_MAX_PHOTOS = 6
STORY_PHOTO_MAX_BYTES = 10 * 1024 * 1024
# At most 20 form submissions per 60 s per leader ("limit/seconds" in the environment).
LEADER_RATE_LIMIT = env.rate("LEADER_RATE_LIMIT", (20, 60))
# Public story proposals per 60 s per visitor (IP address; stories/proposal_views.py).
REGISTRATION_RATE_LIMIT = (10, 60)
# Workshop registrations (workshops/limits.py). A community centre registers many residents
# from one connection, so only ACCEPTED registrations count (a form with errors never does):
# per email address or phone number for one workshop; per email address or phone number
# across workshops, (registrations, seconds); per IP address, a generous safety net. Every
# submission counts towards REGISTRATION_POSTS_PER_IP (floods only). Staff registering
# people by phone in the admin are never limited.
REGISTRATION_LIMIT_PER_CONTACT_PER_WORKSHOP = 10
REGISTRATION_LIMIT_PER_CONTACT = (20, 60 * 60)
REGISTRATION_LIMIT_PER_IP = (60, 10 * 60)
REGISTRATION_POSTS_PER_IP = (300, 10 * 60)
# Workshop registrations' names, emails, phones and needs are erased this many months after
# the workshop ended (`manage.py purge_registrations`, daily; the seats counted stay).
WORKSHOP_PERSONAL_DATA_MONTHS = 6
# Offers of help on a campaign (campaigns/help_views.py): every submission from one IP address
# counts (floods only: a community centre offers for many residents). Helpers' names, emails,
# phones, availability and notes are erased by the same retention rule as registrations:
# WORKSHOP_PERSONAL_DATA_MONTHS after the later of the campaign's close and the task's date.
HELP_OFFER_POSTS_PER_IP = (300, 10 * 60)
# Confirmed registrants are emailed a reminder this many hours before the workshop starts
# (`manage.py send_workshop_reminders`, every 10 minutes; workshops/reminders.py).
WORKSHOP_REMINDER_HOURS = int(env.get("WORKSHOP_REMINDER_HOURS", "24"))
# Donation form submissions per 60 s per IP address: each one creates a Stripe Checkout
# Session, so this caps card testing and our Stripe API quota (a donor needs one or two).
DONATION_RATE_LIMIT = (10, 60)
# The thank-you page asks Stripe about a pending gift at most once per gift every
# DONATION_SETTLE_SECONDS, and at most DONATION_SETTLE_RATE_LIMIT times per IP address;
# otherwise it shows "being confirmed" (the webhook or reconcile_donations settles it).
DONATION_SETTLE_SECONDS = 10
DONATION_SETTLE_RATE_LIMIT = (20, 60)
# Sign-in forms (Wagtail admin and leaders' space share the counts): failed attempts per IP
# address whatever the usernames, and per username whatever the addresses; (attempts, seconds).
# A successful sign-in is not counted. Keep the per-username limit above the per-address one,
# so that one address alone cannot lock an account out (helpers/ratelimit.py, limit_logins).
LOGIN_RATE_LIMIT_PER_IP = (10, 300)
LOGIN_RATE_LIMIT_PER_USERNAME = (30, 900)
# How many proxies of our own stand in front of the app (load balancer: 1; CDN then load
# balancer: 2), and their networks (docs/deployment.md). Rate limits per IP address read
# X-Forwarded-For only when the connection comes from one of these networks, and then only
# the addresses our proxies wrote; 0 hops uses REMOTE_ADDR. Default networks: loopback and
# private ones, where a load balancer in front of the app lives.
RATE_LIMIT_PROXY_HOPS = int(env.get("RATE_LIMIT_PROXY_HOPS", "0"))
RATE_LIMIT_TRUSTED_PROXIES = env.listing(
    "RATE_LIMIT_TRUSTED_PROXIES",
    ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)

# Wagtail
WAGTAIL_SITE_NAME = "Co-city"
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Pixel cap of every upload (Wagtail's admin forms and the leaders' form): one rendition of a
# photo at the cap takes about 1.5 s and 250 MB (bench/image_rendition.py, bench/README.md).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 32_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The view that serves private media (home/images.py) to the people allowed to see it.
PRIVATE_MEDIA_URL_NAME = "stories:private_photo"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False  # translations are reviewed before going live

# Headless (docs/api.md): the read-only JSON API and the open data may be read from these
# partner origins by browsers (CORS); every other site can still use them server-side.
# Routes outside the language prefix whose 404s must not redirect to /fr/… (cocity/middleware.py)
UNPREFIXED_PATHS = ("/api/", "/open-data/", "/embed/", "/webhooks/", "/documents/", "/metrics")
CORS_ALLOWED_ORIGINS = env.listing("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/(api/v2|open-data)/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
WAGTAILAPI_RICH_TEXT_FORMAT = "html"  # rich text with real links, as the pages show it
WAGTAILAPI_LIMIT_MAX = 50  # items a listing returns at most (?limit=)
API_CACHE_SECONDS = 300  # Cache-Control max-age of API and open-data responses

# The page cache for anonymous visitors (cocity/page_cache.py, docs/deployment.md "Caching"):
# how long an entry lives at most (0: no page cache; pages are purged on every change anyway,
# this bounds what only time changes, e.g. a registration deadline passing), the cache it
# lives in, the largest body kept, and the paths never cached (secret links, forms, accounts;
# regular expressions on the path).
PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", "300"))
# The frame's parts that are the same for every visitor (helpers/frame.py), dropped on every change
FRAME_CACHE_SECONDS = int(env.get("FRAME_CACHE_SECONDS", str(PAGE_CACHE_SECONDS)))
# Parts of pages kept under the page cache's tags for the renders it does not serve (signed-in
# readers, the first reader after a purge: home/templatetags/fragment_tags.py); 0 turns them off
FRAGMENT_CACHE_SECONDS = int(env.get("FRAGMENT_CACHE_SECONDS", str(PAGE_CACHE_SECONDS)))
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_MAX_BYTES = 2 * 1024 * 1024
PAGE_CACHE_EXCLUDED = [
    r"^/admin/",
    r"^/healthz",
    r"^/metrics",
    r"^/webhooks/",
    r"^/documents/",
    r"^/[^/]+/donate/",
    r"^/[^/]+/news/stop/",
    r"^/[^/]+/space/",
    r"^/[^/]+/workshops/(registration|cancel|[0-9]+/register)/",
]
# A CDN in front of the site, purged by Wagtail's front-end cache on publish and unpublish
# and on every gift (docs/deployment.md, "Caching"): a purge URL (Varnish, nginx…) or
# Cloudflare or CloudFront, each from the environment; none set, no CDN.
WAGTAILFRONTENDCACHE = {}
if env.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env.get("FRONTEND_CACHE_PURGE_URL"),
    }
if env.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env.get("CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env.get("CLOUDFLARE_BEARER_TOKEN"),
    }
if env.get("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {  # needs boto3 and AWS credentials in the environment
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env.get("CLOUDFRONT_DISTRIBUTION_ID"),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# Content-Security-Policy of every HTML page (django-csp, cocity/headers.py): no inline script
# or style anywhere (the site runs no JavaScript of its own; every style is in site.css), no
# third-party resource except the video players' frames and Stripe's hosted checkout, where the
# donation form's POST is redirected (Chrome checks form-action on that redirect too).
# The Wagtail admin is left out: its pages and its previews rely on inline scripts and
# styles, and it is only for signed-in staff; a relaxed copy of this policy there would
# add little and break on each Wagtail upgrade. The embeddable card (/embed/) sends this
# policy with frame-ancestors * instead of 'none' (campaigns/embed.py). The JSON API's HTML
# view for browsers (Django REST framework's browsable API) keeps the policy: it only loses
# two inline float styles of its own.
CSP_VIDEO_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    *env.listing("CSP_EXTRA_FRAME_SOURCES"),  # e.g. a PeerTube instance: https://video.example
]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            *MEDIA_IMAGE_SOURCES,
            *env.listing("CSP_EXTRA_IMAGE_SOURCES"),
        ],  # media on another host
        "frame-src": ["'self'", *CSP_VIDEO_FRAME_SOURCES],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy of every HTML page: features no page (nor any frame in it) may use.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# One handler on stderr, each record with its request id; LOG_LEVEL, LOG_FORMAT=text|json
LOGGING = logging_config()

# django-prometheus when METRICS=1 (cocity/observability.py): first and last middleware
INSTALLED_APPS, MIDDLEWARE = observability.with_metrics(INSTALLED_APPS, MIDDLEWARE)

# Backups (cocity/backups.py, docs/deployment.md "Backups and the restore drill"): where
# `manage.py backup` writes and how many days it keeps them; empty: the scheduler makes none.
BACKUP_DIR = env.get("BACKUP_DIR", "")
BACKUP_KEEP_DAYS = int(env.get("BACKUP_KEEP_DAYS", "30"))
