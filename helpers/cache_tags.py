"""Tags and versions of the shared cache's entries, and their purges: the part of the page
cache (cocity/page_cache.py, whose docstring tells the rules) that the apps' own caches use
too. A shared helper: it imports no app, so every layer may use it.

``kept(key, tags, build)`` keeps what ``build()`` returns under the same rules as a cached
page: it is served again only while no tag it carries was purged after the clock read
before it was built. The page fragments (home/templatetags/fragment_tags.py) use it.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from wagtail.models import Page

logger = logging.getLogger(__name__)

CLOCK_KEY = "page-cache:clock"
TAG_KEY = "page-cache:tag:"
# Tags (see the module's docstring). Every entry carries EVERYTHING; page:<translation key>
# and campaign:<campaign key> are made by page_tag() and campaign_tag().
EVERYTHING = "all"
HOME = "home"
API = "api"
OPEN_DATA = "open-data"
TOTALS = "totals"  # pages that show the totals of several campaigns: indexes, impact figures
WORKSHOP_SEATS = "workshop-seats"  # pages that show the seats of several workshops
STORIES = "stories"  # story pages: each shows related stories (same campaign or district)
OTHER = "other"  # every other answer: search, feeds, calendars, sitemap, 404s, redirects
# What lists pages or shows any of them: purged on every change of a page
PAGE_LISTS = (HOME, API, OPEN_DATA, OTHER)
# What shows the totals of a campaign besides its own page and card: purged on a ledger change
LEDGER_LISTS = (TOTALS, HOME, API, OPEN_DATA, OTHER)


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _enabled():
    return settings.PAGE_CACHE_SECONDS > 0


# --- tags, versions and purges -----------------------------------------------------------


def page_tag(translation_key):
    """The tag of a page in every language (its copies share the translation key)."""
    return f"page:{translation_key}"


def campaign_tag(campaign_key):
    """The tag of what shows a campaign's totals (its page in every language, its card)."""
    return f"campaign:{campaign_key}"


def fund_room_tag(campaign_key):
    """The tag of what says how much is left in the sponsors' funds that match a campaign's
    gifts (its page, in every language): a match on any campaign of the same fund lowers it."""
    return f"fund-room:{campaign_key}"


def stories_tag(campaign_key):
    """The tag of what lists the stories about a campaign (its page, in every language)."""
    return f"stories-of:{campaign_key}"


def _tag_keys(tags):
    return [TAG_KEY + tag for tag in tags]


def _clock(cache, value=None):
    """The clock (``value``, when just read): a counter in the shared cache that every purge
    moves on. Seeded with the time in milliseconds, so that a clock evicted from the cache
    starts again above every value it ever had (purges come far less often than once a
    millisecond); None when the cache does not answer."""
    if value is None:
        cache.add(CLOCK_KEY, int(time.time() * 1000), None)
        value = cache.get(CLOCK_KEY)
    return value


def _tick(cache):
    """Move the clock on; return its new value (None when the cache does not answer)."""
    try:
        return cache.incr(CLOCK_KEY)
    except ValueError:  # evicted or never set
        _clock(cache)
        try:
            return cache.incr(CLOCK_KEY)
        except ValueError:
            return None


def purge(tags=(EVERYTHING,)):
    """Retire every entry that carries one of ``tags`` (by default: every entry).

    The clock moves on and each tag's version becomes its new value: an entry is served only
    while the versions of all its tags are at most the clock it read before its page was
    rendered, so every entry rendered before this purge is a miss from now on."""
    tags = set(tags)
    if not tags or not _enabled():
        return
    cache = _cache()
    try:
        version = _tick(cache)
        if version is None:
            return
        keys = _tag_keys(tags)
        cache.set_many(dict.fromkeys(keys, version), None)
        # Two purges of one tag at once: the later clock value must stay
        found = cache.get_many(keys)
        lower = {key: version for key in keys if (found.get(key) or 0) < version}
        if lower:
            cache.set_many(lower, None)
    except Exception:  # a cache that fails: nothing to serve stale from either
        logger.exception("Could not purge the page cache")


class _PurgeOnCommit:
    """The second purge of ``tags``, when the transaction commits."""

    def __init__(self, tags):
        self.tags = frozenset(tags)

    def __call__(self):
        purge(self.tags)


def purge_on_commit(tags=(EVERYTHING,)):
    """Purge ``tags`` now (this process sees its own change at once, even inside the
    transaction) and again when the current transaction commits (a request that read the
    old data meanwhile stored it with a clock older than the second purge)."""
    tags = frozenset(tags)
    purge(tags)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # the change is committed already
    for _sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _PurgeOnCommit) and callback.tags >= tags:
            return
    transaction.on_commit(_PurgeOnCommit(tags))


def shown_pages_tags(context):
    """page:<key> of the pages the context holds besides the page (links of the body, a
    story's campaign, a workshop's campaigns…): their titles and addresses are shown."""
    # type(), not isinstance(): isinstance() on a lazy value (the CSRF token of Django's
    # context processor, helpers/lazy.py's Once) would compute it
    tags = set()
    for value in context.values():
        values = value.values() if issubclass(type(value), dict) else value
        if issubclass(type(values), (list, tuple, set, type({}.values()))):
            tags.update(
                page_tag(item.translation_key) for item in values if issubclass(type(item), Page)
            )
        elif issubclass(type(value), Page):
            tags.add(page_tag(value.translation_key))
    return tags


def is_fresh(found, keys, clock):
    """True if every tag key of ``keys`` has a version in ``found`` and none is past
    ``clock``: nothing was purged after it. A version missing (never set, or evicted after
    a purge) is not trusted."""
    return all(found.get(name) is not None and found[name] <= clock for name in keys)


def give_versions(cache, keys, found):
    """Give a version (the clock of now, after the building) to each tag key of ``keys``
    that has none in ``found``: what was built before a purge whose version was evicted
    stays a miss."""
    missing = [name for name in keys if name not in found]
    if missing:
        now = _clock(cache, found.get(CLOCK_KEY))
        for name in missing:
            cache.add(name, now, None)


def kept(key, tags, build, seconds=None):
    """``build()``, kept in the shared cache under ``key`` with ``tags`` and served again
    while no tag was purged after the clock read before building it (the page cache's
    rules, see cocity/page_cache.py). ``build`` returns ``(value, keep)``: a value it says
    not to keep (it holds something of this visitor) is returned and forgotten. Built
    afresh when the page cache is off or the cache does not answer (cocity/cache.py
    degrades: the lookup then misses and the writes are dropped)."""
    if not _enabled():
        return build()[0]
    cache = _cache()
    keys = _tag_keys(tags)
    found = cache.get_many([CLOCK_KEY, key, *keys])
    entry = found.get(key)
    clock = _clock(cache, found.get(CLOCK_KEY))
    if isinstance(entry, tuple) and len(entry) == 2 and is_fresh(found, keys, entry[0]):
        return entry[1]
    value, keep = build()
    if keep and clock is not None:
        give_versions(cache, keys, found)
        cache.set(key, (clock, value), settings.PAGE_CACHE_SECONDS if seconds is None else seconds)
    return value
