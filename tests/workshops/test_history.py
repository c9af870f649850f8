"""Registrations in Wagtail's history log (workshops/history.py): a phone registration, a
cancellation by staff or with the email's link, a confirmation from the waiting list and a
move into a freed seat each leave one entry, with who acted and never a name, an email or a
phone number."""

import json

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from workshops import history, links, registrations
from workshops.models import Registration, RegistrationStatus, WorkshopPage

pytestmark = pytest.mark.django_db

PERSONAL = ["Moussa Keita", "moussa@example.org", "06 11 22 33 44", "Awa Ba", "awa@example.org"]


def url(name, workshop, registration=None):
    args = [workshop.pk] if registration is None else [workshop.pk, registration.pk]
    return reverse(f"workshop_registrations:{name}", args=args)


def set_capacity(workshop, capacity):
    WorkshopPage.objects.filter(translation_key=workshop.translation_key).update(capacity=capacity)
    workshop.capacity = capacity


def entries(registration):
    return list(ModelLogEntry.objects.for_instance(registration).order_by("timestamp", "pk"))


def assert_no_personal_data(entry):
    kept = entry.label + json.dumps(entry.data, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in kept, (entry.action, kept)


def test_staff_phone_registration_cancel_and_confirm_are_logged(admin, admin_user, workshop):
    set_capacity(workshop, 2)
    response = admin.post(
        url("add", workshop),
        {
            "name": "Moussa Keita",
            "email": "moussa@example.org",
            "phone": "06 11 22 33 44",
            "seats": "2",
            "language": "fr",
            "accessibility_needs": "",
        },
    )
    assert response.status_code == 302
    moussa = Registration.objects.get(name="Moussa Keita")
    # the room is full now: Awa waits (online, so no entry for her registration)
    awa = registrations.register(
        workshop, name="Awa Ba", seats=1, language="fr", email="awa@example.org"
    )
    assert awa.status == RegistrationStatus.WAITLISTED
    assert entries(awa) == []

    (taken,) = entries(moussa)
    assert (taken.action, taken.user_id, taken.label) == (
        history.PHONE,
        admin_user.pk,
        f"#{moussa.pk}",
    )
    assert taken.data == {
        "workshop_key": str(workshop.translation_key),
        "seats": 2,
        "status": "confirmed",
        "by": "staff",
    }

    # staff cancel Moussa: Awa, first in line, moves into the freed seats
    assert admin.post(url("cancel", workshop, moussa)).status_code == 302
    cancelled = entries(moussa)[-1]
    assert (cancelled.action, cancelled.user_id, cancelled.data["by"]) == (
        history.CANCELLED,
        admin_user.pk,
        "staff",
    )
    (moved,) = entries(awa)
    # the staff member whose cancellation freed the seats (Wagtail's log context)
    assert (moved.action, moved.user_id, moved.data["by"]) == (
        history.PROMOTED,
        admin_user.pk,
        "waiting list",
    )

    for entry in ModelLogEntry.objects.filter(action__startswith="workshops."):
        assert_no_personal_data(entry)

    # the site history shows them, named in the staff member's language (the messages of
    # the actions above, which name people to staff, shown first)
    admin.get(url("workshop", workshop))
    report = admin.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Registered by phone" in report and "Moved from the waiting list" in report
    for value in PERSONAL:
        assert value not in report


def test_a_confirmation_from_the_waiting_list_is_logged(admin, admin_user, workshop):
    set_capacity(workshop, 1)
    registrations.register(workshop, name="Moussa Keita", seats=1, language="fr")
    awa = registrations.register(workshop, name="Awa Ba", seats=1, language="fr")
    set_capacity(workshop, 3)
    # staff move her in out of turn, after raising the capacity without publishing
    assert admin.post(url("confirm", workshop, awa)).status_code == 302
    (confirmed,) = entries(awa)
    assert (confirmed.action, confirmed.user_id, confirmed.data["status"]) == (
        history.CONFIRMED,
        admin_user.pk,
        "confirmed",
    )
    assert_no_personal_data(confirmed)


def test_the_registrant_s_own_cancellation_is_logged_without_a_user(client, workshop):
    moussa = registrations.register(
        workshop, name="Moussa Keita", seats=1, language="fr", email="moussa@example.org"
    )
    token = links.cancel_token(moussa, workshop)
    response = client.post(reverse("workshops:cancel", kwargs={"token": token}))
    assert response.status_code == 200
    (cancelled,) = entries(moussa)
    assert (cancelled.action, cancelled.user_id, cancelled.data["by"]) == (
        history.CANCELLED,
        None,
        "registrant",
    )
    assert_no_personal_data(cancelled)
    # cancelling again changes nothing and logs nothing
    client.post(reverse("workshops:cancel", kwargs={"token": token}))
    assert len(entries(moussa)) == 1
