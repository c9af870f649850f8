"""Dates, times and numbers in the reader's language, from CLDR (Babel).

Shared helper: imports no app. Templates use it through ``{% load cldr %}``
(home/templatetags/cldr.py): ``{{ story.date|day }}``, ``{{ workshop.starts_at|datetime }}``,
``{{ n|number }}``.

- Times are shown in the site's time zone (Europe/Paris, ``timezone.localtime``).
- Digits: Latin digits in every language, Arabic included. That is CLDR's default numbering
  system for ``ar`` (Babel's ``numbering_system="default"``), the choice helpers/money.py and
  home/figures.py already make for amounts and key figures; dates and numbers follow it so a
  page never mixes two sets of digits.
- Punctuation and order come from CLDR too: "الاثنين، 7 ديسمبر 2026" (Arabic comma),
  "2026年12月7日星期一 18:30–20:00", "lundi 7 décembre 2026, 18:30–20:00".
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language, to_locale

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

# The CLDR locale of each site language's dates and times (a region only where the bare language
# would pick one far from a Paris association's readers: CLDR's "pt" is Brazil's, "en" the United
# States' month-first dates and 12-hour clock).
LOCALES = {
    "fr": "fr_FR",
    "en": "en_GB",
    "ar": "ar",
    "pt": "pt_PT",
    "zh-hans": "zh_Hans_CN",
}


def babel_locale(language=None):
    """The Babel Locale of ``language`` (a Django language code; default: the active one)."""
    code = (language or get_language() or "fr").lower()
    return Locale.parse(LOCALES.get(code) or to_locale(code))


def _local(value):
    """``value`` (an aware datetime) in the site's time zone; naive values are taken as such."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_day(value, language=None, length="long"):
    """A day: "7 décembre 2026", "7 ديسمبر 2026", "2026年12月7日". ``length="full"`` adds the
    weekday ("lundi 7 décembre 2026", "الاثنين، 7 ديسمبر 2026", "2026年12月7日星期一").
    A datetime gives its day in Paris."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_dates.format_date(value, length, locale=babel_locale(language))


def _twelve_hour(locale):
    return "h" in locale.time_formats["short"].pattern


def format_time(value, language=None):
    """A time of day, in Paris, as the language writes it: "18:30", "6:30 م"."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, dt.datetime):
        value = value.timetz() if value.tzinfo is None else value.time()
    return babel_dates.format_time(value, "short", locale=babel_locale(language))


def format_time_range(start, end, language=None):
    """From one time to another on the same day: "18:30 – 20:00", "6:30–8:00 م"."""
    locale = babel_locale(language)
    start, end = _local(start), _local(end)
    if isinstance(start, dt.datetime):
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    skeleton = "hm" if _twelve_hour(locale) else "Hm"
    return babel_dates.format_interval(start, end, skeleton, locale=locale)


def _join(locale, day, time, length="long"):
    """A day and a time glued as CLDR says ("{1}, {0}", "{1}، {0}", "{1} {0}")."""
    pattern = str(babel_dates.get_datetime_format(length, locale=locale))
    return pattern.replace("'", "").replace("{1}", day).replace("{0}", time)


def format_datetime(value, language=None, length="long"):
    """A day and a time, in Paris: "7 décembre 2026, 18:30", "7 ديسمبر 2026، 6:30 م",
    "2026年12月7日 18:30"."""
    if value in (None, ""):
        return ""
    locale = babel_locale(language)
    return _join(locale, format_day(value, language, length), format_time(value, language), length)


def format_when(start, end=None, language=None):
    """When something takes place: the day with its weekday and the times, in Paris:
    "lundi 7 décembre 2026, 18:30 – 20:00", "الاثنين، 7 ديسمبر 2026، 6:30–8:00 م",
    "2026年12月7日星期一 18:30–20:00". Without ``end``, or ending another day, the start only."""
    if start in (None, ""):
        return ""
    locale = babel_locale(language)
    day = format_day(start, language, "full")
    if end and format_day(end, language) == format_day(start, language):
        time = format_time_range(start, end, language)
    else:
        time = format_time(start, language)
    return _join(locale, day, time, "full")


def format_month(value, language=None):
    """A month of a year: "décembre 2026", "ديسمبر 2026", "2026年12月"."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_dates.format_skeleton("yMMMM", value, locale=babel_locale(language))


def format_number(value, language=None):
    """A number with the language's grouping and decimal signs: "1 250", "1,250", "1.250".

    In the same CLDR locale as the amounts of helpers/money.py and the key figures of
    home/figures.py (the bare language), so a count and an amount on one page group alike."""
    if value in (None, ""):
        return ""
    locale = Locale.parse(to_locale(language or get_language() or "fr"))
    return babel_numbers.format_decimal(value, locale=locale, numbering_system="default")
