"""Settings of the gunicorn that tests/home/test_observability.py starts: the test settings
with the lines the site's settings take for observability (request ids, LOGGING, metrics,
Sentry), each added only if cocity/settings does not have it already."""

from cocity import observability
from cocity.logging_config import logging_config
from cocity.settings.test import *  # noqa: F403

if "cocity.request_id.RequestIdMiddleware" not in MIDDLEWARE:  # noqa: F405
    MIDDLEWARE = ["cocity.request_id.RequestIdMiddleware", *MIDDLEWARE]  # noqa: F405
if "/metrics" not in UNPREFIXED_PATHS:  # noqa: F405
    UNPREFIXED_PATHS = (*UNPREFIXED_PATHS, "/metrics")  # noqa: F405
LOGGING = logging_config()
INSTALLED_APPS, MIDDLEWARE = observability.with_metrics(INSTALLED_APPS, MIDDLEWARE)  # noqa: F405
observability.init_sentry()
ROOT_URLCONF = "tests.home.observability_urls"
# Its database is empty (no migrations): no redirect lookups on a 404.
MIDDLEWARE.remove("wagtail.contrib.redirects.middleware.RedirectMiddleware")
