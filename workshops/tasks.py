"""Emails to registrants, in their language, sent after the registration is saved."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from helpers.email_retry import email_task
from helpers.emails import render_subject, render_text

from .calendar import calendar_for
from .links import cancel_token
from .models import Registration, RegistrationEmail, WorkshopPage


def _absolute(path, workshop):
    site = workshop.get_site()
    return site.root_url + path if site else path


@email_task()
def send_registration_email(registration_id, kind):
    """Email the registrant: "confirmed" (with the .ics), "waitlisted", "promoted" (a seat
    became free: now confirmed, with the .ics) or "reminder" (the day before, with the .ics;
    workshops/reminders.py). Returns True when sent."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None or not registration.email or kind not in RegistrationEmail.values:
        return False
    kind = RegistrationEmail(kind)
    if registration.status != kind.status:
        return False  # changed since (cancelled, promoted): this email would be wrong
    with translation.override(registration.language):
        pages = WorkshopPage.objects.live().filter(translation_key=registration.workshop_key)
        workshop = (
            pages.filter(locale__language_code=registration.language).first() or pages.first()
        )
        if workshop is None:
            return False
        cancel_path = reverse(
            "workshops:cancel", kwargs={"token": cancel_token(registration, workshop)}
        )
        context = {
            "registration": registration,
            "workshop": workshop,
            "workshop_url": workshop.get_full_url(),
            "cancel_url": _absolute(cancel_path, workshop),
            "kind": kind,
        }
        subject = render_subject("workshops/email/subject.txt", context)
        body = render_text("workshops/email/registration.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
        if kind != RegistrationEmail.WAITLISTED:
            message.attach(f"{workshop.slug}.ics", calendar_for([workshop], None), "text/calendar")
    message.send()
    return True
