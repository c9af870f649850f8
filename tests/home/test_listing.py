"""The shared listing helper: filters from the query string, then pagination."""

from wagtail.models import Locale

import pytest

from helpers.listing import ListingFilter, filter_and_paginate


def language_filter(strict):
    return ListingFilter(
        "language",
        "Language",
        [("fr", "Français"), ("ar", "العربية")],
        lambda qs, value: qs.filter(language_code=value),
        strict=strict,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "strict", "expected", "selected"),
    [
        ({}, False, 5, ""),
        ({"language": "ar"}, False, 1, "ar"),
        ({"language": " ar "}, True, 1, "ar"),
        ({"language": "xx"}, False, 0, "xx"),  # a stale link: honestly nothing
        ({"language": "xx"}, True, 5, ""),  # strict: an unknown value is ignored
    ],
)
def test_filters_narrow_the_listing(rf, query, strict, expected, selected):
    page, filters = filter_and_paginate(
        rf.get("/", query), Locale.objects.order_by("pk"), [language_filter(strict)], 10
    )
    assert page.paginator.count == expected
    assert filters[0].value == selected
    assert filters[0].options == [("fr", "Français"), ("ar", "العربية")]
    assert filters[0].id == "filter-language"


@pytest.mark.django_db
@pytest.mark.parametrize(("number", "shown"), [("2", 2), ("x", 1), ("99", 3), ("-1", 3)])
def test_bad_page_numbers_fall_back_to_a_real_page(rf, number, shown):
    page, _filters = filter_and_paginate(
        rf.get("/", {"page": number}), Locale.objects.order_by("pk"), [], 2
    )
    assert page.number == shown
