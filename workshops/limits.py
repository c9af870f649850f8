"""How many registrations the public form accepts, so that a community centre can use it.

A social worker registers many residents in a row from one connection, so the address alone
says little. What is counted is ACCEPTED registrations (a form with errors never counts):

- per email address and per phone number, for one workshop (the registrations in the
  database: settings.REGISTRATION_LIMIT_PER_CONTACT_PER_WORKSHOP);
- per email address and per phone number across workshops, in a window
  (settings.REGISTRATION_LIMIT_PER_CONTACT, (registrations, seconds)): no address is sent
  confirmation after confirmation;
- per IP address, a generous safety net (settings.REGISTRATION_LIMIT_PER_IP).

Every submission, failed or not, also counts towards settings.REGISTRATION_POSTS_PER_IP
(the view's decorator): a flood, not a busy desk. The workshop's capacity and waiting list
limit the seats. Staff registering by phone in the admin (workshops/admin_views.py) never
pass through here.
"""

import math
from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import ngettext

from helpers.ratelimit import client_ip, hit, refund

from .models import Registration, RegistrationSource, RegistrationStatus

SCOPE_CONTACT = "workshops.register.contact"
SCOPE_IP = "workshops.register.accepted"


class LimitReached(Exception):
    """Not accepted: ``message`` says why and what to do; ``retry_after`` is the seconds to
    wait (None when waiting does not help)."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


def contacts(email, phone):
    """The keys an email address and a phone number are counted under ("06 12 34 56 78"
    and "0612345678" are one number; case does not matter in an address)."""
    keys = []
    if email:
        keys.append(f"email:{email.strip().casefold()}")
    digits = "".join(c for c in phone or "" if c.isdigit())
    if digits:
        keys.append(f"phone:{digits}")
    return keys


def registrations_for(workshop, keys):
    """How many registrations (online, not cancelled) of ``workshop`` use one of ``keys``."""
    rows = (
        Registration.objects.filter(
            workshop_key=workshop.translation_key, source=RegistrationSource.ONLINE
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("email", "phone")
    )
    wanted = set(keys)
    return sum(1 for email, phone in rows if wanted & set(contacts(email, phone)))


@contextmanager
def accepting(request, workshop, email, phone):
    """Count one accepted registration of ``workshop`` for this visitor and contact, or
    raise LimitReached (nothing counted).

    Counted before registering, so that parallel submissions cannot slip past a limit; if
    the body of the ``with`` raises (the registration was not accepted after all), every
    count is taken back."""
    keys = contacts(email, phone)
    per_workshop = settings.REGISTRATION_LIMIT_PER_CONTACT_PER_WORKSHOP
    if registrations_for(workshop, keys) >= per_workshop:
        raise LimitReached(
            ngettext(
                "This email address or phone number is already used by %(count)s "
                "registration for this workshop. To register someone else, give their own "
                "email address or phone number, or call us.",
                "This email address or phone number is already used by %(count)s "
                "registrations for this workshop. To register someone else, give their own "
                "email address or phone number, or call us.",
                per_workshop,
            )
            % {"count": per_workshop}
        )
    counted = []
    try:
        limit, window = settings.REGISTRATION_LIMIT_PER_IP
        _count(SCOPE_IP, client_ip(request), limit, window, counted, _ip_message)
        limit, window = settings.REGISTRATION_LIMIT_PER_CONTACT
        for key in keys:
            _count(SCOPE_CONTACT, key, limit, window, counted, _contact_message)
        yield
    except BaseException:
        for scope, key, seconds in counted:
            refund(scope, key, seconds)
        raise


def _count(scope, key, limit, window, counted, message):
    retry_after = hit(scope, key, limit, window)
    if retry_after:
        refund(scope, key, window)  # a refused attempt is not an accepted registration
        raise LimitReached(message(retry_after), retry_after)
    counted.append((scope, key, window))


def _minutes(seconds):
    return max(1, math.ceil(seconds / 60))


def _contact_message(retry_after):
    minutes = _minutes(retry_after)
    return ngettext(
        "This email address or phone number has registered many people in a short while. "
        "Try again in %(minutes)s minute, or call us: we will register them.",
        "This email address or phone number has registered many people in a short while. "
        "Try again in %(minutes)s minutes, or call us: we will register them.",
        minutes,
    ) % {"minutes": minutes}


def _ip_message(retry_after):
    minutes = _minutes(retry_after)
    return ngettext(
        "Many registrations came from your connection in a short while. Try again in "
        "%(minutes)s minute, or call us: we will register them.",
        "Many registrations came from your connection in a short while. Try again in "
        "%(minutes)s minutes, or call us: we will register them.",
        minutes,
    ) % {"minutes": minutes}
