"""The workshop listing: upcoming first (soonest first), past ones on their own tab, filters
by district and month, pagination. Works without JavaScript (plain links and GET forms)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import District, code_names
from helpers.formats import format_month
from helpers.listing import ListingFilter, filter_and_paginate

PAST = "past"


def _month_bounds(value):
    """ "2026-12" → (aware start of the month, start of the next), or None."""
    try:
        year, month = (int(part) for part in value.split("-"))
        start = datetime.datetime(year, month, 1)
    except (TypeError, ValueError):
        return None
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(following)


def _in_month(queryset, value):
    bounds = _month_bounds(value)
    if bounds is None:
        return queryset.none()
    return queryset.filter(starts_at__gte=bounds[0], starts_at__lt=bounds[1])


def _month_choices(workshops):
    months = sorted(
        {
            timezone.localtime(start).date().replace(day=1)
            for start in workshops.values_list("starts_at", flat=True)
        }
    )
    return [(month.strftime("%Y-%m"), format_month(month)) for month in months]


def listing_context(index, request):
    now = timezone.now()
    tab = PAST if request.GET.get("when") == PAST else ""
    workshops = index.workshops()
    if tab == PAST:
        workshops = workshops.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    else:
        workshops = workshops.filter(ends_at__gt=now).order_by("starts_at", "pk")
    page, filters = filter_and_paginate(
        request,
        workshops,
        [
            ListingFilter(
                "district",
                _("District"),
                code_names(District, index.locale_id),
                lambda qs, value: qs.filter(venue__district__code=value),
            ),
            ListingFilter("month", _("Month"), _month_choices(workshops), _in_month),
        ],
        index.per_page,
    )
    return {
        "workshops": page,
        "filters": filters,
        "tab": tab,
        "keep": [("when", PAST)] if tab else [],
    }
