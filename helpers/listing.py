"""Listing pages shared by campaigns, stories and workshops: filters from the query string
(GET, so they work without JavaScript and can be bookmarked) and pagination.

A page's `get_context` describes its filters and calls `filter_and_paginate`; the template
includes "components/filters.html" and "components/pagination.html". With a ``key``, the
listing's two queries (how many, and the page's items) are compiled once per thread for
each set of filters and page number (helpers/compiled.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.utils import timezone

from helpers import compiled


@dataclass
class ListingFilter:
    """One drop-down of a listing's filter form.

    `choices` is an iterable of (value, label) (a `values_list` is fine: it is read once);
    `apply(queryset, value)` narrows the listing for a non-empty value (`apply(queryset,
    value, now)` with `takes_now`: a filter on dates must take the current moment from
    there, never read the clock itself). With `strict`, a value that is not among the
    choices is ignored instead of applied.
    """

    name: str
    label: Any
    choices: Any
    apply: Callable
    strict: bool = False
    takes_now: bool = False
    value: str = ""
    options: list = field(default_factory=list)

    @property
    def id(self):
        return f"filter-{self.name}"

    def bind(self, value):
        """Read the choices once, as strings, and remember the visitor's value."""
        self.options = [(str(option), label) for option, label in self.choices]
        known = any(option == value for option, _label in self.options)
        self.value = value if (known or not self.strict) else ""
        return self


def filter_and_paginate(request, queryset, filters, per_page, key=None):
    """Apply the visitor's filters to ``queryset`` and return (page of results, filters).

    The filters come back bound (their options read and their selected value set) for
    "components/filters.html". A page number that is not a number gives the first page,
    one past the end the last page (Paginator.get_page).

    With ``key``, ``queryset`` is a function returning the queryset, and ``key`` names
    everything that queryset depends on (the listing page, the private sections…; the
    filters' values and the page number are added here): the count and the page's items
    are then compiled once per thread (helpers/compiled.py).
    """
    bound = []
    for listing_filter in filters:
        listing_filter.bind(request.GET.get(listing_filter.name, "").strip()[:100])
        bound.append(listing_filter)
    applied = [listing_filter for listing_filter in bound if listing_filter.value]
    if key is None:
        for listing_filter in applied:
            queryset = _apply(listing_filter, queryset, timezone.now())
        items = queryset
    else:
        items = _CompiledListing(
            (key, tuple((listing_filter.name, listing_filter.value) for listing_filter in applied)),
            lambda now=None: _applied(applied, queryset(), now),
            timezone.now() if any(listing_filter.takes_now for listing_filter in applied) else None,
        )
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return page, bound


def _apply(listing_filter, queryset, now):
    if listing_filter.takes_now:
        return listing_filter.apply(queryset, listing_filter.value, now)
    return listing_filter.apply(queryset, listing_filter.value)


def _applied(filters, queryset, now):
    for listing_filter in filters:
        queryset = _apply(listing_filter, queryset, now)
    return queryset


class _CompiledListing:
    """What Paginator asks of a queryset (count, a slice), from compiled queries."""

    ordered = True

    def __init__(self, key, build, at):
        self.key, self.build, self.at = key, build, at

    def count(self):
        pks = compiled.rows(
            (self.key, "count"),
            lambda *now: self.build(*now).prefetch_related(None).values_list("pk", flat=True),
            at=self.at,
        )
        return len(pks)

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        return compiled.instances(
            (self.key, start, stop), lambda *now: self.build(*now)[start:stop], at=self.at
        )
