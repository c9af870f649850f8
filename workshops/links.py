"""Signed links of a registration: its confirmation page and the cancel link of its emails.

The cancel link is valid until the workshop starts; the confirmation page's for a year. Both
carry only the registration's number, signed (Django's signing, a salt each).
"""

import time

from django.core import signing

from .models import Registration

CANCEL_SALT = "workshops.cancel"
VIEW_SALT = "workshops.registration"


def cancel_token(registration, workshop):
    """A link to cancel, valid until the workshop starts."""
    expires = int(workshop.starts_at.timestamp())
    return signing.dumps({"r": registration.pk, "e": expires}, salt=CANCEL_SALT, compress=True)


def view_token(registration):
    return signing.dumps({"r": registration.pk}, salt=VIEW_SALT, compress=True)


class BadLink(Exception):
    """A tampered or unknown link."""


class ExpiredLink(Exception):
    """A genuine link whose time is over (the workshop has started)."""


def registration_from_cancel_token(token):
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature as error:
        raise BadLink from error
    registration = Registration.objects.filter(pk=data.get("r")).first()
    if registration is None:
        raise BadLink
    if time.time() >= data.get("e", 0):
        raise ExpiredLink
    return registration


def registration_from_view_token(token):
    try:
        data = signing.loads(token, salt=VIEW_SALT, max_age=60 * 60 * 24 * 365)
    except signing.BadSignature as error:
        raise BadLink from error
    registration = Registration.objects.filter(pk=data.get("r")).first()
    if registration is None:
        raise BadLink
    return registration
