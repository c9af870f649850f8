"""Rate limits on giving (issue 10, finding 5): donation form submissions per IP address,
and the thank-you page's calls to Stripe, counted on the fake Stripe server."""

from django.urls import reverse

import pytest

from donations.models import Donation, DonationStatus
from tests.donations.test_payments import give


def session_creations(stripe_server):
    return [r for r in stripe_server.requests if r[:2] == ("POST", "/v1/checkout/sessions")]


def session_retrievals(stripe_server):
    return [
        r
        for r in stripe_server.requests
        if r[0] == "GET" and r[1].startswith("/v1/checkout/sessions/")
    ]


@pytest.mark.django_db
def test_donation_posts_are_limited_per_address_and_the_form_stays_usable(
    client, campaign, stripe_server, donation_form, settings
):
    settings.DONATION_RATE_LIMIT = (3, 86_400)  # one window for the whole test
    url = reverse("donations:donate", args=[campaign.translation_key])
    answers = [client.post(url, donation_form).status_code for _ in range(8)]
    assert answers == [302] * 3 + [429] * 5
    assert len(session_creations(stripe_server)) == 3
    assert Donation.objects.count() == 3

    refused = client.post(url, {**donation_form, "message": "Encore moi"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    body = refused.content.decode()
    assert "Vous avez envoyé ce formulaire trop de fois" in body  # translated
    # the form comes back with what was typed, ready to send again after the wait
    assert f'action="{url}"' in body and "Encore moi" in body and "awa@example.org" in body
    assert client.get(url).status_code == 200  # reading the form is never limited
    bad = client.post(url, {**donation_form, "amount_choice": ""})
    assert bad.status_code == 400  # a mistake is shown as such, and costs nothing

    other = client.post(url, donation_form, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302  # another address is not held back
    assert len(session_creations(stripe_server)) == 4


@pytest.mark.django_db
def test_thanks_asks_stripe_at_most_once_per_gift_in_a_while(
    client, campaign, stripe_server, donation_form, settings
):
    settings.DONATION_SETTLE_SECONDS = 60
    _response, donation = give(client, campaign, donation_form)
    url = reverse("donations:thanks", args=[donation.uuid])
    for _ in range(10):
        assert client.get(url).status_code == 200
    assert len(session_retrievals(stripe_server)) == 1
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PENDING


@pytest.mark.django_db
def test_thanks_settles_on_the_first_visit(client, campaign, stripe_server, donation_form):
    _response, donation = give(client, campaign, donation_form)
    stripe_server.complete(donation.provider_session_id)
    response = client.get(reverse("donations:thanks", args=[donation.uuid]))
    assert "Merci" in response.content.decode()
    donation.refresh_from_db()
    assert donation.status == DonationStatus.PAID
    for _ in range(5):  # a paid gift never asks Stripe again
        client.get(reverse("donations:thanks", args=[donation.uuid]))
    assert len(session_retrievals(stripe_server)) == 1


@pytest.mark.django_db
def test_thanks_stripe_calls_are_limited_per_address(
    client, campaign, stripe_server, donation_form, settings
):
    settings.DONATION_SETTLE_RATE_LIMIT = (2, 86_400)
    settings.DONATION_RATE_LIMIT = (100, 60)
    gifts = [give(client, campaign, donation_form)[1] for _ in range(5)]
    for gift in gifts:
        response = client.get(reverse("donations:thanks", args=[gift.uuid]))
        assert response.status_code == 200  # the page still shows, "being confirmed"
    assert len(session_retrievals(stripe_server)) == 2
    elsewhere = client.get(
        reverse("donations:thanks", args=[gifts[-1].uuid]), REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.status_code == 200
    assert len(session_retrievals(stripe_server)) == 3
