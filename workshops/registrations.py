"""The only code that changes a workshop's seats: register, cancel, promote.

Each operation runs in one transaction that starts by updating the workshop's WorkshopSeats
row. That UPDATE takes the row lock on PostgreSQL and the database write lock on SQLite, so
two registrations of the same workshop never decide on the same free seats: the second one
waits, then sees the first. Emails leave only after the transaction commits.

The waiting list is first come, first served: while anyone is waiting, newcomers wait too,
and freed seats go to the oldest waiting registration that fits (never past it).
"""

import contextlib

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from wagtail.models import Page

from . import history
from .models import (
    Registration,
    RegistrationEmail,
    RegistrationSource,
    RegistrationStatus,
    WorkshopPage,
    WorkshopSeats,
)
from .tasks import send_registration_email


class RegistrationClosed(Exception):
    """The workshop does not take registrations (past, deadline passed, closed by staff)."""


class NotEnoughSeats(Exception):
    """Staff tried to confirm a waiting registration that does not fit in the room."""


def _lock(workshop_key):
    """Lock the workshop's seat row (creating it the first time) and return it fresh."""
    # IntegrityError: created meanwhile by a concurrent first registration
    with contextlib.suppress(IntegrityError):
        WorkshopSeats.objects.get_or_create(workshop_key=workshop_key)
    WorkshopSeats.objects.filter(workshop_key=workshop_key).update(version=models.F("version") + 1)
    return WorkshopSeats.objects.get(workshop_key=workshop_key)


def _waiting(workshop_key):
    return Registration.objects.filter(
        workshop_key=workshop_key, status=RegistrationStatus.WAITLISTED
    ).order_by("created_at", "pk")


def register(
    workshop, *, name, seats, language, email="", phone="", needs="", staff=None, notify=True
):
    """Register for ``workshop`` (a WorkshopPage, in the registrant's language).

    Returns the Registration: confirmed if the seats are free and nobody is waiting, else
    on the waiting list. Raises RegistrationClosed when the workshop takes no registrations
    (staff may still register people for a workshop that is full or closed online, but
    never for one that has started). With ``notify`` (the default) the registrant is
    emailed once the transaction commits; the demo data passes False.
    """
    state = workshop.registration_state
    if state in ("past",) or (staff is None and state not in ("open", "waitlist")):
        raise RegistrationClosed(state)
    if staff is not None and workshop.starts_at <= timezone.now():
        raise RegistrationClosed("past")
    key = workshop.translation_key
    with transaction.atomic():
        counter = _lock(key)
        fits = seats <= workshop.capacity - counter.taken
        confirmed = fits and not _waiting(key).exists()
        registration = Registration.objects.create(
            workshop_key=key,
            workshop=workshop,
            name=name,
            email=email,
            phone=phone,
            seats=seats,
            language=language,
            accessibility_needs=needs,
            status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
            confirmed_at=timezone.now() if confirmed else None,
            source=RegistrationSource.PHONE if staff is not None else RegistrationSource.ONLINE,
            taken_by=staff,
        )
        if confirmed:
            counter.taken += seats
            counter.save(update_fields=["taken"])
        if staff is not None:
            history.record(registration, history.PHONE, user=staff)
        if notify:
            _notify(
                registration,
                RegistrationEmail.CONFIRMED if confirmed else RegistrationEmail.WAITLISTED,
            )
    return registration


def cancel(registration, user=None):
    """Cancel ``registration`` (idempotent) and give its seats to those waiting. ``user``:
    the staff member who cancelled it (None: the registrant, with the email's link).

    Returns the registrations promoted from the waiting list (already emailed on commit).
    """

    with transaction.atomic():
        counter = _lock(registration.workshop_key)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        if registration.status == RegistrationStatus.CONFIRMED:
            counter.taken -= registration.seats
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        by = "staff" if user is not None else "registrant"
        history.record(registration, history.CANCELLED, user=user, by=by)
        workshop = Page.objects.filter(translation_key=registration.workshop_key).first()
        # a workshop deleted meanwhile: the cancellation stands, nobody is moved into it
        promoted = [] if workshop is None else _promote_waiting(counter, workshop.specific.capacity)
        counter.save(update_fields=["taken"])
    return promoted


def fill_from_waiting_list(workshop):
    """Confirm waiting registrations that now fit (after staff raised the capacity)."""
    with transaction.atomic():
        counter = _lock(workshop.translation_key)
        promoted = _promote_waiting(counter, workshop.capacity)
        counter.save(update_fields=["taken"])
    return promoted


def confirm_waiting(registration, workshop, user=None):
    """Staff move one waiting registration into the room, out of turn if they choose to.

    Raises NotEnoughSeats when it does not fit: raise the capacity first.
    """
    with transaction.atomic():
        counter = _lock(registration.workshop_key)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != RegistrationStatus.WAITLISTED:
            return registration
        if registration.seats > workshop.capacity - counter.taken:
            raise NotEnoughSeats
        _confirm(registration, counter)
        counter.save(update_fields=["taken"])
        history.record(registration, history.CONFIRMED, user=user)
    return registration


def _promote_waiting(counter, capacity):
    promoted = []
    for waiting in _waiting(counter.workshop_key):
        if waiting.seats > capacity - counter.taken:
            break  # first come, first served: nobody overtakes the head of the list
        _confirm(waiting, counter)
        history.record(waiting, history.PROMOTED, by="waiting list")
        promoted.append(waiting)
    return promoted


def _confirm(registration, counter):
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    counter.taken += registration.seats
    _notify(registration, RegistrationEmail.PROMOTED)


def _notify(registration, kind):
    if not registration.email:
        return

    def send():
        send_registration_email.enqueue(registration.pk, kind)

    transaction.on_commit(send)


def on_workshop_published(sender, instance, **kwargs):
    """page_published: after staff raise the capacity, the people waiting who now fit are
    confirmed (and emailed). Harmless when nothing changed."""

    if isinstance(instance, WorkshopPage) and _waiting(instance.translation_key).exists():
        fill_from_waiting_list(instance)
