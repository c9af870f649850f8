"""Money in the reader's locale (CLDR via Babel): `1 250 €`, `€1,250`, `12,50 €`."""

import copy
from decimal import Decimal

from django.utils.translation import get_language, to_locale

from babel import Locale


def format_money(cents, language=None, currency="EUR"):
    """Format an amount in integer cents for ``language`` (default: the active one).

    Whole amounts drop their decimals (`25 €`); others keep two (`12,50 €`).
    """
    locale = Locale.parse(to_locale(language or get_language() or "fr"))
    pattern = copy.copy(locale.currency_formats["standard"])
    amount = Decimal(int(cents)) / 100
    if amount == amount.to_integral_value():
        pattern.frac_prec = (0, 0)
    return pattern.apply(
        amount, locale, currency=currency, currency_digits=False, numbering_system="default"
    )
