"""All the gifts of a leader's campaign, as the public sees them, with the totals."""

from django.utils import translation

import pytest

from campaigns.factories import CampaignPageFactory
from donations import ledger
from donations.models import DisplayChoice, DonationStatus, OfflineMethod
from helpers.money import format_money
from home.locales import create_language_aliases
from tests.stories.helpers import make_leader, url


def give(campaign, amount_cents, name="", email="", display=DisplayChoice.NAME, message=""):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=amount_cents,
        donor_name=name,
        donor_email=email,
        display=display,
        message=message,
    )
    ledger.transition(donation.pk, DonationStatus.PAID)
    return donation


def gifts_url(campaign, language="fr", page=None):
    address = url("campaign_gifts", campaign.pk, language=language)
    return f"{address}?page={page}" if page else address


@pytest.mark.django_db
def test_a_leader_sees_every_gift_as_the_public_does_never_an_email(client, leader, campaign):
    give(campaign, 2500, "Jeanne", "jeanne@example.org", message="Bravo !")
    give(campaign, 4000, "Karim", "karim@example.org", display=DisplayChoice.ANONYMOUS)
    give(campaign, 9900, "Lina", "lina@example.org", display=DisplayChoice.HIDE_AMOUNT)
    ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=5000,
        donor_name="Épicerie Martin",
        donor_email="martin@example.org",
        offline_method=OfflineMethod.CHEQUE,
    )
    ledger.create_pending(campaign_key=campaign.translation_key, amount_cents=700)  # unpaid
    client.force_login(leader)

    space = client.get(url("space", language="fr")).content.decode()
    assert gifts_url(campaign) in space  # linked from the campaign's card

    response = client.get(gifts_url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("fr"):
        euros = {cents: format_money(cents) for cents in (2500, 5000, 9900, 700, 21400)}
    for shown in ["Jeanne", "Bravo !", "Lina", "Épicerie Martin", euros[2500], euros[5000]]:
        assert shown in html, shown
    assert "Karim" not in html and euros[9900] not in html  # anonymous; amount hidden
    assert "@example.org" not in html  # never an email
    assert euros[700] not in html  # an unpaid gift is not a gift
    assert ledger.tally(campaign.translation_key) == (21400, 4)
    assert euros[21400] in html
    assert "<dd>4</dd>" in html and "<dd>1</dd>" in html  # donors; gifts recorded offline


@pytest.mark.django_db
def test_gifts_are_paginated_with_a_bounded_number_of_queries(
    client, leader, campaign, django_assert_max_num_queries
):
    client.force_login(leader)
    for number in range(3):
        give(campaign, 1000 + number, f"Donor {number}")
    client.get(gifts_url(campaign))  # warm up the per-process caches (locales, site)
    with django_assert_max_num_queries(40) as few:
        assert client.get(gifts_url(campaign)).status_code == 200
    for number in range(60):
        give(campaign, 2000 + number, f"Donateur {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(gifts_url(campaign, page=2))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Donateur ") + html.count("Donor ") == 25


@pytest.mark.django_db
def test_only_the_leaders_own_campaigns(client, leader, campaign, django_user_model):
    other = CampaignPageFactory(parent=campaign.get_parent(), title="Autre campagne")
    create_language_aliases(other)
    client.force_login(leader)
    assert client.get(gifts_url(other)).status_code == 404
    assert client.get(url("campaign_gifts", 999999, language="fr")).status_code == 404
    # Any language's page of the leader's campaign is fine.
    arabic = campaign.get_translations().get(locale__language_code="ar")
    assert client.get(gifts_url(arabic, language="ar")).status_code == 200
    # Another leader; a visitor.
    client.force_login(make_leader(django_user_model, "lea"))
    assert client.get(gifts_url(campaign)).status_code == 404
    client.logout()
    assert client.get(gifts_url(campaign)).status_code == 302
