"""Production. Every security-critical value comes from the environment, with no default:
a missing one stops the process at start-up with a message naming it."""

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from cocity import observability
from helpers import env

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.required("SECRET_KEY", "a long random string")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS") or env.required(
    "ALLOWED_HOSTS", "comma-separated host names"
)
DATABASES = {
    "default": dj_database_url.parse(
        env.required("DATABASE_URL", "postgres://user:password@host:5432/name"),
        conn_max_age=int(env.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The shared cache (rate-limit counts, Wagtail's site root paths, the page cache of
# cocity/page_cache.py, whose purges every node sees at once here). It degrades
# instead of failing (cocity/cache.py): with Redis down, pages, the API and the sign-in forms
# keep working, uncached, and rate limits let requests through until it is back.
CACHES = {
    "default": {
        "BACKEND": "cocity.cache.DegradingRedisCache",
        "LOCATION": env.required("REDIS_URL", "redis://host:6379/0, the shared cache"),
        # one Redis database may hold several sites' caches (a trial, tests): their own prefix
        "KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "cocity"),
        "OPTIONS": {
            # a Redis that does not answer costs half a second, then is left alone 10 s
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            "RETRY_SECONDS": 10,
        },
    }
}
# Sessions in the database, so that signed-in staff and leaders stay signed in when Redis is
# down. Not cached_db: a session deleted at sign-out while Redis was unreachable would still
# be in the cache when it came back, and the sign-out would be undone. Expired sessions are
# removed by `manage.py clearsessions` (docs/deployment.md).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Real payments only: the demo checkout is refused here.
STRIPE_SECRET_KEY = env.required("STRIPE_SECRET_KEY", "sk_live_… from the Stripe dashboard")
STRIPE_WEBHOOK_SECRET = env.required("STRIPE_WEBHOOK_SECRET", "whsec_… of the webhook endpoint")
PAYMENT_BACKEND = "stripe"
if env.get("PAYMENT_BACKEND", "stripe") != "stripe":
    raise ImproperlyConfigured("PAYMENT_BACKEND must be 'stripe' in production.")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env.get("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", True)

# HTTPS everywhere: the load balancer terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind that load balancer every request comes from its address: rate limits per visitor
# read the address it saw (the last one of X-Forwarded-For) instead.
RATE_LIMIT_PROXY_HOPS = int(env.get("RATE_LIMIT_PROXY_HOPS", "1"))
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]

LOGGING["root"]["level"] = env.get("LOG_LEVEL", "INFO")  # noqa: F405

# A load balancer's health probe may come over plain HTTP (docs/deployment.md)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Error reporting when SENTRY_DSN is set (without personal data); kept out of base.py so that
# a developer's .env DSN never receives the tests' errors.
observability.init_sentry()
