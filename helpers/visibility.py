"""Which pages the public may see (DESIGN.md §9): live pages outside every private section.

A private section is a page with a view restriction (password, login or groups) and its
descendants, as Wagtail's ``PageQuerySet.public()`` has it, plus the untranslated copies
(wagtail-localize aliases) of any page in such a section, with their own descendants: an
alias is a real page in another language's tree, so a restriction on the French page does
not reach ``/ar/…`` in Wagtail's queryset, though it shows the same content.

Every listing, section, feed, calendar, search, sitemap, form view and API link goes through
``public_pages`` (a queryset) or ``is_public`` (one page). Both honour no visitor's password
or login: what they return may be cached and shown to anyone.

Cost: one query when no page is restricted; with restrictions, one more per level of
aliases found (usually two or three in all), whatever the number of pages, restrictions or
languages; and only once per request (the sections are remembered until the request ends or
a page or restriction is saved), and then kept in the shared cache until the next page or
restriction change (helpers/frame.py; not in the test settings). The result is a filter on
``path``, so it works in searches and on the querysets of specific page types.
"""

from contextvars import ContextVar
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.signals import request_finished, request_started
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from wagtail.models import BaseViewRestriction, Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import frame


def _outermost(paths):
    """The paths of ``paths`` that no other one contains (a tree path is the prefix of its
    descendants'), sorted."""
    kept = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def _under(paths, field="path"):
    """Q: ``field`` (a tree path) lies under one of ``paths`` (inclusive)."""
    return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))


@dataclass(frozen=True)
class PrivateSections:
    """The roots of the private sections: every page under one of ``paths`` is private."""

    paths: tuple

    def q(self):
        """Q matching the private pages (never matches when there are none)."""
        return _under(self.paths) if self.paths else Q(pk__in=[])

    def covers(self, page):
        """True if ``page`` lies in a private section."""
        return bool(self.paths) and page.path.startswith(self.paths)


# The PrivateSections of the request being served (None outside a request: not remembered)
_this_request = ContextVar("private_sections_of_this_request", default=None)


def _request_starts(**kwargs):
    _this_request.set({})


def forget_request(**kwargs):
    """Stop remembering: the request has ended."""
    _this_request.set(None)


def _tree_changed(instance=None, **kwargs):
    remembered = _this_request.get()
    if remembered and (instance is None or isinstance(instance, (Page, PageViewRestriction))):
        remembered.clear()


request_started.connect(_request_starts, dispatch_uid="helpers.visibility.start")
request_finished.connect(forget_request, dispatch_uid="helpers.visibility.end")
for _signal in (post_save, post_delete, page_published, page_unpublished, post_page_move):
    _signal.connect(_tree_changed, dispatch_uid=f"helpers.visibility.{id(_signal)}")


def remember_for_request(key, fetch):
    """Return ``fetch()``, remembered under ``key`` for the rest of the request (a page or
    restriction saved meanwhile forgets it; outside a request: not remembered). Other
    modules keep their per-request values here too (helpers/i18n.py: the active Locale)."""
    remembered = _this_request.get()
    if remembered is None:
        return fetch()
    if key not in remembered:
        remembered[key] = fetch()
    return remembered[key]


def private_sections():
    """Return the PrivateSections of the whole page tree (remembered for the rest of the
    request; a restriction or page saved meanwhile makes it ask again). Kept in the shared
    cache between requests too (helpers/frame.py: forgotten whenever a page or a restriction is
    saved, moved or deleted, and again when that change commits)."""
    return remember_for_request("sections", _shared_private_sections)


def _shared_private_sections():
    return frame.shared("private-sections", _fetch_private_sections)


def _fetch_private_sections():
    """Roots: every page with a view restriction, then every alias of a page under a root
    (repeated for aliases of aliases until none is new)."""
    paths = _outermost(
        PageViewRestriction.objects.exclude(restriction_type=BaseViewRestriction.NONE).values_list(
            "page__path", flat=True
        )
    )
    found = paths
    while found:
        aliases = (
            Page.objects.filter(_under(found, "alias_of__path"))
            .exclude(_under(paths))
            .values_list("path", flat=True)
        )
        found = _outermost(aliases)
        paths = _outermost(paths + found)
    return PrivateSections(tuple(paths))


def public_pages(queryset=None, private=None):
    """The pages of ``queryset`` (default: every page) that the public may see: live and in
    no private section. Works on any page queryset (``CampaignPage.objects.all()``…).

    ``private``: PrivateSections already fetched, to filter several querysets with the
    queries of one.
    """
    if queryset is None:
        queryset = Page.objects.all()
    private = private if private is not None else private_sections()
    queryset = queryset.live()
    return queryset.exclude(private.q()) if private.paths else queryset


def is_public(page, private=None):
    """True if the public may see ``page``: it is live and in no private section."""
    if page is None or not page.live:
        return False
    private = private if private is not None else private_sections()
    return not private.covers(page)
