"""A community centre registers many residents from one connection (issue 14, item 7):
only accepted registrations count, per email address or phone number and per workshop;
failed attempts never count; staff registering by phone are never limited."""

import math

from django.urls import reverse

import pytest

from home.locales import create_language_aliases
from workshops.factories import WorkshopPageFactory
from workshops.models import Registration, RegistrationSource

pytestmark = pytest.mark.django_db


def register_url(workshop, lang="fr"):
    return f"/{lang}/workshops/{workshop.pk}/register/"


def resident(number, **overrides):
    data = {
        "name": f"Habitant {number}",
        "email": "",
        "phone": f"06 12 34 {number // 100:02d} {number % 100:02d}",
        "seats": "1",
        "language": "fr",
        "accessibility_needs": "",
    }
    data.update(overrides)
    return data


def test_thirty_residents_registered_in_a_row_from_one_connection_all_get_in(client, workshop):
    statuses = [client.post(register_url(workshop), resident(n)).status_code for n in range(30)]
    assert statuses == [302] * 30  # was 429 from the eleventh
    assert Registration.objects.count() == 30  # 20 seats confirmed, the others waiting


def test_failed_attempts_never_count(client, workshop, settings):
    settings.REGISTRATION_LIMIT_PER_IP = (3, 600)
    for _attempt in range(12):
        bad = resident(1, phone="pas de numéro") if _attempt % 2 else resident(1, phone="")
        assert client.post(register_url(workshop), bad).status_code == 400
    for number in range(3):
        assert client.post(register_url(workshop), resident(number)).status_code == 302
    # the safety net per connection counts accepted registrations only: the fourth is refused
    refused = client.post(register_url(workshop, "en"), resident(9))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    body = refused.content.decode()
    minutes = max(1, math.ceil(int(refused["Retry-After"]) / 60))
    assert "Many registrations came from your connection" in body
    assert f"Try again in {minutes} minute" in body  # "1 minute", "7 minutes"
    assert 'value="Habitant 9"' in body  # what was typed stays
    assert Registration.objects.count() == 3


def test_one_email_registering_the_same_workshop_too_often_is_told_why(client, workshop):
    centre = {"email": "Accueil@Centre-Social.example", "phone": ""}
    for number in range(10):
        response = client.post(register_url(workshop), resident(number, **centre))
        assert response.status_code == 302
    again = resident(10, email="accueil@centre-social.example", phone="")
    refused = client.post(register_url(workshop, "en"), again)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "already used by 10 registrations for this workshop" in body
    assert "give their own email address or phone number, or call us" in body
    assert Registration.objects.count() == 10
    # another contact is welcome, and the limit holds for this workshop only
    assert client.post(register_url(workshop), resident(11)).status_code == 302


def test_one_phone_number_across_workshops_waits_and_is_told_how_long(
    client, workshop, workshop_index, settings
):
    settings.REGISTRATION_LIMIT_PER_CONTACT = (3, 3600)
    other = WorkshopPageFactory(parent=workshop_index, title="Atelier vélo")
    create_language_aliases(other)
    spellings = ["06 99 88 77 66", "0699887766", "06.99.88.77.66"]
    for number, (page, phone) in enumerate(zip([workshop, other, other], spellings, strict=True)):
        response = client.post(register_url(page), resident(number, phone=phone))
        assert response.status_code == 302
    refused = client.post(register_url(workshop, "en"), resident(5, phone="06 99 88 77 66"))
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])  # until the hour's window ends (fixed windows)
    assert 1 <= wait <= 3600
    body = refused.content.decode()
    assert "registered many people in a short while" in body
    minutes = max(1, math.ceil(wait / 60))
    assert f"Try again in {minutes} minute" in body and ", or call us" in body
    # the refused attempt did not count, and someone else still gets in
    assert client.post(register_url(workshop), resident(6)).status_code == 302
    assert Registration.objects.count() == 4


def test_a_flood_of_submissions_gets_the_shared_page_with_when_to_retry(client, workshop, settings):
    settings.REGISTRATION_POSTS_PER_IP = (5, 600)
    for _attempt in range(5):
        assert client.post(register_url(workshop), resident(1, phone="")).status_code == 400
    flood = client.post(register_url(workshop, "en"), resident(2))
    assert flood.status_code == 429 and int(flood["Retry-After"]) >= 1
    assert "Too many attempts" in flood.content.decode()
    assert not Registration.objects.exists()


def test_staff_registering_by_phone_are_never_limited(admin_client, workshop, settings):
    settings.REGISTRATION_LIMIT_PER_CONTACT_PER_WORKSHOP = 1
    settings.REGISTRATION_LIMIT_PER_CONTACT = (1, 3600)
    settings.REGISTRATION_LIMIT_PER_IP = (1, 600)
    settings.REGISTRATION_POSTS_PER_IP = (1, 600)
    add = reverse("workshop_registrations:add", args=[workshop.pk])
    for number in range(8):  # one centre's phone number for everybody
        response = admin_client.post(add, resident(number, phone="01 43 00 00 00"))
        assert response.status_code == 302, number
    assert Registration.objects.filter(source=RegistrationSource.PHONE).count() == 8
