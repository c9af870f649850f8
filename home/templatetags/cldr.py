"""Dates, times and numbers in the reader's language (CLDR via Babel, helpers/formats.py), and
user text isolated for right-to-left pages: ``{% load cldr %}``.

    {{ story.date|day }}              7 décembre 2026 · 7 ديسمبر 2026 · 2026年12月7日
    {{ story.date|day:"full" }}       lundi 7 décembre 2026 · 2026年12月7日星期一
    {{ deadline|datetime }}           7 décembre 2026, 18:30 · 2026年12月7日 18:30
    {{ starts_at|time }}              18:30 · 6:30 م
    {{ starts_at|when:ends_at }}      lundi 7 décembre 2026, 18:30 – 20:00
    {{ count|number }}                1 250 · 1,250
    {% blocktranslate with name=leader.name|bdi %}Hello {{ name }}!{% endblocktranslate %}
"""

from django import template
from django.utils.html import format_html

from helpers import formats

register = template.Library()


@register.filter
def day(value, length="long"):
    """A date (or the Paris day of a datetime) in the active language."""
    return formats.format_day(value, length=length)


@register.filter
def datetime(value, length="long"):
    """A day and a time in Paris, in the active language."""
    return formats.format_datetime(value, length=length)


@register.filter
def time(value):
    """A time of day in Paris, in the active language."""
    return formats.format_time(value)


@register.filter
def when(start, end=None):
    """The weekday, day and times of an event in Paris: ``{{ starts_at|when:ends_at }}``."""
    return formats.format_when(start, end)


@register.filter
def number(value):
    """A number in the active language."""
    return formats.format_number(value)


@register.filter
def bdi(value):
    """``value`` (escaped) in a ``<bdi>``: a name or other user text inside a sentence keeps
    its own direction ("Awa D.!" in an Arabic sentence, not "!.Awa D"). "" stays ""."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)
