"""The reminder the day before a workshop (workshops/reminders.py), as the scheduler sends it."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from cocity import scheduler
from tests.workshops.test_registration import cancel_link
from workshops import registrations
from workshops.models import Registration, RegistrationStatus, WorkshopPage

pytestmark = pytest.mark.django_db


def starts_in(workshop, hours):
    starts = timezone.now() + datetime.timedelta(hours=hours)
    WorkshopPage.objects.filter(translation_key=workshop.translation_key).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )


def register(workshop, name, email, language="fr", seats=1, days_ago=3):
    registration = registrations.register(
        workshop, name=name, email=email, seats=seats, language=language, notify=False
    )
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return registration


def send(capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("send_workshop_reminders", stdout=out)
    return out.getvalue()


def test_each_confirmed_registrant_is_reminded_once_in_their_language(
    client, workshop, django_capture_on_commit_callbacks
):
    fatou = register(workshop, "Fatou", "fatou@example.org", language="ar", seats=2)
    lea = register(workshop, "Léa", "lea@example.org", language="fr")
    starts_in(workshop, 30)
    assert "queued: 0" in send(django_capture_on_commit_callbacks)  # not yet: 30 h away
    assert mail.outbox == []

    starts_in(workshop, 20)
    assert "queued: 2" in send(django_capture_on_commit_callbacks)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"fatou@example.org", "lea@example.org"}
    arabic = by_address["fatou@example.org"]
    title = WorkshopPage.objects.get(
        translation_key=workshop.translation_key, locale__language_code="ar"
    ).title
    with translation.override("ar"):
        assert arabic.subject == gettext("Reminder: %(title)s") % {"title": title}
    assert arabic.attachments and arabic.attachments[0][2] == "text/calendar"
    # the cancel link in the reminder frees the seat for someone waiting
    assert client.get(cancel_link(arabic)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_link(arabic))
    fatou.refresh_from_db()
    assert fatou.status == RegistrationStatus.CANCELLED
    lea.refresh_from_db()
    assert lea.reminded_at is not None

    mail.outbox.clear()
    assert "queued: 0" in send(django_capture_on_commit_callbacks)  # once only
    assert mail.outbox == []


def test_waiting_cancelled_late_and_phone_registrations_are_not_reminded(
    workshop, django_capture_on_commit_callbacks
):
    workshop.capacity = 4
    workshop.save_revision().publish()
    register(workshop, "Awa", "awa@example.org", seats=2)
    register(workshop, "Omar", "", days_ago=3)  # by phone, no email
    late = register(workshop, "Sami", "sami@example.org", days_ago=0)  # within the window
    assert late.status == RegistrationStatus.CONFIRMED
    waiting = register(workshop, "Zoé", "zoe@example.org")
    assert waiting.status == RegistrationStatus.WAITLISTED
    gone = register(workshop, "Inès", "ines@example.org")
    registrations.cancel(gone)
    starts_in(workshop, 12)
    send(django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["awa@example.org"]]
    late.refresh_from_db()
    assert late.reminded_at is None


def test_a_workshop_that_started_or_was_unpublished_sends_nothing(
    workshop, django_capture_on_commit_callbacks
):
    register(workshop, "Awa", "awa@example.org")
    starts_in(workshop, -1)
    send(django_capture_on_commit_callbacks)
    starts_in(workshop, 5)
    for page in WorkshopPage.objects.filter(translation_key=workshop.translation_key):
        page.unpublish()
    send(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_scheduler_runs_the_reminders_every_ten_minutes():
    job = scheduler.jobs_by_name()["send_workshop_reminders"]
    assert job.command_line == "manage.py send_workshop_reminders"
    with translation.override("en"):
        assert str(job.schedule.describe()) == "every 10 minutes"
