"""Twenty people offer help at the same instant for the last three places of a task
(PostgreSQL).

SQLite serialises every write, so it cannot show a race: this test needs the PostgreSQL run
of CI (DATABASE_URL=postgres://…), where each thread has its own connection and transaction.
"""

import threading

from django.db import connection, connections
from django.test import Client

from wagtail.models import Locale, Page, Site

import pytest

from campaigns import offers
from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from campaigns.needs import HelpOffer, Need, NeedKind, OfferStatus
from home.factories import HomePageFactory
from home.locales import ensure_locales

PEOPLE = 20
WANTED = 8
EARLY = 5  # confirmed before the race: three places left

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a race needs concurrent transactions: run with DATABASE_URL on PostgreSQL (CI does)",
)


def a_task_with_three_places_left():
    """Built by hand: transactional tests run last, after another one flushed the tables
    (the root page and locales that migrations create are gone)."""
    ensure_locales()
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePageFactory(parent=root, locale=Locale.objects.get(language_code="fr"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    campaign = CampaignPageFactory(parent=CampaignIndexPageFactory(parent=home))
    need = Need.objects.create(
        campaign_key=campaign.translation_key,
        kind=NeedKind.TASK,
        title="Construire les bacs",
        language="fr",
        wanted=WANTED,
    )
    for number in range(EARLY):
        offers.offer(need, name=f"Early {number}", language="fr", phone="0600000000")
    return need


@pytest.mark.django_db(transaction=True)
def test_twenty_people_for_the_last_three_places():
    need = a_task_with_three_places_left()
    barrier = threading.Barrier(PEOPLE)
    statuses = []

    def offer_help(number):
        try:
            barrier.wait(timeout=10)
            if number % 2:  # half of them straight through the service, for a tighter race
                offers.offer(
                    need,
                    name=f"Person {number}",
                    phone=f"06 00 00 00 {number:02d}",
                    language="fr",
                )
                statuses.append(302)
                return
            response = Client().post(
                f"/fr/help/{need.pk}/",
                {
                    "name": f"Person {number}",
                    "phone": f"06 00 00 00 {number:02d}",
                    "quantity": "1",
                    "language": "fr",
                },
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=offer_help, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302] * PEOPLE  # every one of them got an answer, none an error
    late = HelpOffer.objects.filter(name__startswith="Person")
    assert late.count() == PEOPLE  # none lost
    assert late.filter(status=OfferStatus.CONFIRMED).count() == WANTED - EARLY == 3
    assert late.filter(status=OfferStatus.WAITLISTED).count() == PEOPLE - 3 == 17
    need.refresh_from_db()
    assert need.taken == need.wanted
    # the counter says what the offers say
    confirmed = HelpOffer.objects.filter(need=need, status=OfferStatus.CONFIRMED)
    assert sum(confirmed.values_list("quantity", flat=True)) == need.taken
