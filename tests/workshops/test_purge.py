"""Registrations' personal data are purged WORKSHOP_PERSONAL_DATA_MONTHS after the workshop
(`manage.py purge_registrations`, daily, or the task): only then, and only once."""

import datetime
import io
import uuid

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page

import pytest

from workshops.factories import WorkshopPageFactory
from workshops.models import Registration, RegistrationStatus
from workshops.personal_data import purge_registrations

NOW = timezone.now()


def ended(workshop, days_ago):
    """Move ``workshop`` (every language) so that it ended ``days_ago`` days ago."""
    ends_at = NOW - datetime.timedelta(days=days_ago)
    pages = Page.objects.filter(translation_key=workshop.translation_key)
    workshop.__class__.objects.filter(pk__in=pages.values("pk")).update(
        starts_at=ends_at - datetime.timedelta(hours=2), ends_at=ends_at
    )


def registration(workshop_key, name, created_days_ago=0):
    item = Registration.objects.create(
        workshop_key=workshop_key,
        name=name,
        email=f"{name.lower()}@example.org",
        phone="06 12 34 56 78",
        accessibility_needs="Fauteuil roulant",
        seats=2,
        language="fr",
        status=RegistrationStatus.CONFIRMED,
    )
    created_at = NOW - datetime.timedelta(days=created_days_ago)
    Registration.objects.filter(pk=item.pk).update(created_at=created_at)
    return item


def purge_command():
    out = io.StringIO()
    call_command("purge_registrations", stdout=out)
    return out.getvalue()


def personal(item):
    item.refresh_from_db()
    return (item.name, item.email, item.phone, item.accessibility_needs)


ERASED = ("", "", "", "")


@pytest.fixture
def workshops(workshop_index):
    old = WorkshopPageFactory(parent=workshop_index, title="Atelier de mars")
    recent = WorkshopPageFactory(parent=workshop_index, title="Atelier de juin")
    upcoming = WorkshopPageFactory(parent=workshop_index, title="Atelier de décembre")
    ended(old, days_ago=7 * 31)  # seven months ago
    ended(recent, days_ago=5 * 30)  # five months ago
    return old, recent, upcoming


def test_purged_months_after_the_workshop_only_and_once(settings, workshops):
    settings.WORKSHOP_PERSONAL_DATA_MONTHS = 6
    old, recent, upcoming = workshops
    purged = registration(old.translation_key, "Awa", created_days_ago=250)
    kept_recent = registration(recent.translation_key, "Bruno", created_days_ago=300)
    kept_upcoming = registration(upcoming.translation_key, "Chen", created_days_ago=400)
    orphan_old = registration(uuid.uuid4(), "Dalia", created_days_ago=200)
    orphan_recent = registration(uuid.uuid4(), "Emeka", created_days_ago=100)

    assert purge_command().strip() == "2 registration(s) purged."
    assert personal(purged) == ERASED
    assert personal(orphan_old) == ERASED
    for item in (kept_recent, kept_upcoming, orphan_recent):
        assert personal(item)[0] and personal(item)[1]
    purged.refresh_from_db()
    assert (purged.seats, purged.status) == (2, RegistrationStatus.CONFIRMED)

    # idempotent: nothing more to purge
    assert purge_command().strip() == "0 registration(s) purged."

    # a shorter period reaches the workshop of five months ago (and nothing upcoming)
    settings.WORKSHOP_PERSONAL_DATA_MONTHS = 4
    assert purge_command().strip() == "1 registration(s) purged."
    assert personal(kept_recent) == ERASED
    assert personal(kept_upcoming)[0] == "Chen"


def test_the_daily_task_purges_too(settings, workshops):
    settings.WORKSHOP_PERSONAL_DATA_MONTHS = 6
    old, _recent, _upcoming = workshops
    item = registration(old.translation_key, "Farid")
    result = purge_registrations.enqueue()
    assert result.return_value == 1
    assert personal(item) == ERASED
    assert purge_registrations.enqueue().return_value == 0
