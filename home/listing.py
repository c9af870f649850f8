"""Listing pages shared by campaigns, stories and workshops: filters from the query string
(GET, so they work without JavaScript and can be bookmarked) and pagination.

A page's `get_context` describes its filters and calls `filter_and_paginate`; the template
includes "components/filters.html" and "components/pagination.html".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator


@dataclass
class ListingFilter:
    """One drop-down of a listing's filter form.

    `choices` is an iterable of (value, label) (a `values_list` is fine: it is read once);
    `apply(queryset, value)` narrows the listing for a non-empty value. With `strict`, a
    value that is not among the choices is ignored instead of applied.
    """

    name: str
    label: Any
    choices: Any
    apply: Callable
    strict: bool = False
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


def filter_and_paginate(request, queryset, filters, per_page):
    """Apply the visitor's filters to ``queryset`` and return (page of results, filters).

    The filters come back bound (their options read and their selected value set) for
    "components/filters.html". A page number that is not a number gives the first page,
    one past the end the last page (Paginator.get_page).
    """
    bound = []
    for listing_filter in filters:
        listing_filter.bind(request.GET.get(listing_filter.name, "").strip()[:100])
        if listing_filter.value:
            queryset = listing_filter.apply(queryset, listing_filter.value)
        bound.append(listing_filter)
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    return page, bound
