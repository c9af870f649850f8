"""Signed links of an offer of help: its page (what the helper sees after offering, for a
year) and the withdraw link of its emails (valid until the need's date, or a year when it
has none). Both carry only the offer's number, signed (Django's signing, a salt each)."""

import time

from django.core import signing

from .needs import HelpOffer

WITHDRAW_SALT = "campaigns.help.withdraw"
VIEW_SALT = "campaigns.help.offer"
YEAR = 60 * 60 * 24 * 365


class BadLink(Exception):
    """A tampered or unknown link."""


class ExpiredLink(Exception):
    """A genuine link whose time is over (the task has started)."""


def withdraw_token(item):
    need = item.need
    expires = int(need.starts_at.timestamp()) if need.starts_at else int(time.time()) + YEAR
    return signing.dumps({"o": item.pk, "e": expires}, salt=WITHDRAW_SALT, compress=True)


def view_token(item):
    return signing.dumps({"o": item.pk}, salt=VIEW_SALT, compress=True)


def _offer(data):
    item = HelpOffer.objects.select_related("need").filter(pk=data.get("o")).first()
    if item is None:
        raise BadLink
    return item


def offer_from_withdraw_token(token):
    try:
        data = signing.loads(token, salt=WITHDRAW_SALT)
    except signing.BadSignature as error:
        raise BadLink from error
    item = _offer(data)
    if time.time() >= data.get("e", 0):
        raise ExpiredLink
    return item


def offer_from_view_token(token):
    try:
        data = signing.loads(token, salt=VIEW_SALT, max_age=YEAR)
    except signing.BadSignature as error:
        raise BadLink from error
    return _offer(data)
