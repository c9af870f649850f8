"""What a campaign's funding panel and cards show besides the ledger's figures: the
percentage raised (rounded, past 100 % when the goal is beaten), the calendar days left in
Paris, where the threshold sits on the bar, and the leaders' public names.

Read from the page's own fields and figures (annotated by listings, read once otherwise), so a
card costs no query of its own; only ``leader_names`` reads the database (one query, on the
campaign page)."""

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, to_locale

from babel import Locale
from babel import numbers as babel_numbers

from helpers import compiled


def percent_of(raised_cents, goal_cents):
    """``raised_cents`` as a whole percentage of ``goal_cents``, rounded half up; past 100
    when the goal is beaten; 0 without a goal."""
    if not goal_cents:
        return 0
    return int((Decimal(raised_cents) * 100 / goal_cents).quantize(Decimal(1), "ROUND_HALF_UP"))


def format_percent(percent, language=None):
    """A whole percentage in the reader's language (CLDR): "82 %", "82%", "82‎%‎"."""
    return _formatted_percent(percent, language or get_language() or "fr")


@lru_cache(maxsize=2048)
def _formatted_percent(percent, language):
    """format_percent, remembered per percentage and language (Babel parses the locale and
    its pattern on every call; a listing shows a few percentages per card)."""
    locale = Locale.parse(to_locale(language))
    return babel_numbers.format_percent(
        Decimal(percent) / 100, locale=locale, numbering_system="default"
    )


def days_left(closes_at, now=None):
    """Calendar days in Paris from today to the last day the campaign is open: 0 on that day
    ("closes today"), None once it has closed. A campaign closing at midnight is last open
    the day before."""
    now = now or timezone.now()
    if closes_at <= now:
        return None
    last_open_day = timezone.localtime(closes_at - dt.timedelta(microseconds=1)).date()
    return (last_open_day - timezone.localtime(now).date()).days


def leader_names(campaign):
    """The public names of the campaign's active leaders, oldest account first (leaders
    without a public name, e.g. erased ones, are left out). One query, compiled once per
    campaign page and thread (helpers/compiled.py).

    The names live in LeaderProfile, a model of the stories app (a layer above): they are
    read through the user's ``leader_profile`` relation, as campaigns/tasks.py does."""
    users = campaign.leaders.filter(is_active=True)
    if not isinstance(users, QuerySet):  # a preview's leaders, chosen but not saved yet
        users = users.select_related("leader_profile").order_by("pk")
        profiles = [getattr(user, "leader_profile", None) for user in users]
        names = [profile.public_name for profile in profiles if profile]
    else:
        names = compiled.rows(
            ("leader-names", campaign.pk),
            lambda: users.order_by("pk").values_list("leader_profile__public_name", flat=True),
        )
    return [name for name in names if name]
