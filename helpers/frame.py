"""The parts of the page frame that are the same for every visitor (the main menu, the footer,
the contact details), kept in the shared cache per host and language.

Every page shows them, and building them costs about ten queries (the snippets, the pages
their links point to in the reader's language, the private sections, the site setting).
What is kept holds only what the public may see: the links are resolved through
``localize_pages`` (helpers/visibility.py rules), so a link to a private or unpublished page is
never in it.

Entries are keyed on a *generation* that changes whenever something they show may have
changed: any page saved, published, unpublished, moved or deleted (a title, a slug, a view
restriction…), a menu, footer, contact setting, site, locale, image or rendition saved or
deleted, or a row of a model an app asked to ``watch``. The change
is made when the change is saved and again when its transaction commits, so that a request
that read the data before the commit cannot keep it under the new generation. Entries also
expire after ``FRAME_CACHE_SECONDS`` (default: ``PAGE_CACHE_SECONDS``; 0 turns this cache
off, as in the test settings, whose tests change data behind the signals).

With the cache unreachable (cocity/cache.py degrades), every part is built afresh.

A request asks the shared cache for the generation once (then remembers it until it ends,
or until it changes something itself), and each process keeps the parts it has read, as
pickled bytes, under that generation: a part already read by this process costs no round
trip to the cache, only unpickling (each request gets its own copy), and a change made on
any node is seen by the next request here, whose generation differs. The process keeps
entries no longer than the shared cache does (``FRAME_CACHE_SECONDS``) and only those of the
current generation.
"""

import pickle
import threading
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "frame:generation"
# The generation read by the request being served ({} at its start; None outside a request:
# read every time)
_this_request = ContextVar("frame_generation_of_this_request", default=None)
# This process's copies: {key: (pickled value, time it was read)}, all of one generation
_local = {}
_local_generation = [None]
_local_lock = threading.Lock()
LOCAL_MAX_ENTRIES = 1000


def _seconds():
    return getattr(settings, "FRAME_CACHE_SECONDS", settings.PAGE_CACHE_SECONDS)


def _request_starts(**kwargs):
    _this_request.set({})


def _request_ends(**kwargs):
    _this_request.set(None)


request_started.connect(_request_starts, dispatch_uid="helpers.frame.start")
request_finished.connect(_request_ends, dispatch_uid="helpers.frame.end")


def _generation():
    """The current generation (read once per request), or None when the cache does not
    answer."""
    remembered = _this_request.get()
    if remembered is not None and "generation" in remembered:
        return remembered["generation"]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if remembered is not None:
        remembered["generation"] = generation
    return generation


def forget():
    """Start a new generation: every part kept so far is built again on its next use."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    remembered = _this_request.get()
    if remembered is not None:
        remembered.pop("generation", None)
    with _local_lock:
        _local.clear()


def part(name, request, build):
    """Return ``build()``, kept in the cache as frame part ``name`` for the request's host and
    language. ``build`` must return a picklable value that depends on nothing else."""
    return _kept(f"{name}:{request.get_host()}:{get_language()}", build)


def shared(name, build):
    """Return ``build()``, kept in the cache under ``name`` (the same for every host and
    language) until the next change (see the module's docstring)."""
    return _kept(name, build)


def _kept(name, build):
    """``build()``, kept under ``name`` for the current generation (built afresh when the
    frame cache is off or the generation unknown)."""
    seconds = _seconds()
    generation = _generation() if seconds else None
    if generation is None:
        return build()
    key = "frame:" + f"{name}:{generation}".replace(" ", "_")  # no spaces in cache keys
    now = time.monotonic()
    kept = _local.get(key) if _local_generation[0] == generation else None
    if kept is not None and now - kept[1] < seconds:
        return pickle.loads(kept[0])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    _keep_locally(generation, key, value, now)
    return value


def _keep_locally(generation, key, value, now):
    """Keep a copy of ``value`` in this process, under ``generation`` (the copies of any
    other generation are dropped)."""
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    with _local_lock:
        if _local_generation[0] != generation or len(_local) >= LOCAL_MAX_ENTRIES:
            _local.clear()
            _local_generation[0] = generation
        _local[key] = (data, now)


def _changed(sender=None, instance=None, **kwargs):
    forget()
    transaction.on_commit(forget)


# Other models whose rows the kept parts show (an app adds its own with ``watch``)
_watched = []


def watch(*models):
    """Start a new generation whenever a row of one of ``models`` is saved or deleted (an
    app whose kept parts show them: home/apps.py, the menu, footer and contact details;
    campaigns/apps.py, the districts and categories)."""
    _watched.extend(model for model in models if model not in _watched)


def _model_changed(sender, instance=None, **kwargs):
    # A rendition made or deleted: a kept part may hold its image's renditions (the sponsors'
    # logos, donations/matching.py), which would otherwise miss it and make it every time.
    kinds = (Page, PageViewRestriction, Site, Locale)
    kinds += (AbstractImage, AbstractRendition)
    if isinstance(instance, kinds) or (_watched and isinstance(instance, tuple(_watched))):
        _changed()


for _signal in (post_save, post_delete):
    _signal.connect(_model_changed, dispatch_uid=f"helpers.frame.{id(_signal)}")
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_changed, dispatch_uid=f"helpers.frame.{id(_signal)}")
