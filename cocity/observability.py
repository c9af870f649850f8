"""Optional error reporting (Sentry) and metrics (Prometheus), both off unless switched on by
the environment. The settings call:

    INSTALLED_APPS, MIDDLEWARE = observability.with_metrics(INSTALLED_APPS, MIDDLEWARE)
    observability.init_sentry()

and cocity/urls.py puts ``observability.metrics_urls()`` first in its urlpatterns.

- SENTRY_DSN set: sentry-sdk with its Django integration, no personal data sent
  (send_default_pii=False: no cookies, user, IP address or request body) and every string of an
  event (message, local variables, breadcrumbs, URL…) with email addresses and phone numbers
  replaced by [email] and [phone] before it leaves (scrub_event). SENTRY_ENVIRONMENT names
  the environment; SENTRY_TRACES_SAMPLE_RATE (default 0) sends that share of performance traces.
- METRICS=1: django-prometheus counts requests, responses, latencies, exceptions; GET /metrics
  answers in Prometheus' text format, only to a connection from loopback that came through no
  proxy (no X-Forwarded-For or Forwarded header: a proxy on the same machine would otherwise
  hand it to anyone), or to a request with ``Authorization: Bearer <METRICS_TOKEN>``. Anyone
  else gets a 404. With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (an empty
  folder) so that /metrics adds up every worker's counts (prometheus_client's multiprocess
  mode).
"""

import hmac
import ipaddress
import re

from django.http import Http404
from django.urls import path
from django.views.decorators.cache import never_cache

from helpers import env

METRICS_APP = "django_prometheus"
METRICS_BEFORE = "django_prometheus.middleware.PrometheusBeforeMiddleware"
METRICS_AFTER = "django_prometheus.middleware.PrometheusAfterMiddleware"

# Also as they appear percent-encoded in a query string (%40, %2B, %20 or + for a space).
EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
# 9 to 15 digits, alone or with one space, dot or dash between them, maybe after a +:
# +33 6 12 34 56 78, 06.12.34.56.78, 0612345678; never dates, times (2026-11-30 17:52) or
# parts of hex ids.
PHONE = re.compile(r"(?<![\w.+:%-])(?:\+|%2B)?\d(?:(?:[ .+-]|%20)?\d){8,14}(?![\w:])")


def metrics_enabled():
    return env.boolean("METRICS", False)


def with_metrics(installed_apps, middleware):
    """INSTALLED_APPS and MIDDLEWARE with django-prometheus when METRICS is on (first and last
    middleware, so that it times everything); unchanged otherwise, or when already there."""
    installed_apps, middleware = list(installed_apps), list(middleware)
    if not metrics_enabled():
        return installed_apps, middleware
    if METRICS_APP not in installed_apps:
        installed_apps.append(METRICS_APP)
    if METRICS_BEFORE not in middleware:
        middleware.insert(0, METRICS_BEFORE)
    if METRICS_AFTER not in middleware:
        middleware.append(METRICS_AFTER)
    return installed_apps, middleware


def _from_loopback_directly(request):
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _has_token(request):
    token = env.get("METRICS_TOKEN")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given, token)


@never_cache
def metrics_view(request):
    """Prometheus' text format, to loopback or the holder of METRICS_TOKEN; 404 to others."""
    if not (_from_loopback_directly(request) or _has_token(request)):
        raise Http404
    # django-prometheus only when METRICS=1
    from django_prometheus.exports import ExportToDjangoView  # noqa: PLC0415

    return ExportToDjangoView(request)


def metrics_urls():
    """[/metrics] when METRICS is on, else nothing."""
    if not metrics_enabled():
        return []
    return [path("metrics", metrics_view, name="prometheus-django-metrics")]


def scrub(value):
    """``value`` with every email address and phone number in its strings replaced."""
    if isinstance(value, str):
        return PHONE.sub("[phone]", EMAIL.sub("[email]", value))
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(item) for item in value)
    return value


def scrub_event(event, hint=None):
    """Sentry's before_send (and before_send_transaction): the event without emails or
    phones, tagged with the request id the visitor got in X-Request-ID and the logs show."""
    # the settings import this module: no app code at import
    from cocity.request_id import current_request_id  # noqa: PLC0415

    event = scrub(event)
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(dsn=None, **options):
    """Start sentry-sdk when SENTRY_DSN (or ``dsn``) is set; return whether it started."""
    dsn = dsn or env.get("SENTRY_DSN")
    if not dsn:
        return False
    # sentry-sdk only when SENTRY_DSN is set
    import sentry_sdk  # noqa: PLC0415
    from sentry_sdk.integrations.django import DjangoIntegration  # noqa: PLC0415

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        environment=env.get("SENTRY_ENVIRONMENT") or None,
        traces_sample_rate=float(env.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        **options,
    )
    return True
