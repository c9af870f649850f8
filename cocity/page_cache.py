"""The page cache for anonymous visitors, and compressed HTML (docs/deployment.md, "Caching").

Whole GET responses of pages, listings, the JSON API, open data and the embeddable card are
kept in the shared cache (Redis in production, the local-memory cache in the demo) and served
again to anonymous visitors without touching the database. What is never cached:

- any request that carries a session cookie (a signed-in editor or project leader, a visitor
  who unlocked a password-protected page), a messages cookie or an Authorization header: those
  requests are neither served from the cache nor stored in it;
- a response that sets a cookie, says ``Cache-Control`` private, no-store or no-cache, used a
  CSRF token, shows a message, is streamed, varies on everything (``Vary: *``) or whose status
  is not 200, 301, 302 or 404; a page in a private section (helpers/visibility.py); the paths of
  PAGE_CACHE_EXCLUDED (secret links to a gift, a registration, the leaders' space…).

Nearly every page says ``Vary: Cookie``: its template asks for messages, which looks into the
session, so Django marks it (the API does the same for its authentication). For the requests
served here that cannot matter: they carry no session or messages cookie, a response that
used the CSRF cookie is never stored, and the language cookie is part of the key. The header
is kept on what is served, for the caches downstream (docs/deployment.md: a CDN must pass
requests with a session cookie through).

Entries are keyed on the scheme, host, language, path and query string; an entry is served
only to a request with the same values of the other headers its response varies on (Accept
and Origin on the API).

Purges are precise, by *tags*. Each entry carries the tags of what it shows, decided when it
is stored (``response_tags``): every entry ``all``; a page ``page:<translation key>`` (its
copies in every language share the key), the same tag of each page its context holds (links
of its body, a story's campaign, a workshop's campaigns) and its type's: a campaign page
``campaign:<key>`` (its totals), ``stories-of:<key>`` and ``fund-room:<key>`` (what is
left in the sponsors' funds matching its gifts), a story ``stories`` (it shows
related ones), the campaign indexes and the impact page ``totals``, the workshop indexes
``workshop-seats``, the home pages ``home``; otherwise its route's: ``api``, ``open-data``,
the card ``campaign:<key>`` and ``page:<key>``, anything else (search, feeds, calendars, the
sitemap, 404s, redirects) ``other``. A change purges tags (``change_tags``):

- a page saved (not a draft alone), published, unpublished or deleted: ``page:`` of it and
  of its parent (the index that lists it), ``home``, ``api``, ``open-data``, ``other``; a
  story also ``stories`` and ``stories-of:`` its campaign, a campaign ``totals`` and its
  ``campaign:``, a workshop ``workshop-seats``; a page moved, the same for it, everything
  under it and both parents; a page a menu, the footer or the contact details link to:
  ``all`` (every page shows them); a part of a page (a budget line, saved when its page is
  published): ``page:`` of the page;
- a campaign's ledger (its tally, saved in the same transaction as the gift, see
  donations/ledger.py): ``campaign:<key>``, ``totals``, ``home``, ``api``, ``open-data``,
  ``other``; a gift itself (the page lists the last ones): ``campaign:<key>``, and a
  sponsor's match also ``fund-room:`` of every campaign its fund covers (each page says what
  is left in the fund);
- a workshop's seats: ``page:`` of the workshop, ``workshop-seats``, ``home``, ``api``,
  ``other``;
- any other row of a content app (snippets, settings, view restrictions, images, redirects,
  sites, locales…): ``all``; rows no page shows (revisions, webhook events, registrations,
  receipts, mailings…): nothing.

A version per tag lives in the shared cache, with a *clock*: a counter every purge moves on
and sets as the version of its tags. A lookup reads the clock, the entry and the versions of
the tags it had (remembered per process) in one ``get_many``; the entry is served only if no
tag's version is past the clock its request read before rendering it, so whatever a purge
retires is a miss from then on on every node. A version or a clock the cache dropped is
never trusted: a tag without a version is a miss (and gets the clock of after the rendering),
a clock starts again from the time in milliseconds, above its last value. Purges run when the
change is saved and again when its transaction commits, so that no request that read the
data before the commit can store it as fresh. Apart from the tags, entries expire after
``PAGE_CACHE_SECONDS`` (what only time changes: a deadline passing).

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

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request

from modelcluster.fields import ParentalKey
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from campaigns.models import CampaignIndexPage, CampaignPage, ImpactPage, ParticipatoryBudgetPage
from donations.models import CampaignTally, MatchFund
from helpers.cache_tags import (  # noqa: F401 - the names the tests and callers use here
    API,
    CLOCK_KEY,
    EVERYTHING,
    HOME,
    LEDGER_LISTS,
    OPEN_DATA,
    OTHER,
    PAGE_LISTS,
    STORIES,
    TAG_KEY,
    TOTALS,
    WORKSHOP_SEATS,
    _cache,
    _clock,
    _enabled,
    _tag_keys,
    _tick,
    campaign_tag,
    fund_room_tag,
    give_versions,
    is_fresh,
    page_tag,
    purge,
    purge_on_commit,
    stories_tag,
)
from helpers.cache_tags import (
    shown_pages_tags as _shown_pages_tags,
)
from helpers.visibility import is_public
from home.models import Footer, HomePage, MainMenu, SiteContact
from stories.models import StoryPage
from workshops.models import WorkshopIndexPage, WorkshopPage

logger = logging.getLogger(__name__)


# Tags of the entries this process served lately, by entry key: a lookup reads the entry and
# the versions of its tags in one round trip (a wrong guess costs a second one)
_known_tags = {}
KNOWN_TAGS_MAX = 10_000
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


def _context_page(response):
    page = (getattr(response, "context_data", None) or {}).get("page")
    return page if isinstance(page, Page) else None


def response_tags(request, response):
    """The tags of what ``response`` shows (see the module's docstring): decided when it is
    stored, from the page it renders (Wagtail's ``page`` in the template context, the pages
    that context holds, the page's type) or else from its route."""
    tags = {EVERYTHING}
    page = _context_page(response)
    if page is not None:
        tags.add(page_tag(page.translation_key))
        tags.update(_shown_pages_tags(response.context_data))
        tags.update(_page_type_tags(page))
        return tags
    path = request.path_info
    if path.startswith("/api/"):
        tags.add(API)
    elif path.startswith("/open-data/"):
        tags.add(OPEN_DATA)
    elif (match := request.resolver_match) and match.view_name == "campaigns:embed":
        key = (
            Page.objects.filter(pk=match.kwargs.get("page_id"))
            .values_list("translation_key", flat=True)
            .first()
        )
        tags.update({campaign_tag(key), page_tag(key)} if key else {OTHER})
    else:
        tags.add(OTHER)
    return tags


def _page_type_tags(page):
    """What a page of this type shows besides itself and its children (their changes purge
    it as their parent): the totals of campaigns, the seats of workshops, the home's
    sections."""

    if isinstance(page, CampaignPage):
        key = page.translation_key
        return {campaign_tag(key), stories_tag(key), fund_room_tag(key)}
    if isinstance(page, (CampaignIndexPage, ImpactPage, ParticipatoryBudgetPage)):
        return {TOTALS}
    if isinstance(page, WorkshopIndexPage):
        return {WORKSHOP_SEATS}
    if isinstance(page, HomePage):
        return {HOME}
    if isinstance(page, StoryPage):
        return {STORIES}
    return set()


def _remember_tags(key, tags):
    if len(_known_tags) >= KNOWN_TAGS_MAX:
        _known_tags.clear()
    _known_tags[key] = tags


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
        cache = _cache()
        try:
            # One round trip: the clock, the entry and the versions of the tags it had
            found = cache.get_many([CLOCK_KEY, key, *_tag_keys(_known_tags.get(key, ()))])
            clock = _clock(cache, found.get(CLOCK_KEY))
            entry = found.get(key)
            if (
                isinstance(entry, tuple)
                and len(entry) == 7  # not an entry of an older release
                and self._is_fresh(cache, entry, found, key)
                and _same_variant(request, entry[6])
            ):
                return self._from_entry(request, entry)
        except Exception:  # a cache that fails: serve uncached
            logger.exception("Page cache unavailable")
            return compress(request, self.get_response(request))
        response = self.get_response(request)
        if clock is not None and is_storable(request, response):
            try:
                return self._store(request, response, key, clock)
            except Exception:  # a cache that fails: the answer is sent all the same
                logger.exception("Page cache unavailable")
        response["X-Page-Cache"] = "skip"
        return compress(request, response)

    @staticmethod
    def _is_fresh(cache, entry, found, key):
        """True if no tag of ``entry`` was purged after the clock it read."""
        clock, tags = entry[0], entry[1]
        _remember_tags(key, tags)
        keys = _tag_keys(tags)
        missing = [name for name in keys if name not in found]
        if missing:
            found = {**found, **cache.get_many(missing)}
        return is_fresh(found, keys, clock)

    def _store(self, request, response, key, clock):
        cache = _cache()
        tags = tuple(sorted(response_tags(request, response)))
        # Each tag needs a version: one missing gets the clock of now, after the rendering
        # (an entry rendered before a purge whose version was evicted stays a miss).
        keys = _tag_keys(tags)
        give_versions(cache, keys, cache.get_many([CLOCK_KEY, *keys]))
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
            clock,
            tags,
            response.status_code,
            headers,
            body,
            compressed,
            _variant(request, response),
        )
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        _remember_tags(key, tags)
        response["X-Page-Cache"] = "miss"
        if compressed and _accepts_gzip(request):
            _send_compressed(response, body)
        return response

    @staticmethod
    def _from_entry(request, entry):
        _clock, _tags, status, headers, body, compressed, _variant = entry
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
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailcore.pagesubscription",
    "wagtailcore.taskstate",
    "wagtailcore.workflowstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.pagelock",
    "wagtailimages.rendition",
    "wagtailimages.uploadedfile",
    # what a gift, a registration or a mailing writes besides the ledger and the seats
    "donations.webhookevent",
    "donations.refusedpayment",
    "donations.receiptcounter",
    "donations.taxreceipt",
    "workshops.registration",
    "campaigns.newsmailing",
    "campaigns.newsdelivery",
    "campaigns.closingemail",
    "stories.proposal",
}


def ledger_tags(campaign_key):
    """What a change of a campaign's ledger purges: its pages in every language and its
    card, the listings and figures that show its totals, the home pages, the API, open
    data, search."""
    return {campaign_tag(campaign_key), *LEDGER_LISTS}


def workshop_seats_tags(workshop_key):
    """What a change of a workshop's seats purges: its page in every language, the
    workshop listings, the home pages (next workshops), the API, the rest (calendars)."""
    return {page_tag(workshop_key), WORKSHOP_SEATS, HOME, API, OTHER}


def page_change_tags(page, parents=()):
    """What a change of ``page`` (saved, published, unpublished, moved, deleted) purges: the
    page in every language, its parent (the index listing it; ``parents``: more of them,
    such as the one it left), the home pages, the API, open data and the rest, what its type
    shows it on (a story on its campaign's page, a campaign in the totals), and everything
    when a menu, the footer or the contact details link to it (every page shows those)."""

    key = page.translation_key
    tags = {page_tag(key), *PAGE_LISTS}
    parent_paths = {page.path[: -page.steplen]} if page.depth > 1 else set()
    parent_paths.update(parent.path for parent in parents)
    tags.update(
        page_tag(parent_key)
        for parent_key in Page.objects.filter(path__in=parent_paths).values_list(
            "translation_key", flat=True
        )
    )
    tags.update(_page_type_change_tags(page))
    versions = {page.pk, *Page.objects.filter(translation_key=key).values_list("pk", flat=True)}
    linked = set()
    for model, field in ((MainMenu, "links"), (Footer, "links"), (SiteContact, "social_links")):
        for links in model.objects.values_list(field, flat=True):
            linked.update(_linked_page_ids(links))
    if versions & linked:
        tags.add(EVERYTHING)
    return tags


def _linked_page_ids(links):
    raw = getattr(links, "raw_data", links) or []
    for block in raw:
        value = block.get("value") if isinstance(block, dict) else None
        if isinstance(value, dict) and isinstance(value.get("page"), int):
            yield value["page"]


def _page_type_change_tags(page):
    model = page.specific_class
    if model is not None and issubclass(model, StoryPage):
        story = page if isinstance(page, StoryPage) else StoryPage.objects.filter(pk=page.pk)
        campaign_id = (
            story.campaign_id
            if isinstance(story, StoryPage)
            else story.values_list("campaign_id", flat=True).first()
        )
        campaign_key = (
            Page.objects.filter(pk=campaign_id).values_list("translation_key", flat=True).first()
        )
        return {STORIES, stories_tag(campaign_key)} if campaign_key else {STORIES}
    if model is not None and issubclass(model, CampaignPage):
        return {TOTALS, campaign_tag(page.translation_key)}
    if model is not None and issubclass(model, WorkshopPage):
        return {WORKSHOP_SEATS}
    return set()


def change_tags(instance):
    """The tags a saved or deleted ``instance`` purges (see the module's docstring)."""
    meta = instance._meta
    if isinstance(instance, Page):
        return page_change_tags(instance)
    if meta.app_label not in CONTENT_APPS or meta.label_lower in NOT_SHOWN:
        return set()
    if meta.label_lower == "donations.campaigntally":
        return ledger_tags(instance.campaign_key)
    if meta.label_lower == "donations.donation":  # the campaign's page and card list gifts
        tags = {campaign_tag(instance.campaign_key)}
        if instance.match_fund_id is not None:  # what is left in the fund: on each it covers
            tags.update(_fund_room_tags(instance.match_fund_id))
        return tags
    if meta.label_lower == "workshops.workshopseats":
        return workshop_seats_tags(instance.workshop_key)
    page_key = _parent_page_key(instance)
    if page_key is not None:  # a part of a page (a budget line), saved when it is published
        return {page_tag(page_key)}
    return {EVERYTHING}  # snippets, settings, restrictions, images, redirects…


def _fund_room_tags(fund_id):
    """``fund-room:<key>`` of every campaign a sponsor's fund covers (donations/matching.py
    ``covers``: chosen by hand, or by district and category): each page says what is left in
    the fund, which a match on any of them lowers."""

    fund = MatchFund.objects.filter(pk=fund_id).first()
    if fund is None:
        return set()
    keys = {str(key) for key in fund.campaign_keys or ()}
    if fund.district_codes or fund.category_codes:
        pages = CampaignPage.objects.all()
        if fund.district_codes:
            pages = pages.filter(district__code__in=fund.district_codes)
        if fund.category_codes:
            pages = pages.filter(category__code__in=fund.category_codes)
        keys.update(str(key) for key in pages.values_list("translation_key", flat=True).distinct())
    return {fund_room_tag(key) for key in keys}


def _parent_page_key(instance):
    """The translation key of the page ``instance`` is a part of (a ParentalKey to a page),
    or None; "" when that page is gone."""

    for field in instance._meta.concrete_fields:
        if isinstance(field, ParentalKey) and issubclass(field.related_model, Page):
            page_id = getattr(instance, field.attname)
            found = Page.objects.filter(pk=page_id).values_list("translation_key", flat=True)
            return str(found.first() or "")
    return None


# Fields of a page that Wagtail saves alone for a draft, a lock or a comment: the public
# page does not show them
DRAFT_FIELDS = {
    "wagtail_admin_comments",
    "latest_revision_created_at",
    "draft_title",
    "latest_revision",
    "has_unpublished_changes",
    "locked",
    "locked_by",
    "locked_at",
}


def _content_changed(sender, instance=None, update_fields=None, **kwargs):
    if instance is None or not _enabled():
        return
    if isinstance(instance, Page) and update_fields and set(update_fields) <= DRAFT_FIELDS:
        return  # a draft saved (save_revision): the public sees nothing of it
    if kwargs.get("action", "post_add").startswith("pre_"):  # m2m_changed: wait for post_
        return
    tags = change_tags(instance)
    through = sender._meta
    if not tags and "model" in kwargs and through.app_label in CONTENT_APPS:  # m2m_changed
        tags = set() if through.label_lower in NOT_SHOWN else {EVERYTHING}
    if tags:
        purge_on_commit(tags)


def _page_published(instance, **kwargs):
    if _enabled():
        purge_on_commit(page_change_tags(instance))


def _page_moved(instance, parent_page_before=None, parent_page_after=None, **kwargs):
    """A page and everything under it changed address: each of them, both parents."""
    if not _enabled():
        return
    parents = [parent for parent in (parent_page_before, parent_page_after) if parent]
    tags = page_change_tags(instance, parents)
    tags.update(
        page_tag(key)
        for key in Page.objects.descendant_of(instance).values_list("translation_key", flat=True)
    )
    purge_on_commit(tags)


def connect_signals():
    """Connect the purges (called by cocity.apps.CocityConfig.ready: every process, web or
    worker, purges what it changes)."""

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_content_changed, dispatch_uid=f"cocity.page_cache.{id(signal)}")
    for signal in (page_published, page_unpublished):
        signal.connect(_page_published, dispatch_uid=f"cocity.page_cache.{id(signal)}")
    post_page_move.connect(_page_moved, dispatch_uid="cocity.page_cache.moved")
    _connect_cdn_purge()


# --- the CDN ----------------------------------------------------------------------------


def _connect_cdn_purge():
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
