"""The parts of the page frame that are the same for every visitor (the main menu, the footer,
the contact details), kept in the shared cache per host and language.

Every page shows them, and building them costs about ten queries (the snippets, the pages
their links point to in the reader's language, the private sections, the site setting).
What is kept holds only what the public may see: the links are resolved through
``localize_pages`` (home/visibility.py rules), so a link to a private or unpublished page is
never in it.

Entries are keyed on a *generation* that changes whenever something they show may have
changed: any page saved, published, unpublished, moved or deleted (a title, a slug, a view
restriction…), a menu, footer, contact setting, site or locale saved or deleted. The change
is made when the change is saved and again when its transaction commits, so that a request
that read the data before the commit cannot keep it under the new generation. Entries also
expire after ``FRAME_CACHE_SECONDS`` (default: ``PAGE_CACHE_SECONDS``; 0 turns this cache
off, as in the test settings, whose tests change data behind the signals).

With the cache unreachable (cocity/cache.py degrades), every part is built afresh.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "frame:generation"


def _seconds():
    return getattr(settings, "FRAME_CACHE_SECONDS", settings.PAGE_CACHE_SECONDS)


def _generation():
    """The current generation, or None when the cache does not answer."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def forget():
    """Start a new generation: every part kept so far is built again on its next use."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


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
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


def _changed(sender=None, instance=None, **kwargs):
    forget()
    transaction.on_commit(forget)


def _model_changed(sender, instance=None, **kwargs):
    from .models import Footer, MainMenu, SiteContact

    if isinstance(
        instance, (Page, PageViewRestriction, MainMenu, Footer, SiteContact, Site, Locale)
    ):
        _changed()


for _signal in (post_save, post_delete):
    _signal.connect(_model_changed, dispatch_uid=f"home.frame.{id(_signal)}")
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_changed, dispatch_uid=f"home.frame.{id(_signal)}")
