"""The association's key figures, computed, never typed by hand (docs/operations.md,
"Impact figures").

home/ cannot import the campaign app that computes them, so the campaign app registers its
computation here from its AppConfig.ready() (``register_figures(impact_figures)``). The home
page's key figures, the impact page and open data all read that one computation, remembered
for the rest of a request so a page that shows six figures computes them once.

Each figure a key figure block may show is named in ``FIGURES``: what it counts (shown to
editors) and how its value is written (a percentage, a number, an amount of money), always in
the reader's language.
"""

from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from babel.numbers import format_decimal, format_percent

from helpers.money import format_money

PERCENT, NUMBER, MONEY = "percent", "number", "money"

# name → (what it counts, for editors; kind; key of the provider's dict)
FIGURES = {
    "success_rate": (_("Success rate of the closed campaigns"), PERCENT, "success_rate"),
    "campaigns_funded": (_("Campaigns funded"), NUMBER, "campaigns_funded"),
    "closed_count": (_("Campaigns closed"), NUMBER, "closed_count"),
    "people": (_("People who gave"), NUMBER, "people"),
    "districts": (_("Districts with a campaign"), NUMBER, "districts"),
    "raised": (_("Money raised (gifts and sponsors' matches)"), MONEY, "raised_cents"),
    "given": (_("Money given by residents"), MONEY, "given_cents"),
    "matched": (_("Money matched by sponsors"), MONEY, "matched_cents"),
    "online": (_("Money given online"), MONEY, "online_cents"),
    "offline": (_("Money given by cash, cheque or transfer"), MONEY, "offline_cents"),
    "helpers": (_("People who help (time or things)"), NUMBER, "helpers"),
    "hours_offered": (_("Hours of help offered"), NUMBER, "hours_offered"),
    "things_lent": (_("Things lent or given"), NUMBER, "things_lent"),
}

_provider = None
REQUEST_MEMO = "_cocity_figures"


def register_figures(provider):
    """Register ``provider()``, returning the figures as a dict (campaigns.impact
    ``impact_figures``: keys in the third column of FIGURES); called from an AppConfig.ready()."""
    global _provider
    _provider = provider


def choices():
    """(name, label) of every figure, for the key figure block's menu."""
    return [(name, label) for name, (label, _kind, _key) in FIGURES.items()]


def figures(request=None):
    """The registered provider's figures; computed once per ``request`` (in the request's
    language: district names depend on it), every time without one. {} with no provider."""
    if _provider is None:
        return {}
    if request is None:
        return _provider()
    memo = getattr(request, REQUEST_MEMO, None)
    if memo is None:
        memo = {}
        setattr(request, REQUEST_MEMO, memo)
    language = get_language()
    if language not in memo:
        memo[language] = _provider()
    return memo[language]


def _locale():
    return to_locale(get_language() or "fr")


def format_percent_value(rate):
    """A rate between 0 and 1 as a whole percentage in the reader's locale: "94 %", "94%"."""
    return format_percent(rate, locale=_locale(), numbering_system="default")


def format_number(number):
    """A whole number in the reader's locale: "1 234", "1,234"."""
    return format_decimal(number, locale=_locale(), numbering_system="default")


def format_whole_money(cents):
    """An amount rounded to the euro in the reader's locale: "1 235 €", "€1,235"."""
    return format_money(round(cents / 100) * 100)


FORMATTERS = {PERCENT: format_percent_value, NUMBER: format_number, MONEY: format_whole_money}


def figure_value(name, request=None):
    """The figure ``name`` written in the reader's language, or "" when it is unknown (a name
    not in FIGURES, no provider) or not known yet (a success rate before any campaign closed)."""
    if name not in FIGURES:
        return ""
    _label, kind, key = FIGURES[name]
    value = figures(request).get(key)
    if value is None:
        return ""
    return FORMATTERS[kind](value)
