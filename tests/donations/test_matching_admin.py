"""Staff define match funds in the admin (campaigns/match_admin.py): sponsor, ratio, caps in
euros, period, campaigns chosen by hand, by district and by category; only users with the
match-fund permissions see or change them."""

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from campaigns.factories import CategoryFactory, DistrictFactory
from donations import ledger
from donations.models import Donation, DonationSource, DonationStatus, MatchFund
from helpers.money import format_money
from tests.conftest import speaks

INDEX_URL = reverse("match_funds:index")
ADD_URL = reverse("match_funds:add")


def staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username=username, password="x")
    permissions = [Permission.objects.get(codename="access_admin")]
    permissions += [Permission.objects.get(codename=codename) for codename in codenames]
    user.user_permissions.add(*permissions)
    speaks(user, "en")
    client = Client()
    client.force_login(user)
    return client


def fund_data(**overrides):
    data = {
        "sponsor_name": "Fondation Solidarité Paris",
        "sponsor_logo": "",
        "sponsor_url": "https://fondation.example.org/",
        "ratio_percent": "100",
        "total_cap": "5 000",
        "per_campaign_cap": "1000",
        "per_gift_cap": "100",
        "starts_at": "2026-01-01 00:00",
        "ends_at": "2030-12-31 23:00",
        "campaigns": [],
        "districts": [],
        "categories": [],
    }
    return {**data, **overrides}


@pytest.fixture
def places(campaign):
    """The campaign in the 20th, a garden; a district and category no campaign has."""
    east, _north = DistrictFactory(code="75020", name="Paris 20e"), DistrictFactory(code="75019")
    garden, _food = CategoryFactory(code="nature", name="Nature"), CategoryFactory(code="food")
    campaign.district, campaign.category = east, garden
    campaign.save_revision().publish()
    return campaign


@pytest.mark.django_db
def test_staff_create_a_fund_by_district_and_it_matches_gifts(django_user_model, places):
    client = staff(django_user_model, "clerk", "add_matchfund", "change_matchfund")
    form = client.get(ADD_URL)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Paris 20e" in html and "Nature" in html and "Jardin des Couronnes" in html

    logo = Image.objects.create(title="Logo", file=get_test_image_file())
    response = client.post(
        ADD_URL, fund_data(districts=["75020"], categories=["nature"], sponsor_logo=logo.pk)
    )
    assert response.status_code == 302, response.context["form"].errors
    fund = MatchFund.objects.get()
    assert (fund.total_cap_cents, fund.per_campaign_cap_cents, fund.per_gift_cap_cents) == (
        500_000,
        100_000,
        10_000,
    )
    assert (fund.district_codes, fund.category_codes, fund.campaign_keys) == (
        ["75020"],
        ["nature"],
        [],
    )
    assert fund.sponsor_logo == logo

    gift = ledger.create_pending(
        campaign_key=places.translation_key, amount_cents=15_000, provider="demo"
    )
    ledger.transition(gift.pk, DonationStatus.PAID)
    match = Donation.objects.get(source=DonationSource.MATCH)
    assert (match.match_fund, match.amount_cents) == (fund, 10_000)

    # the list shows what was matched and what is left; the edit form shows the stored choices
    listing = client.get(INDEX_URL).content.decode()
    with translation.override("en"):
        assert format_money(10_000) in listing and format_money(490_000) in listing
    edit = client.get(reverse("match_funds:edit", args=[fund.pk])).content.decode()
    form = client.get(reverse("match_funds:edit", args=[fund.pk])).context["form"]
    assert form["districts"].value() == ["75020"]
    assert form["categories"].value() == ["nature"]
    assert form["total_cap"].value() == "5000"
    assert 'value="75020"' in edit and "checked" in edit
    assert 'value="5000"' in edit

    # edited: chosen by hand instead, ratio 50 %
    response = client.post(
        reverse("match_funds:edit", args=[fund.pk]),
        fund_data(campaigns=[str(places.translation_key)], ratio_percent="50", per_gift_cap=""),
    )
    assert response.status_code == 302, response.context["form"].errors
    fund.refresh_from_db()
    assert fund.campaign_keys == [str(places.translation_key)]
    assert (fund.district_codes, fund.per_gift_cap_cents, fund.ratio_percent) == ([], None, 50)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"ends_at": "2025-12-31 00:00"},
            "ends_at",
            "The end must come after the start.",
        ),
        ({"total_cap": "-5"}, "total_cap", "Enter an amount in euros, for example 1 500 or 12,50."),
        (
            {"per_gift_cap": "-1"},
            "per_gift_cap",
            "Enter an amount in euros, for example 1 500 or 12,50.",
        ),
        ({"ratio_percent": "0"}, "ratio_percent", None),
        (
            {"districts": []},
            None,
            "Choose at least one campaign, district or category: the fund matches no gift.",
        ),
    ],
)
def test_bad_funds_are_refused_with_a_translated_message(
    django_user_model, places, overrides, field, message
):
    client = staff(django_user_model, "clerk", "add_matchfund")
    response = client.post(ADD_URL, fund_data(**{"districts": ["75020"], **overrides}))
    assert response.status_code == 200
    assert not MatchFund.objects.exists()
    errors = response.context["form"].errors
    key = field or "__all__"
    assert key in errors
    if message:
        with translation.override("en"):
            assert gettext(message) in errors[key]


@pytest.mark.django_db
def test_staff_without_the_permission_neither_see_nor_change_funds(django_user_model, places):
    outsider = staff(django_user_model, "outsider")
    fund = MatchFund.objects.create(
        sponsor_name="Fondation",
        total_cap_cents=100,
        starts_at="2026-01-01T00:00Z",
        ends_at="2030-01-01T00:00Z",
    )
    assert INDEX_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()
    for url in (INDEX_URL, ADD_URL, reverse("match_funds:edit", args=[fund.pk])):
        assert outsider.get(url).status_code in (302, 403), url
    response = outsider.post(ADD_URL, fund_data(districts=["75020"]))
    assert response.status_code in (302, 403)
    assert MatchFund.objects.count() == 1

    # with the permissions, the same user sees the menu and the form
    clerk = staff(django_user_model, "clerk", "add_matchfund", "change_matchfund")
    assert INDEX_URL in clerk.get(reverse("wagtailadmin_home")).content.decode()
    assert clerk.get(INDEX_URL).status_code == 200
    assert clerk.get(reverse("match_funds:edit", args=[fund.pk])).status_code == 200


@pytest.mark.django_db
def test_a_fund_that_matched_gifts_cannot_be_deleted_one_that_did_not_can(
    django_user_model, places
):
    client = staff(django_user_model, "clerk", "change_matchfund", "delete_matchfund")
    used, unused = (
        MatchFund.objects.create(
            sponsor_name=name,
            total_cap_cents=10_000,
            starts_at="2026-01-01T00:00Z",
            ends_at="2030-01-01T00:00Z",
            campaign_keys=[str(places.translation_key)],
        )
        for name in ("Used", "Unused")
    )
    MatchFund.objects.filter(pk=unused.pk).update(campaign_keys=[])
    gift = ledger.create_pending(
        campaign_key=places.translation_key, amount_cents=1_000, provider="demo"
    )
    ledger.transition(gift.pk, DonationStatus.PAID)
    assert used.matches.count() == 1

    for method in (client.get, client.post):
        response = method(reverse("match_funds:delete", args=[used.pk]), follow=True)
        assert response.status_code == 200
        with translation.override("en"):
            assert gettext(
                "This fund has matched gifts: they are entries of the ledger, so it cannot be "
                "deleted. To stop it, set its end to now."
            ) in [str(message) for message in response.context["messages"]]
    assert MatchFund.objects.filter(pk=used.pk).exists()

    response = client.post(reverse("match_funds:delete", args=[unused.pk]))
    assert response.status_code == 302
    assert not MatchFund.objects.filter(pk=unused.pk).exists()


@pytest.mark.django_db
def test_the_fund_list_reads_its_totals_in_a_bounded_number_of_queries(
    django_user_model, places, django_assert_max_num_queries
):
    client = staff(django_user_model, "clerk", "change_matchfund")

    def add_funds(count):
        for n in range(count):
            MatchFund.objects.create(
                sponsor_name=f"Sponsor {n}",
                total_cap_cents=100_000,
                starts_at="2026-01-01T00:00Z",
                ends_at="2030-01-01T00:00Z",
                campaign_keys=[str(places.translation_key)],
            )
        gift = ledger.create_pending(
            campaign_key=places.translation_key, amount_cents=1_000, provider="demo"
        )
        ledger.transition(gift.pk, DonationStatus.PAID)

    add_funds(1)
    with django_assert_max_num_queries(100) as few:
        assert client.get(INDEX_URL).status_code == 200
    add_funds(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INDEX_URL)
    with translation.override("en"):
        # Sponsor 0 matched both gifts (10 € each); its list row says so
        assert format_money(2_000) in response.content.decode()
