"""Admin → Donations → Gifts to give back: offline gifts of campaigns whose gifts must be
given back (registered by the campaign app), recorded as given back by staff through the
ledger; staff without the donation permissions get 403."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from campaigns import closing as closings
from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from campaigns.models import FundingRule
from donations import ledger, returns
from donations.models import Donation, DonationStatus
from tests.conftest import speaks
from tests.donations.test_admin import online_gift, staff_client

LIST_URL = reverse("donations_give_back:index")


def give_back_url(donation):
    return reverse("donations_give_back:give_back", args=[donation.pk])


def offline_gift(campaign, cents=3000, name="Mamadou", days_ago=10, method="cash"):
    return ledger.record_offline(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        donor_name=name,
        offline_method=method,
        received_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        evidence="Reçu n° 12",
    )


@pytest.fixture
def failed(campaign):
    """``campaign`` is one whose gifts must be given back (as the campaign app says of an
    all-or-nothing campaign that failed)."""
    before = returns._refund_due_lookup
    returns.register_refund_due(lambda: [str(campaign.translation_key), "not-a-key"])
    yield campaign
    returns.register_refund_due(before)


@pytest.fixture
def other_campaign(campaign):
    return CampaignPageFactory(parent=campaign.get_parent(), title="Ressourcerie Belleville")


def not_found(client, response):
    # LocaleMiddleware sends a 404 under /admin/ on to /fr/admin/…, which is a 404 too
    return response.status_code == 404 or client.get(response["Location"]).status_code == 404


def rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [tr.get_text(" ", strip=True) for tr in soup.select("tbody tr")]


@pytest.mark.django_db
def test_staff_see_the_offline_gifts_of_failed_campaigns_and_give_them_back(
    admin, admin_user, failed, other_campaign
):
    cash = offline_gift(failed, 3000, "Mamadou")
    cheque = offline_gift(failed, 4500, "Lina", days_ago=3, method="cheque")
    online = online_gift(failed, 2000)
    elsewhere = offline_gift(other_campaign, 9900, "Elsewhere")
    assert ledger.tally(failed.translation_key)[0] == 9500

    response = admin.get(LIST_URL)
    assert response.status_code == 200
    listed = rows(response)
    assert len(listed) == 2  # not the online gift (refunded by Stripe), not another campaign
    assert "Mamadou" in listed[0] and "Lina" in listed[1]  # oldest received first
    assert "Jardin des Couronnes" in listed[0]
    body = response.content.decode()
    assert give_back_url(cash) in body and give_back_url(cheque) in body
    assert give_back_url(elsewhere) not in body and give_back_url(online) not in body

    form = admin.get(give_back_url(cash))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'name="returned_on"' in page
    assert form.context["form"]["returned_on"].value() == timezone.localdate()

    day = timezone.localdate() - datetime.timedelta(days=1)
    response = admin.post(give_back_url(cash), {"returned_on": day.isoformat()})
    assert response.status_code == 302 and response["Location"] == LIST_URL
    cash.refresh_from_db()
    assert (cash.status, cash.refunded_cents, cash.returned_on, cash.returned_by) == (
        DonationStatus.REFUNDED,
        3000,
        day,
        admin_user,
    )
    assert ledger.tally(failed.translation_key)[0] == 6500
    assert ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Donation),
        object_id=str(cash.pk),
        action="donations.given_back",
        user=admin_user,
    ).exists()

    # still due first, then those given back, with who and when
    listed = rows(admin.get(LIST_URL))
    assert "Lina" in listed[0] and "Mamadou" in listed[1]
    assert admin_user.get_username() in listed[1] or "admin" in listed[1]
    assert give_back_url(cash) not in admin.get(LIST_URL).content.decode()
    inspect = BeautifulSoup(
        admin.get(reverse("donations_admin:inspect", args=[cash.pk])).content, "html.parser"
    )
    fields = {
        dt.get_text(strip=True).casefold(): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in inspect.select("dt")
    }
    assert fields["given back by"] == admin_user.get_username()

    # giving it back twice records nothing more
    again = admin.post(give_back_url(cash), {"returned_on": timezone.localdate().isoformat()})
    assert again.status_code == 302
    cash.refresh_from_db()
    assert cash.returned_on == day
    assert ledger.tally(failed.translation_key)[0] == 6500


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    ["", "not-a-date", "2024-02-30", "future", "before-received"],
)
def test_a_bad_date_shows_the_form_again_and_records_nothing(admin, failed, value):
    gift = offline_gift(failed, days_ago=5)
    today = timezone.localdate()
    value = {
        "future": (today + datetime.timedelta(days=1)).isoformat(),
        "before-received": (today - datetime.timedelta(days=6)).isoformat(),
    }.get(value, value)
    response = admin.post(give_back_url(gift), {"returned_on": value})
    assert response.status_code == 400
    assert response.context["form"].errors["returned_on"]
    gift.refresh_from_db()
    assert (gift.status, gift.returned_on) == (DonationStatus.PAID, None)
    assert ledger.tally(failed.translation_key)[0] == 3000


@pytest.mark.django_db
def test_unknown_or_not_due_gifts_answer_404(admin, failed, other_campaign):
    online = online_gift(failed)
    not_due = offline_gift(other_campaign)
    day = timezone.localdate().isoformat()
    for url in (
        reverse("donations_give_back:give_back", args=[999999]),
        give_back_url(online),
        give_back_url(not_due),
    ):
        assert not_found(admin, admin.get(url)), url
        assert not_found(admin, admin.post(url, {"returned_on": day})), url
    assert not_found(admin, admin.get(LIST_URL + "not-a-number/"))
    assert Donation.objects.filter(returned_on__isnull=False).count() == 0


@pytest.mark.django_db
def test_nothing_is_due_without_a_registered_lookup(admin, campaign):
    before = returns._refund_due_lookup
    returns.register_refund_due(None)
    try:
        gift = offline_gift(campaign)
        assert rows(admin.get(LIST_URL)) == []
        assert not_found(admin, admin.get(give_back_url(gift)))
    finally:
        returns.register_refund_due(before)


@pytest.mark.django_db
def test_staff_without_the_donation_permissions_get_403(django_user_model, failed):
    gift = offline_gift(failed)
    outsider = staff_client(django_user_model, "outsider")
    viewer = staff_client(django_user_model, "viewer", "view_donation")
    clerk = staff_client(django_user_model, "clerk", "view_donation", "change_donation")
    day = timezone.localdate().isoformat()

    assert LIST_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()
    assert outsider.get(LIST_URL).status_code == 403
    assert outsider.get(give_back_url(gift)).status_code == 403
    assert outsider.post(give_back_url(gift), {"returned_on": day}).status_code == 403

    # may look, may not record
    assert LIST_URL in viewer.get(reverse("wagtailadmin_home")).content.decode()
    response = viewer.get(LIST_URL)
    assert response.status_code == 200 and "Mamadou" in response.content.decode()
    assert give_back_url(gift) not in response.content.decode()
    assert viewer.get(give_back_url(gift)).status_code == 403
    assert viewer.post(give_back_url(gift), {"returned_on": day}).status_code == 403
    gift.refresh_from_db()
    assert gift.returned_on is None

    assert give_back_url(gift) in clerk.get(LIST_URL).content.decode()
    assert clerk.post(give_back_url(gift), {"returned_on": day}).status_code == 302
    gift.refresh_from_db()
    assert gift.status == DonationStatus.REFUNDED

    anonymous = Client()
    assert anonymous.get(LIST_URL).status_code == 302  # to the admin's sign-in


@pytest.mark.django_db
def test_the_action_needs_the_csrf_token(admin_user, failed):
    gift = offline_gift(failed)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    day = timezone.localdate().isoformat()
    assert client.post(give_back_url(gift), {"returned_on": day}).status_code == 403
    gift.refresh_from_db()
    assert gift.returned_on is None


@pytest.mark.django_db
def test_pages_speak_the_staff_members_language(admin_client, admin_user, failed):
    speaks(admin_user, "fr")
    gift = offline_gift(failed)
    with translation.override("fr"):
        title = gettext("Gifts to give back")
        button = gettext("Yes, it was given back")
        future = gettext("This date is in the future.")
    assert title in admin_client.get(LIST_URL).content.decode()
    assert button in admin_client.get(give_back_url(gift)).content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = admin_client.post(give_back_url(gift), {"returned_on": tomorrow})
    assert future in response.content.decode()


@pytest.mark.django_db
def test_the_campaign_app_says_which_campaigns_failed(admin, home_page):
    """With the lookup the campaign app registers: an all-or-nothing campaign closed as
    failed has its offline gifts listed; one that succeeded has not."""
    index = CampaignIndexPageFactory(parent=home_page)
    now = timezone.now()
    pages = {}
    for title, goal in (("Cuisine solidaire", 100_000), ("Repair café", 10_000)):
        pages[title] = CampaignPageFactory(
            parent=index,
            title=title,
            opens_at=now - datetime.timedelta(days=40),
            closes_at=now - datetime.timedelta(days=2),
            funding_rule=FundingRule.ALL_OR_NOTHING,
            goal_cents=goal,
        )
    failed_gift = offline_gift(pages["Cuisine solidaire"], 20_000, "Voisins", days_ago=5)
    kept_gift = offline_gift(pages["Repair café"], 20_000, "Amis", days_ago=5)
    closings.close_due_campaigns()

    response = admin.get(LIST_URL)
    listed = rows(response)
    assert len(listed) == 1 and "Voisins" in listed[0] and "Cuisine solidaire" in listed[0]
    assert give_back_url(kept_gift) not in response.content.decode()
    day = timezone.localdate().isoformat()
    assert admin.post(give_back_url(failed_gift), {"returned_on": day}).status_code == 302
    assert (
        closings.refund_progress(pages["Cuisine solidaire"].translation_key)["offline_returned"]
        == 1
    )
    assert ledger.tally(pages["Cuisine solidaire"].translation_key)[0] == 0
