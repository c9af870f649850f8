"""The page cache for anonymous visitors, and compressed HTML (docs/deployment.md, "Caching").

Whole GET responses of pages, listings, the JSON API, open data and the embeddable card are
kept in the shared cache (Redis in production, the local-memory cache in the demo) and served
again to anonymous visitors without touching the database. What is never cached:

- any request that carries a session cookie (a signed-in editor or project leader, a visitor
  who unlocked a password-protected page), a messages cookie or an Authorization header: those
  requests are neither served from the cache nor stored in it;
- a response that sets a cookie, says ``Cache-Control`` private, no-store or no-cache, used a
  CSRF token, shows a message, is streamed, varies on everything (``Vary: *``) or whose status
  is not 200, 301, 302 or 404; a page in a private section (home/visibility.py); the paths of
  PAGE_CACHE_EXCLUDED (secret links to a gift, a registration, the leaders' space…).

Nearly every page says ``Vary: Cookie``: its template asks for messages, which looks into the
session, so Django marks it (the API does the same for its authentication). For the requests
served here that cannot matter: they carry no session or messages cookie, a response that
used the CSRF cookie is never stored, and the language cookie is part of the key. The header
is kept on what is served, for the caches downstream (docs/deployment.md: a CDN must pass
requests with a session cookie through).

Entries are keyed on the scheme, host, language, path and query string; an entry is served
only to a request with the same values of the other headers its response varies on (Accept
and Origin on the API). Each entry holds the
*generation* of the cache when its request started; ``purge()`` starts a new generation, so
every older entry is a miss from then on (and is overwritten or expires). The generation
changes when anything a public page shows may have changed: a page published, unpublished,
moved or deleted, a view restriction, a snippet, a setting, a workshop seat, and every change
of a campaign's ledger (its tally is saved in the same transaction as the gift, see
donations/ledger.py): a paid gift shows at once. Purges run when the change is saved and
again when its transaction commits, so that no request that read the data before the commit
can store it under the new generation.

Compression (BREACH): a response is gzipped only for anonymous GET and HEAD requests and only
when no CSRF token was used to render it (Django flags that in ``CSRF_COOKIE_NEEDS_UPDATE``);
so no secret ever sits next to reflected text in a compressed body. Cached entries are stored
compressed once and sent as they are to clients that accept gzip.

A CDN in front of the site is purged through Wagtail's front-end cache
(``WAGTAILFRONTENDCACHE``, set from the environment in cocity/settings/base.py): pages on
publish and unpublish by Wagtail itself, and a campaign's pages in every language, its
card and the home pages on every change of its ledger (``purge_campaign_from_cdn``).
"""

import gzip
import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

from wagtail.models import Page

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
CACHEABLE_STATUSES = {200, 301, 302, 404}
# Headers of the stored response that are not kept (set again on the way out, or per request)
DROPPED_HEADERS = {"content-length", "content-encoding", "set-cookie", "date"}
COMPRESSIBLE_TYPES = re.compile(
    r"^(text/|application/(json|xml|javascript|rss\+xml|atom\+xml|vnd\.[^;]*\+json)|image/svg)"
)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers in Vary that the key (language) or the rules (no session, no CSRF token used) cover
KEYED_HEADERS = {"cookie", "accept-encoding", "accept-language"}
MIN_COMPRESSED_LENGTH = 200  # shorter bodies grow when compressed


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _enabled():
    return settings.PAGE_CACHE_SECONDS > 0


# --- generations and purges -------------------------------------------------------------


def current_generation():
    """The generation entries must carry to be served (one cache read)."""
    return _cache().get(GENERATION_KEY) or _new_generation(only_if_missing=True)


def _new_generation(only_if_missing=False):
    generation = uuid.uuid4().hex
    cache = _cache()
    if only_if_missing:
        # The key was evicted or never set: the first process to set it wins.
        if not cache.add(GENERATION_KEY, generation, None):
            return cache.get(GENERATION_KEY) or generation
        return generation
    cache.set(GENERATION_KEY, generation, None)
    return generation


def purge():
    """Start a new generation: every cached page is stale from now on."""
    _new_generation()


def purge_on_commit():
    """Purge now (this process sees its own change at once, even inside the transaction) and
    again when the current transaction commits (a request that read the old data meanwhile
    stored it under the generation of now, which the second purge retires)."""
    purge()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is purge for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(purge)


# --- requests and responses -------------------------------------------------------------


def is_anonymous_request(request):
    """True for a GET or HEAD without a session, a message or credentials: only these may be
    served from the cache, stored in it, or compressed."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _is_excluded(request):
    return any(re.search(pattern, request.path_info) for pattern in settings.PAGE_CACHE_EXCLUDED)


def entry_key(request):
    """The cache key of the request: scheme, host, language, path and query string."""
    parts = "\n".join(
        (
            request.scheme,
            request._get_raw_host(),
            get_language_from_request(request, check_path=True),
            request.get_full_path(),
        )
    )
    return "page-cache:" + hashlib.sha256(parts.encode()).hexdigest()


def _shows_messages(request):
    storage = getattr(request, "_messages", None)
    return storage is not None and bool(
        storage._queued_messages or getattr(storage, "_loaded_data", None)
    )


def _cache_control(response):
    return {
        part.strip().split("=")[0].lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def _varies_on_everything(response):
    return "*" in {value.strip() for value in response.get("Vary", "").split(",")}


def used_csrf_token(request):
    """True if rendering the response asked for a CSRF token (it is in the body)."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def is_shareable(request, response):
    """True if ``response`` to an anonymous request holds nothing of this visitor: it may be
    compressed (no CSRF token in it) and, with a cacheable status, stored."""
    return not (
        response.streaming
        or response.cookies
        or used_csrf_token(request)
        or _varies_on_everything(response)
        or _cache_control(response) & {"private", "no-store", "no-cache"}
        or _shows_messages(request)
        or response.has_header("Content-Encoding")
    )


def _variant(request, response):
    """The request's values of the headers the response varies on (``Vary``), but those the
    key or the checks above already cover: the API answers HTML to ``Accept: text/html``,
    and CORS headers differ with ``Origin``."""
    names = {value.strip().lower() for value in response.get("Vary", "").split(",")}
    names -= KEYED_HEADERS | {""}
    return tuple(sorted((name, _header(request, name)) for name in names))


def _same_variant(request, variant):
    return all(_header(request, name) == value for name, value in variant)


def _header(request, name):
    return request.META.get("HTTP_" + name.upper().replace("-", "_"))


def _shows_private_page(response):
    """True if the response renders a page the public may not see (never with the checks
    above, which keep out whoever may see one: defence in depth)."""
    from home.visibility import is_public

    page = (getattr(response, "context_data", None) or {}).get("page")
    return isinstance(page, Page) and not is_public(page)


def is_storable(request, response):
    return (
        request.method == "GET"
        and response.status_code in CACHEABLE_STATUSES
        and is_shareable(request, response)
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        and not _shows_private_page(response)
    )


def _compressible(response):
    return (
        COMPRESSIBLE_TYPES.match(response.get("Content-Type", ""))
        and len(response.content) >= MIN_COMPRESSED_LENGTH
    )


def _accepts_gzip(request):
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _send_compressed(response, body):
    response.content = body
    response["Content-Length"] = str(len(body))
    response["Content-Encoding"] = "gzip"
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response["ETag"] = "W/" + etag  # the bytes differ from the uncompressed ones
    return response


def compress(request, response):
    """Gzip ``response`` when the client accepts it and it is safe (see the module's
    docstring); either way it varies on Accept-Encoding when it could be compressed."""
    if response.streaming or response.has_header("Content-Encoding") or not _compressible(response):
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if _accepts_gzip(request) and is_anonymous_request(request) and is_shareable(request, response):
        _send_compressed(response, gzip.compress(response.content, compresslevel=6, mtime=0))
    return response


class PageCacheMiddleware:
    """Serve and store anonymous responses (see the module's docstring); compress what may
    be compressed. Sits after WhiteNoise (static files never reach it) and before the
    session middleware (a hit touches neither the session nor the database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_request(request) or not _enabled() or _is_excluded(request):
            return compress(request, self.get_response(request))
        key = entry_key(request)
        try:
            found = _cache().get_many([GENERATION_KEY, key])
        except Exception:  # a cache that fails: serve uncached
            logger.exception("Page cache unavailable")
            return compress(request, self.get_response(request))
        generation = found.get(GENERATION_KEY) or _new_generation(only_if_missing=True)
        entry = found.get(key)
        if entry is not None and entry[0] == generation and _same_variant(request, entry[5]):
            return self._from_entry(request, entry)
        response = self.get_response(request)
        if is_storable(request, response):
            return self._store(request, response, key, generation)
        response["X-Page-Cache"] = "skip"
        return compress(request, response)

    def _store(self, request, response, key, generation):
        compressed = bool(_compressible(response))
        if compressed:
            patch_vary_headers(response, ("Accept-Encoding",))
            body = gzip.compress(response.content, compresslevel=6, mtime=0)
        else:
            body = response.content
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS
        ]
        entry = (
            generation,
            response.status_code,
            headers,
            body,
            compressed,
            _variant(request, response),
        )
        _cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
        if compressed and _accepts_gzip(request):
            _send_compressed(response, body)
        return response

    @staticmethod
    def _from_entry(request, entry):
        _generation, status, headers, body, compressed, _variant = entry
        if compressed and not _accepts_gzip(request):
            body, compressed = gzip.decompress(body), False
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        if compressed:
            _send_compressed(response, body)
        else:
            response["Content-Length"] = str(len(body))
        response["X-Page-Cache"] = "hit"
        return response


# --- what purges ------------------------------------------------------------------------

# Apps whose saved rows a public page may show; a few of their models never are.
CONTENT_APPS = {
    "home",
    "campaigns",
    "donations",
    "stories",
    "workshops",
    "wagtailcore",
    "wagtailredirects",
    "wagtailimages",
    "wagtaildocs",
    "wagtail_localize",
    "taggit",
}
NOT_SHOWN = {
    ("wagtailcore", "revision"),
    ("wagtailcore", "pagelogentry"),
    ("wagtailcore", "modellogentry"),
    ("wagtailcore", "referenceindex"),
    ("wagtailcore", "pagesubscription"),
    ("wagtailcore", "taskstate"),
    ("wagtailcore", "workflowstate"),
    ("wagtailcore", "comment"),
    ("wagtailcore", "commentreply"),
    ("wagtailcore", "pagelock"),
    ("wagtailimages", "rendition"),
    ("wagtailimages", "uploadedfile"),
}


def _content_changed(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in CONTENT_APPS and (meta.app_label, meta.model_name) not in NOT_SHOWN:
        purge_on_commit()


def _pages_changed(**kwargs):
    purge_on_commit()


def connect_signals():
    """Connect the purges (called by cocity.apps.CocityConfig.ready: every process, web or
    worker, purges what it changes)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"cocity.page_cache.{id(signal)}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_pages_changed, dispatch_uid=f"cocity.page_cache.{id(signal)}")
    _connect_cdn_purge()


# --- the CDN ----------------------------------------------------------------------------


def _connect_cdn_purge():
    from django.db.models.signals import post_save

    from donations.models import CampaignTally

    post_save.connect(
        _tally_saved, sender=CampaignTally, dispatch_uid="cocity.page_cache.cdn_tally"
    )


def _tally_saved(instance, **kwargs):
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        key = instance.campaign_key
        transaction.on_commit(lambda: purge_campaign_from_cdn(key))


def purge_campaign_from_cdn(campaign_key):
    """Purge from the CDN what shows a campaign's totals: its pages in every language, their
    cards, the campaign indexes and the home pages (Wagtail's front-end cache backends)."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    from campaigns.models import CampaignIndexPage, CampaignPage
    from home.models import HomePage

    try:
        batch = PurgeBatch()
        # Every live version, private ones included (not public_pages): a purge only removes
        # copies from the CDN, and a page made private must leave it too.
        campaigns = list(CampaignPage.objects.live().filter(translation_key=campaign_key))
        batch.add_pages(campaigns)
        batch.add_pages(CampaignIndexPage.objects.live())
        batch.add_pages(HomePage.objects.live())
        for page in campaigns:
            url = page.get_full_url()
            if url:
                root = url.split("/", 3)[:3]
                batch.add_url("/".join(root) + f"/embed/campaign/{page.pk}/")
        batch.purge()
    except Exception:  # a CDN that does not answer never fails a gift
        logger.exception("Could not purge campaign %s from the CDN", campaign_key)
