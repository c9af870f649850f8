"""The test suite: fast hashing, in-memory mail and cache, media in a throw-away folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="cocity-test-media-")
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"

# Serve static files straight from the apps and static/, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The page cache (cocity/page_cache.py) is off for the suite, whose tests change data behind
# the signals (queryset updates, frozen clocks) and read pages again; tests/home/
# test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
# ... and so is the frame cache (helpers/frame.py); tests/home/test_query_budget.py turns it on.
FRAME_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0
