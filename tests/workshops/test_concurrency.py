"""Thirty people register at the same instant for the last five seats (PostgreSQL).

SQLite serialises every write, so it cannot show a race: this test needs the PostgreSQL run
of CI (DATABASE_URL=postgres://…), where each thread has its own connection and transaction.
"""

import threading

from django.db import connection, connections
from django.test import Client

from wagtail.models import Locale, Page, Site

import pytest

from home.factories import HomePageFactory
from home.locales import ensure_locales
from workshops import registrations
from workshops.factories import WorkshopIndexPageFactory, WorkshopPageFactory
from workshops.models import Registration, RegistrationStatus, WorkshopSeats

PEOPLE = 30

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race needs concurrent transactions: run with DATABASE_URL on PostgreSQL (CI does)",
)


def a_workshop_with_five_seats_left():
    """Built by hand: transactional tests run last, after another one flushed the tables
    (the root page and locales that migrations create are gone)."""
    ensure_locales()
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePageFactory(parent=root, locale=Locale.objects.get(language_code="fr"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    index = WorkshopIndexPageFactory(parent=home)
    workshop = WorkshopPageFactory(parent=index, capacity=20)
    for number in range(15):
        registrations.register(
            workshop, name=f"Early {number}", seats=1, language="fr", phone="0600000000"
        )
    return workshop


@pytest.mark.django_db(transaction=True)
def test_thirty_people_for_the_last_five_seats(settings):
    settings.REGISTRATION_LIMIT_PER_CONTACT_PER_WORKSHOP = 1000
    workshop = a_workshop_with_five_seats_left()
    barrier = threading.Barrier(PEOPLE)
    statuses = []

    def register(number):
        try:
            barrier.wait(timeout=10)
            if number % 2:  # half of them straight through the service, for a tighter race
                registrations.register(
                    workshop,
                    name=f"Person {number}",
                    phone=f"06 00 00 00 {number:02d}",
                    seats=1,
                    language="fr",
                )
                statuses.append(302)
                return
            response = Client().post(
                f"/fr/workshops/{workshop.pk}/register/",
                {
                    "name": f"Person {number}",
                    "phone": f"06 00 00 00 {number:02d}",
                    "seats": "1",
                    "language": "fr",
                },
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302] * PEOPLE  # every one of them got an answer, none an error
    late = Registration.objects.filter(name__startswith="Person")
    assert late.count() == PEOPLE  # none lost
    assert late.filter(status=RegistrationStatus.CONFIRMED).count() == 5
    assert late.filter(status=RegistrationStatus.WAITLISTED).count() == PEOPLE - 5
    seats = WorkshopSeats.objects.get(workshop_key=workshop.translation_key)
    assert seats.taken == 20 == workshop.capacity
    # the counter says what the registrations say
    confirmed = Registration.objects.filter(status=RegistrationStatus.CONFIRMED)
    assert sum(confirmed.values_list("seats", flat=True)) == seats.taken
