"""Money in the reader's locale (CLDR via Babel): `1 250 €`, `€1,250`, `12,50 €`; amounts in
euros typed as text, read back as integer cents (``amount_to_cents``, ``AmountField``)."""

import copy
import re
from decimal import Decimal
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from babel import Locale


def format_money(cents, language=None, currency="EUR"):
    """Format an amount in integer cents for ``language`` (default: the active one).

    Whole amounts drop their decimals (`25 €`); others keep two (`12,50 €`).
    """
    return _formatted(int(cents), language or get_language() or "fr", currency)


@lru_cache(maxsize=4096)
def _formatted(cents, language, currency):
    """format_money, remembered per amount, language and currency: Babel parses the locale
    and copies its pattern on every call (about 0.5 ms), and a page shows the same few
    amounts many times (a campaign page's match offer alone formats four)."""
    locale = Locale.parse(to_locale(language))
    pattern = copy.copy(locale.currency_formats["standard"])
    amount = Decimal(int(cents)) / 100
    if amount == amount.to_integral_value():
        pattern.frac_prec = (0, 0)
    return pattern.apply(
        amount, locale, currency=currency, currency_digits=False, numbering_system="default"
    )


# 100 000 €: well above any project the association coaches or any single payment
MAX_AMOUNT_CENTS = 10_000_000
# Spaces people and keyboards put between thousands: space, no-break, narrow no-break, thin
GROUPING = re.compile(r"[\s\u00a0\u202f\u2009'’]")
CURRENCY = re.compile(r"€|EUROS?|EUR")
EURO_AS_POINT = re.compile(r"(?<=\d)€(?=\d{1,2}$)")  # "5€50" is 5,50 €, never 550 €
SEPARATORS = str.maketrans({"\u066b": ",", "\u066c": "", "\uff0c": ",", "\uff0e": "."})
AMOUNT = re.compile(
    # a grouped amount starts with 1-9: "0.001" is not one euro
    r"(?P<whole>\d+|[1-9]\d{0,2}(?P<group>[.,])\d{3}(?:(?P=group)\d{3})*)"
    r"(?:(?P<point>[.,])(?P<decimals>\d{1,2}))?"
)


def amount_to_cents(text):
    """Cents for an amount in euros typed as text, as people write it in any of the site's
    languages: "1500", "1 500", "1.500 €", "1,500", "1500,50", "€1,500.50", "12,5", "5 euros",
    "5€50", "٥٫٥٠" (Arabic-Indic digits: any Unicode decimal digits are read).

    A separator followed by exactly three digits groups thousands; one followed by one or two
    digits is the decimal separator. Raise ValidationError (code "invalid") otherwise.
    (Never an ``<input type=number>``: a French browser reads "5,50" as 550.)"""
    value = GROUPING.sub("", str(text)).upper()
    value = CURRENCY.sub("", EURO_AS_POINT.sub(",", value))
    # Arabic separators, and the full-width ones of a Chinese keyboard
    value = value.translate(SEPARATORS)
    match = AMOUNT.fullmatch(value)
    if match is None or (match["group"] and match["group"] == match["point"]):
        raise ValidationError(
            _("Enter an amount in euros, for example 1 500 or 12,50."), code="invalid"
        )
    euros = int(re.sub(r"[.,]", "", match["whole"]))
    decimals = match["decimals"] or ""
    return euros * 100 + int((decimals + "00")[:2])


class AmountField(forms.CharField):
    """An amount in euros read as text (see amount_to_cents); cleans to integer cents."""

    widget = forms.TextInput

    def __init__(self, *, min_cents=100, max_cents=MAX_AMOUNT_CENTS, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.min_cents, self.max_cents = min_cents, max_cents

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        cents = amount_to_cents(value)
        if cents < self.min_cents:
            raise ValidationError(
                _("Enter at least %(amount)s.") % {"amount": format_money(self.min_cents)},
                code="min_value",
            )
        if cents > self.max_cents:
            raise ValidationError(
                _("Enter at most %(amount)s.") % {"amount": format_money(self.max_cents)},
                code="max_value",
            )
        return cents
