"""Staff side of donations in the Wagtail admin: offline gifts, listing, export, totals."""

import csv
import datetime
import io

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Locale, ModelLogEntry, Page, Site

import pytest
from bs4 import BeautifulSoup

from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from donations import ledger
from donations.models import Donation, DonationSource, DonationStatus
from home.factories import HomePageFactory
from tests.conftest import speaks

INDEX_URL = reverse("donations_admin:index")
ADD_URL = reverse("donations_admin:add")
TOTALS_URL = reverse("donation_totals:index")


def edit_url(donation):
    return reverse("donations_admin:edit", args=[donation.pk])


def delete_url(donation):
    return reverse("donations_admin:delete", args=[donation.pk])


def inspect_url(donation):
    return reverse("donations_admin:inspect", args=[donation.pk])


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    page = HomePageFactory(parent=root, locale=Locale.objects.get(language_code="fr"))
    Site.objects.filter(is_default_site=True).update(root_page=page)
    return page


@pytest.fixture
def listing(home):
    return CampaignIndexPageFactory(parent=home)


@pytest.fixture
def campaign(listing):
    return CampaignPageFactory(parent=listing, title="Jardin des Couronnes")


@pytest.fixture
def other_campaign(listing):
    return CampaignPageFactory(parent=listing, title="Ressourcerie Belleville")


def staff_client(django_user_model, username, *codenames):
    """A logged-in client for a non-superuser with admin access and ``codenames`` of donations."""
    user = django_user_model.objects.create_user(username=username, password="x")
    permissions = list(
        Permission.objects.filter(content_type__app_label="donations", codename__in=codenames)
    )
    assert len(permissions) == len(codenames)
    permissions.append(Permission.objects.get(codename="access_admin"))
    user.user_permissions.add(*permissions)
    speaks(user, "en")
    client = Client()
    client.force_login(user)
    return client


def online_gift(campaign, cents=5000, email="ada@example.org", name="Ada", **fields):
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key,
        amount_cents=cents,
        donor_name=name,
        donor_email=email,
        **fields,
    )
    ledger.transition(donation.pk, DonationStatus.PAID)
    donation.refresh_from_db()
    return donation


def gift_data(page, **overrides):
    data = {
        "campaign": str(page.translation_key),
        "amount": "25.50",
        "received_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "offline_method": "cheque",
        "donor_name": "Awa Diallo",
        "donor_email": "awa@example.org",
        "display": "name",
        "message": "",
        "evidence": "Chèque n° 1234, déposé le 3 mars",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def logged(donation_pk, action):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Donation),
        object_id=str(donation_pk),
        action=action,
    )


def column(response, label):
    """The cells of the listing's column headed ``label``, row by row."""
    soup = BeautifulSoup(response.content, "html.parser")
    headers = [th.get_text(" ", strip=True) for th in soup.select("thead th")]
    index = next(i for i, text in enumerate(headers) if text.startswith(label))
    return [row.select("td")[index].get_text(" ", strip=True) for row in soup.select("tbody tr")]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


# Offline gifts: create, edit, delete through the ledger, logged


@pytest.mark.django_db
def test_staff_record_an_offline_gift_and_the_tally_grows(admin, admin_user, campaign):
    online_gift(campaign, cents=1000)
    assert ledger.tally(campaign.translation_key) == (1000, 1)

    response = admin.get(ADD_URL)
    assert response.status_code == 200
    assert "Jardin des Couronnes" in response.content.decode()

    response = admin.post(ADD_URL, gift_data(campaign))
    assert response.status_code == 302
    gift = Donation.objects.get(source=DonationSource.OFFLINE)
    assert gift.status == DonationStatus.PAID
    assert gift.amount_cents == 2550
    assert gift.campaign_key == campaign.translation_key
    assert gift.entered_by == admin_user
    assert gift.offline_method == "cheque"
    assert gift.donor_email == "awa@example.org"
    assert gift.paid_at is not None
    assert ledger.tally(campaign.translation_key) == (3550, 2)
    assert logged(gift.pk, "wagtail.create").get().user == admin_user

    history = admin.get(reverse("donations_admin:history", args=[gift.pk]))
    assert history.status_code == 200


@pytest.mark.django_db
def test_editing_an_offline_gift_updates_the_tallies(admin, admin_user, campaign, other_campaign):
    admin.post(ADD_URL, gift_data(campaign))
    gift = Donation.objects.get()
    assert admin.get(edit_url(gift)).status_code == 200

    response = admin.post(edit_url(gift), gift_data(campaign, amount="40"))
    assert response.status_code == 302
    gift.refresh_from_db()
    assert gift.amount_cents == 4000
    assert ledger.tally(campaign.translation_key) == (4000, 1)
    assert logged(gift.pk, "wagtail.edit").exists()

    # Moved to another campaign: both totals follow
    admin.post(edit_url(gift), gift_data(other_campaign, amount="40"))
    assert ledger.tally(campaign.translation_key) == (0, 0)
    assert ledger.tally(other_campaign.translation_key) == (4000, 1)
    gift.refresh_from_db()
    assert gift.entered_by == admin_user
    assert gift.source == DonationSource.OFFLINE and gift.status == DonationStatus.PAID


@pytest.mark.django_db
def test_deleting_an_offline_gift_lowers_the_tally(admin, campaign):
    online_gift(campaign, cents=1000)
    admin.post(ADD_URL, gift_data(campaign, amount="30"))
    gift = Donation.objects.get(source=DonationSource.OFFLINE)
    assert ledger.tally(campaign.translation_key) == (4000, 2)

    assert admin.get(delete_url(gift)).status_code == 200
    response = admin.post(delete_url(gift))
    assert response.status_code == 302
    assert not Donation.objects.filter(pk=gift.pk).exists()
    assert ledger.tally(campaign.translation_key) == (1000, 1)
    assert logged(gift.pk, "wagtail.delete").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "0.5"}, "amount"),
        ({"amount": "100000.01"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": None}, "amount"),
        ({"evidence": ""}, "evidence"),
        ({"evidence": None}, "evidence"),
        ({"offline_method": ""}, "offline_method"),
        ({"offline_method": "bitcoin"}, "offline_method"),
        ({"received_on": ""}, "received_on"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"campaign": "9b0f7d4e-0000-4000-8000-000000000000"}, "campaign"),
        ({"campaign": "not-a-uuid"}, "campaign"),
        ({"campaign": ""}, "campaign"),
        ({"donor_email": "not-an-email"}, "donor_email"),
        ({"message": "x" * 501}, "message"),
    ],
)
def test_bad_input_shows_the_form_again_and_saves_nothing(admin, campaign, overrides, field):
    response = admin.post(ADD_URL, gift_data(campaign, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Donation.objects.exists()
    assert ledger.tally(campaign.translation_key) == (0, 0)


@pytest.mark.django_db
def test_bad_input_on_edit_changes_nothing(admin, campaign):
    admin.post(ADD_URL, gift_data(campaign))
    gift = Donation.objects.get()
    response = admin.post(edit_url(gift), gift_data(campaign, amount="0", evidence=""))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"amount", "evidence"}
    gift.refresh_from_db()
    assert gift.amount_cents == 2550
    assert ledger.tally(campaign.translation_key) == (2550, 1)


@pytest.mark.django_db
def test_french_decimal_comma_is_accepted(admin, admin_user, campaign):
    speaks(admin_user, "fr")
    response = admin.post(ADD_URL, gift_data(campaign, amount="12,50"))
    assert response.status_code == 302
    assert Donation.objects.get().amount_cents == 1250


# Online donations: visible, never changed here


@pytest.mark.django_db
def test_online_donation_can_be_viewed_but_not_edited_or_deleted(admin, campaign):
    donation = online_gift(campaign, cents=5000)

    response = admin.get(inspect_url(donation))
    assert response.status_code == 200
    assert "ada@example.org" in response.content.decode()
    assert edit_url(donation) not in response.content.decode()

    for url in (edit_url(donation), delete_url(donation)):
        response = admin.get(url)
        assert response.status_code == 302
        assert response["Location"] == inspect_url(donation)
    response = admin.post(edit_url(donation), gift_data(campaign, amount="1"))
    assert response.status_code == 302
    response = admin.post(delete_url(donation), follow=True)
    assert any(message.level_tag == "error" for message in response.context["messages"])

    donation.refresh_from_db()
    assert (donation.amount_cents, donation.source) == (5000, DonationSource.ONLINE)
    assert ledger.tally(campaign.translation_key) == (5000, 1)
    assert not logged(donation.pk, "wagtail.edit").exists()

    listing = admin.get(INDEX_URL).content.decode()
    assert edit_url(donation) not in listing
    assert delete_url(donation) not in listing
    assert inspect_url(donation) in listing


# Listing, search, filters and export


@pytest.mark.django_db
def test_listing_shows_campaign_amount_and_public_name(admin, campaign, other_campaign):
    online_gift(campaign, cents=2500, name="Ada")
    online_gift(other_campaign, cents=1000, name="Secret", display="anonymous")

    response = admin.get(INDEX_URL)
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("tbody tr")
    assert len(rows) == 2
    text = " ".join(row.get_text(" ", strip=True) for row in rows)
    assert "Jardin des Couronnes" in text and "Ressourcerie Belleville" in text
    assert "25" in text and "Ada" in text
    assert "Secret" not in text


@pytest.mark.django_db
def test_listing_reads_campaign_titles_in_one_query(admin, listing):
    campaigns = [CampaignPageFactory(parent=listing) for _index in range(6)]
    online_gift(campaigns[0])
    admin.get(INDEX_URL)
    with CaptureQueriesContext(connection) as few:
        admin.get(INDEX_URL)
    for page in campaigns:
        online_gift(page)
    with CaptureQueriesContext(connection) as many:
        response = admin.get(INDEX_URL)
    assert len(BeautifulSoup(response.content, "html.parser").select("tbody tr")) == 7
    assert len(many) == len(few)


@pytest.mark.django_db
def test_donor_email_only_for_users_allowed_to_see_donor_details(django_user_model, campaign):
    online_gift(campaign, email="ada@example.org", name="Ada")
    viewer = staff_client(django_user_model, "viewer", "view_donation")
    trusted = staff_client(django_user_model, "trusted", "view_donation", "view_donor_details")

    response = viewer.get(INDEX_URL)
    assert response.status_code == 200
    assert "ada@example.org" not in response.content.decode()
    assert not BeautifulSoup(response.content, "html.parser").select(".donor-email")
    # nor through the search, nor on the details page
    response = viewer.get(INDEX_URL, {"q": "ada@example.org"})
    assert not BeautifulSoup(response.content, "html.parser").select("tbody tr")
    donation = Donation.objects.get()
    assert "ada@example.org" not in viewer.get(inspect_url(donation)).content.decode()

    response = trusted.get(INDEX_URL)
    assert "ada@example.org" in response.content.decode()
    assert BeautifulSoup(response.content, "html.parser").select("th.donor-email")
    response = trusted.get(INDEX_URL, {"q": "ada@example"})
    assert len(BeautifulSoup(response.content, "html.parser").select("tbody tr")) == 1
    assert "ada@example.org" in trusted.get(inspect_url(donation)).content.decode()


@pytest.mark.django_db
def test_search_by_donor_name(admin, campaign):
    online_gift(campaign, name="Awa Diallo", email="a@example.org")
    online_gift(campaign, name="Bruno Petit", email="b@example.org")
    response = admin.get(INDEX_URL, {"q": "diallo"})
    rows = BeautifulSoup(response.content, "html.parser").select("tbody tr")
    assert len(rows) == 1 and "Awa Diallo" in rows[0].get_text()


@pytest.mark.django_db
def test_filters_by_status_source_campaign_and_date(admin, campaign, other_campaign):
    online_gift(campaign, name="Paid online")
    ledger.create_pending(campaign_key=campaign.translation_key, amount_cents=700, donor_name="P")
    admin.post(ADD_URL, gift_data(other_campaign, donor_name="Offline gift"))
    old = online_gift(other_campaign, name="Old gift")
    Donation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )

    def names(**params):
        response = admin.get(INDEX_URL, params)
        assert response.status_code == 200
        return set(column(response, "Public name"))

    assert names(status="pending") == {"P"}
    assert names(status=["paid"], source="offline") == {"Offline gift"}
    assert names(campaign_key=str(campaign.translation_key)) == {"Paid online", "P"}
    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert "Old gift" not in names(created_at_from=week_ago)
    assert names(created_at_to=week_ago) == {"Old gift"}


@pytest.mark.django_db
def test_csv_export_of_the_filtered_list_respects_the_email_rule(
    django_user_model, campaign, other_campaign
):
    online_gift(campaign, cents=2500, name='=HYPERLINK("http://x")', email="ada@example.org")
    online_gift(other_campaign, cents=1000, name="Bruno", email="bruno@example.org")
    viewer = staff_client(django_user_model, "viewer", "view_donation")
    trusted = staff_client(django_user_model, "trusted", "view_donation", "view_donor_details")

    rows = csv_rows(viewer.get(INDEX_URL, {"export": "csv"}))
    assert len(rows) == 3
    assert "donor_email" not in rows[0] and "Donor's email" not in rows[0]
    assert not any("@example.org" in cell for row in rows for cell in row)
    header = rows[0]
    by_campaign = {row[header.index("Campaign")]: row for row in rows[1:]}
    assert by_campaign["Jardin des Couronnes"][header.index("Amount (€)")] == "25.00"
    created = datetime.datetime.fromisoformat(rows[1][header.index("Created")])
    assert created.utcoffset() is not None and abs(timezone.now() - created).total_seconds() < 600
    # a donor's name is never exported as a spreadsheet formula
    assert by_campaign["Jardin des Couronnes"][header.index("Public name")].startswith("'=")

    rows = csv_rows(
        trusted.get(
            INDEX_URL, {"export": "csv", "campaign_key": str(other_campaign.translation_key)}
        )
    )
    assert len(rows) == 2
    assert "bruno@example.org" in rows[1]
    assert len(rows[0]) == len(rows[1])

    response = trusted.get(INDEX_URL, {"export": "xlsx"})
    assert response.status_code == 200


# Campaign totals


@pytest.mark.django_db
def test_totals_report_shows_each_source(admin, campaign, other_campaign):
    online_gift(campaign, cents=2500)
    online_gift(campaign, cents=1000)
    admin.post(ADD_URL, gift_data(campaign, amount="40"))
    match = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=3000, source=DonationSource.MATCH
    )
    ledger.transition(match.pk, DonationStatus.PAID)
    refunded = online_gift(campaign, cents=9900)
    ledger.transition(refunded.pk, DonationStatus.REFUNDED, refunded_cents=9900)
    ledger.create_pending(campaign_key=campaign.translation_key, amount_cents=7700)

    response = admin.get(TOTALS_URL)
    assert response.status_code == 200
    rows = {row.title: row for row in response.context["object_list"]}
    jardin = rows["Jardin des Couronnes"]
    assert (jardin.online, jardin.offline, jardin.match) == (3500, 4000, 3000)
    assert jardin.total == 10500 and jardin.gifts == 4
    assert jardin.total == ledger.tally(campaign.translation_key)[0]
    assert rows["Ressourcerie Belleville"].total == 0

    soup = BeautifulSoup(response.content, "html.parser")
    table_text = soup.select_one("table").get_text(" ", strip=True)
    assert "Jardin des Couronnes" in table_text and "Ressourcerie Belleville" in table_text
    assert soup.select_one('[data-total="gifts"]').get_text(strip=True) == "4"


@pytest.mark.django_db
def test_totals_report_query_count_does_not_grow_with_campaigns(admin, listing):
    def add_campaigns(count):
        for _index in range(count):
            page = CampaignPageFactory(parent=listing)
            online_gift(page, cents=1000)
            ledger.save_offline(
                Donation(
                    campaign_key=page.translation_key,
                    amount_cents=500,
                    offline_method="cash",
                    evidence="reçu",
                )
            )

    add_campaigns(2)
    admin.get(TOTALS_URL)
    with CaptureQueriesContext(connection) as two:
        response = admin.get(TOTALS_URL)
    assert len(response.context["object_list"]) == 2
    add_campaigns(8)
    with CaptureQueriesContext(connection) as ten:
        response = admin.get(TOTALS_URL)
    assert len(response.context["object_list"]) == 10
    assert len(ten) == len(two)
    aggregates = [q["sql"] for q in ten.captured_queries if "GROUP BY" in q["sql"]]
    assert len(aggregates) == 1


# Permissions


@pytest.mark.django_db
def test_only_users_with_donation_permissions_see_the_menu_and_views(django_user_model, campaign):
    outsider = staff_client(django_user_model, "outsider")
    viewer = staff_client(django_user_model, "viewer", "view_donation")
    donation = online_gift(campaign)

    dashboard = outsider.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX_URL not in dashboard and TOTALS_URL not in dashboard
    for url in (INDEX_URL, TOTALS_URL, ADD_URL, inspect_url(donation)):
        assert outsider.get(url).status_code in (302, 403), url

    dashboard = viewer.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX_URL in dashboard and TOTALS_URL in dashboard
    assert viewer.get(INDEX_URL).status_code == 200
    assert viewer.get(TOTALS_URL).status_code == 200
    assert viewer.get(inspect_url(donation)).status_code == 200
    # viewing is not recording
    assert viewer.get(ADD_URL).status_code in (302, 403)
    response = viewer.post(ADD_URL, gift_data(campaign))
    assert response.status_code in (302, 403)
    assert Donation.objects.count() == 1


@pytest.mark.django_db
def test_clerk_without_donor_details_records_a_gift_without_email(django_user_model, campaign):
    clerk = staff_client(
        django_user_model, "clerk", "view_donation", "add_donation", "change_donation"
    )
    response = clerk.get(ADD_URL)
    assert "donor_email" not in response.context["form"].fields
    response = clerk.post(ADD_URL, gift_data(campaign))
    assert response.status_code == 302
    gift = Donation.objects.get()
    assert gift.donor_email == ""
    assert ledger.tally(campaign.translation_key) == (2550, 1)
