"""The impact page's charts: horizontal bars drawn on the server as inline SVG, with the
same figures as a table under them (no JavaScript), mirrored for right-to-left languages."""

from django import template
from django.utils.translation import get_language_bidi

from helpers.money import format_money
from home import figures

register = template.Library()

# Geometry in SVG user units: the chart scales to the width of its container.
# 340 units: about the width of a phone's screen, so that its text reads at about its size
# in CSS pixels there (site.css caps the chart's width on wider screens).
WIDTH = 340
BAR_SPAN = 210  # the longest bar; the rest of the row is left for its amount
LABEL_BASELINE = 17
BAR_TOP = 24
BAR_HEIGHT = 18
ROW_HEIGHT = 54
VALUE_GAP = 6


def coordinate(number):
    """A coordinate as SVG reads it, never localized ("12.5", not "12,5")."""
    return f"{round(number, 1):g}"


def bar_geometry(rows, rtl=False):
    """The bars of ``rows`` [(label, cents)], in their order: dicts of label, value (money in
    the reader's language) and coordinates as strings (label_x, label_y, x, y, width,
    height, value_x, value_y). Bars start at the left edge, or at the right one when ``rtl``:
    text is anchored at its start, which a right-to-left direction puts on the right."""
    largest = max((cents for _label, cents in rows), default=0)
    bars = []
    for index, (label, cents) in enumerate(rows):
        width = BAR_SPAN * max(cents, 0) / largest if largest > 0 else 0
        top = index * ROW_HEIGHT
        geometry = {
            "label_x": WIDTH if rtl else 0,
            "label_y": top + LABEL_BASELINE,
            "x": WIDTH - width if rtl else 0,
            "y": top + BAR_TOP,
            "width": width,
            "height": BAR_HEIGHT,
            "value_x": WIDTH - width - VALUE_GAP if rtl else width + VALUE_GAP,
            "value_y": top + BAR_TOP + BAR_HEIGHT - 4,
        }
        bars.append(
            {
                "label": label,
                "value": format_money(cents),
                **{name: coordinate(number) for name, number in geometry.items()},
            }
        )
    return bars


@register.inclusion_tag("campaigns/includes/impact_chart.html")
def impact_chart(rows, chart_id, title, label_header):
    """A bar chart of ``rows`` [(label, cents)] titled ``title``, and the same rows as a
    table whose first column is headed ``label_header``; ``chart_id`` makes its ids unique."""
    rows = [(str(label), cents) for label, cents in rows]
    rtl = get_language_bidi()
    return {
        "rows": rows,
        "bars": bar_geometry(rows, rtl=rtl),
        "chart_id": chart_id,
        "title": title,
        "label_header": label_header,
        "direction": "rtl" if rtl else "ltr",
        "width": coordinate(WIDTH),
        "height": coordinate(max(len(rows), 1) * ROW_HEIGHT),
    }


@register.filter
def percent(rate):
    """A rate between 0 and 1 as a percentage in the reader's language; "" for None."""
    return "" if rate is None else figures.format_percent_value(rate)


@register.filter
def number(value):
    """A whole number in the reader's language: 1 234, 1,234."""
    return figures.format_number(value)


@register.simple_tag
def impact_sources(impact, online, offline, matched):
    """[(label, cents)] of the money raised by where it came from: online gifts, offline
    gifts, sponsors' matches (``online``, ``offline``, ``matched``: their labels)."""
    return [
        (online, impact["online_cents"]),
        (offline, impact["offline_cents"]),
        (matched, impact["matched_cents"]),
    ]
