"""The reminder before a workshop: each confirmed registrant with an email gets one, in their
language, WORKSHOP_REMINDER_HOURS (default 24) before the workshop starts, with the calendar
file and the cancel link that frees their seat for someone on the waiting list.

Sent by ``manage.py send_workshop_reminders``, which the scheduler runs every 10 minutes
(cocity/scheduler.py). A registration is claimed with one conditional UPDATE (``reminded_at``
still empty) before its email is queued, so two runs at once, on two nodes, remind it once.
Not reminded: registrations made within the reminder window (their confirmation has just
told them everything), waiting-list and cancelled ones, phone registrations without email,
and workshops that have started or are no longer published.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Registration, RegistrationEmail, RegistrationStatus, WorkshopPage
from .tasks import send_registration_email


def due(now=None):
    """The registrations whose reminder is due now."""
    now = now or timezone.now()
    window = datetime.timedelta(hours=settings.WORKSHOP_REMINDER_HOURS)
    # .live(), not .public(): a workshop in a private section still has registrants to remind
    # (they reached it with its password or link); nothing here is shown to the public.
    soon = WorkshopPage.objects.live().filter(starts_at__gt=now, starts_at__lte=now + window)
    starts = dict(soon.values_list("translation_key", "starts_at"))
    candidates = Registration.objects.filter(
        workshop_key__in=starts,
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
    ).exclude(email="")
    return [
        registration
        for registration in candidates.order_by("pk")
        # made before the window opened: otherwise the confirmation was the reminder
        if registration.created_at <= starts[registration.workshop_key] - window
    ]


def send_due(now=None):
    """Queue the reminders that are due; returns how many this run claimed."""

    now = now or timezone.now()
    sent = 0
    for registration in due(now):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                sent += 1
                transaction.on_commit(
                    lambda pk=registration.pk: send_registration_email.enqueue(
                        pk, RegistrationEmail.REMINDER
                    )
                )
    return sent
