"""Registering, the waiting list, cancelling by the emailed link, and bad input."""

import datetime
import re

from django.core import mail, signing
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from workshops import links, registrations
from workshops.models import Registration, RegistrationStatus, WorkshopSeats

pytestmark = pytest.mark.django_db


def register_url(workshop, lang="fr"):
    return f"/{lang}/workshops/{workshop.pk}/register/"


def post(client, workshop, data, lang="fr", capture=None):
    if capture is None:
        return client.post(register_url(workshop, lang), data)
    with capture(execute=True):
        return client.post(register_url(workshop, lang), data)


def cancel_link(message):
    return re.search(r"https?://[^/\s]+(/\S+/workshops/cancel/\S+/)", message.body).group(1)


def test_register_confirms_and_emails_in_the_registrants_language(
    client, workshop, registration_data, django_capture_on_commit_callbacks
):
    response = post(client, workshop, registration_data, "fr", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.seats == 2
    assert registration.workshop_key == workshop.translation_key
    assert WorkshopSeats.objects.get().taken == 2

    page = client.get(response["Location"])
    assert page.status_code == 200 and "Atelier des idées" in page.content.decode()

    (message,) = mail.outbox
    assert message.to == ["fatou@example.org"]
    assert "مرحب" in message.body  # Arabic, the language the registrant chose
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())
    assert "/workshops/cancel/" in message.body


def test_a_full_workshop_puts_people_on_the_waiting_list_in_order(client, workshop):
    workshop.capacity = 3
    workshop.save_revision().publish()
    first = registrations.register(workshop, name="A", seats=2, language="fr", phone="0601")
    second = registrations.register(workshop, name="B", seats=2, language="fr", phone="0602")
    third = registrations.register(workshop, name="C", seats=1, language="fr", phone="0603")
    assert first.status == RegistrationStatus.CONFIRMED
    # B does not fit; C would, but nobody overtakes the waiting list
    assert second.status == third.status == RegistrationStatus.WAITLISTED
    assert workshop.registration_state == "open"  # one seat left, yet people wait
    assert "1" in client.get(workshop.get_url()).content.decode()


def test_cancelling_by_the_emailed_link_promotes_the_first_waiting(
    client, workshop, registration_data, django_capture_on_commit_callbacks
):
    workshop.capacity = 2
    workshop.save_revision().publish()
    post(client, workshop, registration_data, "fr", django_capture_on_commit_callbacks)
    waiting_data = {**registration_data, "name": "Léa", "email": "lea@example.org"}
    waiting_data.update(seats="1", language="fr")
    post(client, workshop, waiting_data, "fr", django_capture_on_commit_callbacks)
    later = {**waiting_data, "name": "Zoé", "email": "zoe@example.org"}
    post(client, workshop, later, "fr", django_capture_on_commit_callbacks)
    lea = Registration.objects.get(name="Léa")
    assert lea.status == RegistrationStatus.WAITLISTED
    assert "attente" in mail.outbox[1].subject.lower()  # told she is waiting, in French
    link = cancel_link(mail.outbox[0])
    mail.outbox.clear()

    # GET only asks (mail scanners open links); POST cancels
    page = client.get(link)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert Registration.objects.get(name="Fatou Diop").status == RegistrationStatus.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 200
    assert Registration.objects.get(name="Fatou Diop").status == RegistrationStatus.CANCELLED
    lea.refresh_from_db()
    assert lea.status == RegistrationStatus.CONFIRMED
    # Zoé fits too (2 seats were freed) and is next in line
    assert Registration.objects.get(name="Zoé").status == RegistrationStatus.CONFIRMED
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.org", "zoe@example.org"]
    assert all(m.attachments for m in mail.outbox)
    assert WorkshopSeats.objects.get().taken == 2

    # cancelling twice changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(link)
    assert again.status_code == 200 and not mail.outbox[2:]
    assert WorkshopSeats.objects.get().taken == 2


def test_tampered_and_expired_cancel_links_are_refused(client, workshop):
    registration = registrations.register(
        workshop, name="Awa", seats=1, language="ar", email="awa@example.org"
    )
    token = links.cancel_token(registration, workshop)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(f"/ar/workshops/cancel/{tampered}/")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.post(f"/ar/workshops/cancel/{tampered}/").status_code == 400
    forged = signing.dumps({"r": registration.pk, "e": 9999999999}, salt="another.salt")
    assert client.post(f"/fr/workshops/cancel/{forged}/").status_code == 400

    expired = signing.dumps(
        {"r": registration.pk, "e": int(timezone.now().timestamp()) - 60},
        salt=links.CANCEL_SALT,
        compress=True,
    )
    response = client.post(f"/fr/workshops/cancel/{expired}/")
    assert response.status_code == 400
    assert "expir" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert client.get("/fr/workshops/registration/not-a-token/").status_code == 400


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"seats": "0"}, "seats", "Choisissez entre 1 et 5 places."),
        ({"seats": "6"}, "seats", "Choisissez entre 1 et 5 places."),
        ({"seats": "deux"}, "seats", "Choisissez entre 1 et 5 places."),
        ({"email": "", "phone": ""}, None, "une adresse e-mail ou un numéro de téléphone"),
        ({"email": "not-an-email"}, "email", "adresse"),
        ({"phone": "<script>", "email": ""}, "phone", "numéro de téléphone"),
        ({"name": ""}, "name", "requis"),
        ({"language": "xx"}, "language", "valide"),
    ],
)
def test_bad_input_gets_a_translated_error_and_nothing_is_saved(
    client, workshop, registration_data, change, field, message
):
    data = {**registration_data, **change}
    response = client.post(register_url(workshop), data)
    assert response.status_code == 400
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("[role=alert]") is not None
    assert message.lower() in html.lower()
    if field:
        assert soup.select_one(f"#id_{field}_error") is not None
    if data["name"]:
        assert soup.select_one("#id_name")["value"] == data["name"]  # what was typed is kept
    assert not Registration.objects.exists() and not WorkshopSeats.objects.filter(taken__gt=0)


@pytest.mark.parametrize("when", ["deadline", "past", "closed"])
def test_closed_registrations_are_refused_with_a_reason(client, workshop, registration_data, when):
    now = timezone.now()
    if when == "deadline":
        workshop.registration_deadline = now - datetime.timedelta(hours=1)
        expected = "date limite"
    elif when == "past":
        workshop.starts_at = now - datetime.timedelta(days=2)
        workshop.ends_at = now - datetime.timedelta(days=2, hours=-2)
        expected = "déjà eu lieu"
    else:
        workshop.registration_open = False
        expected = "fermées"
    workshop.save_revision().publish()
    response = client.post(register_url(workshop), registration_data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Registration.objects.exists()


def test_unknown_or_draft_workshops_are_404(client, workshop, registration_data):
    assert client.post("/fr/workshops/999999/register/", registration_data).status_code == 404
    workshop.unpublish()
    assert client.post(register_url(workshop), registration_data).status_code == 404
    assert client.get(f"/fr/workshops/{workshop.pk}/register/").status_code == 404


def test_raising_the_capacity_confirms_those_waiting(workshop, django_capture_on_commit_callbacks):
    workshop.capacity = 1
    workshop.save_revision().publish()
    registrations.register(workshop, name="A", seats=1, language="fr", phone="0601")
    waiting = registrations.register(
        workshop, name="B", seats=2, language="fr", email="b@example.org"
    )
    assert waiting.status == RegistrationStatus.WAITLISTED
    workshop.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        workshop.save_revision().publish()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mail.outbox][-1] == ["b@example.org"]
    assert WorkshopSeats.objects.get().taken == 3


def test_a_registration_to_a_workshop_deleted_meanwhile_can_still_be_cancelled(
    workshop, django_capture_on_commit_callbacks
):
    registration = registrations.register(
        workshop, name="Awa", seats=1, language="fr", email="awa@example.org", notify=False
    )
    workshop.delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert registrations.cancel(registration) == []
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert WorkshopSeats.objects.get().taken == 0
