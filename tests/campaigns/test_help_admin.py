"""Staff side of the ways to help, in the Wagtail admin ("Help offered"): needs of any
campaign, the offers of a need, offers taken by phone, withdrawals, the waiting list, the
exports, and who may see and do what."""

import csv
import datetime
import io

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest
from bs4 import BeautifulSoup

from campaigns import offers
from campaigns.factories import CampaignPageFactory
from campaigns.needs import HelpOffer, Need, OfferSource, OfferStatus
from cocity import page_cache
from home.groups import COMMUNICATIONS
from home.locales import create_language_aliases
from tests.conftest import speaks

pytestmark = pytest.mark.django_db

INDEX_URL = reverse("help_needs:index")
ADD_URL = reverse("help_needs:add")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, need, item=None):
    args = [need.pk] if item is None else [need.pk, item.pk]
    return reverse(f"help_needs:{name}", args=args)


def make_need(campaign, title="Monter les bacs", wanted=2, **fields):
    fields.setdefault("kind", "task")
    fields.setdefault("language", "fr")
    return Need.objects.create(
        campaign_key=campaign.translation_key, title=title, wanted=wanted, **fields
    )


def help_with(need, name, quantity=1, email="", phone="06 12 34 56 78", **fields):
    """An online offer, through the one module allowed to change places."""
    return offers.offer(
        need, name=name, language="fr", quantity=quantity, email=email, phone=phone, **fields
    )


def status_of(item):
    item.refresh_from_db()
    return item.status


def client_for(user, language="en"):
    speaks(user, language)
    client = Client()
    client.force_login(user)
    return client


def staff_client(django_user_model, username, *codenames):
    """A client for a non-superuser with admin access and the campaigns ``codenames``."""
    user = django_user_model.objects.create_user(username=username, password="x")
    permissions = list(
        Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
    )
    assert len(permissions) == len(codenames)
    permissions.append(Permission.objects.get(codename="access_admin"))
    user.user_permissions.add(*permissions)
    return client_for(user)


def refused(response):
    """Wagtail's answer to staff without the permission: 403, or (a page asked in a browser)
    back to the dashboard with "you do not have permission"."""
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code == 403


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(response):
    return soup(response).get_text(" ", strip=True)


def names_in(response, kind):
    """The first cells of the offers page's table ``kind`` (confirmed, waiting, withdrawn)."""
    table = soup(response).select_one(f'[data-offers="{kind}"]')
    if table is None:
        return []
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    index = headers.index("Name")
    return [row.select("td")[index].get_text(strip=True) for row in table.select("tbody tr")]


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"])


def need_form(page, **overrides):
    """The need form's data, for the campaign ``page``."""
    data = {
        "campaign": str(page.translation_key),
        "kind": "task",
        "title": "Monter les bacs",
        "description": "Avec des planches de récupération.",
        "language": "fr",
        "wanted": "4",
        "starts_at": "",
        "place": "Square des Couronnes",
        "hours": "2,5",
        "is_open": "on",
    }
    data.update(overrides)
    return data


def phone_data(**overrides):
    data = {
        "name": "Moussa Keita",
        "email": "",
        "phone": "06 11 22 33 44",
        "quantity": "1",
        "availability": "Samedi matin",
        "note": "",
        "language": "fr",
    }
    data.update(overrides)
    return data


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode())))


@pytest.fixture
def full_need(campaign):
    """Two places: Ada and Eve have them; Bea, then Chloé (for 2), wait; Dan withdrew."""
    need = make_need(campaign, wanted=2)
    help_with(need, "Ada", email="ada@example.org")
    offers.withdraw(help_with(need, "Dan"))
    help_with(need, "Eve")
    help_with(need, "Bea", email="bea@example.org")
    help_with(need, "Chloé", quantity=2, email="chloe@example.org")
    need.refresh_from_db()
    assert need.taken == 2
    return need


def offer_of(name):
    return HelpOffer.objects.get(name=name)


# The needs


def test_superuser_adds_lists_and_edits_needs_of_any_campaign(admin, admin_user, campaign):
    other = CampaignPageFactory(parent=campaign.get_parent(), title="Repair café Belleville")
    create_language_aliases(other)
    dashboard = admin.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX_URL in dashboard and "Help offered" in dashboard

    response = admin.get(ADD_URL)
    assert response.status_code == 200
    # the campaigns to choose from: their French pages, once each
    options = [
        option.get_text(strip=True) for option in soup(response).select("#id_campaign option")
    ]
    assert options == ["---------", "Jardin des Couronnes", "Repair café Belleville"]

    response = admin.post(ADD_URL, need_form(campaign))
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.campaign_key == campaign.translation_key
    assert (need.wanted, need.hours, need.place) == (4, 2.5, "Square des Couronnes")
    assert need.created_by == admin_user
    make_need(other, title="Prêter une perceuse", kind="thing", wanted=1)

    response = admin.get(INDEX_URL)
    assert response.status_code == 200
    rows = [row.get_text(" ", strip=True) for row in soup(response).select("tbody tr")]
    assert len(rows) == 2
    # grouped by campaign title
    assert "Jardin des Couronnes" in rows[0] and "Monter les bacs" in rows[0]
    assert "Repair café Belleville" in rows[1] and "Prêter une perceuse" in rows[1]
    assert "A task (people to help)" in rows[0] and "Taking offers" in rows[0]
    # filtered by campaign
    response = admin.get(INDEX_URL, {"campaign_key": str(other.translation_key)})
    rows = soup(response).select("tbody tr")
    assert len(rows) == 1 and "Prêter une perceuse" in rows[0].get_text()
    assert url("offers", Need.objects.get(title="Prêter une perceuse")) in rows[0].decode()
    # a campaign that is not one: the filter says so, nothing breaks
    assert admin.get(INDEX_URL, {"campaign_key": "nope"}).status_code == 200

    response = admin.get(url("edit", need))
    assert response.status_code == 200
    assert soup(response).select_one("#id_campaign").has_attr("disabled")
    response = admin.post(
        url("edit", need),
        need_form(other, title="Monter les bacs en bois", wanted="6", is_open=""),
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Monter les bacs en bois" and need.wanted == 6
    assert not need.is_open
    assert need.campaign_key == campaign.translation_key  # a need stays with its campaign


def cached_page(client, address):
    """The page at ``address`` once the page cache holds it (a few misses come first)."""
    for _attempt in range(3):
        response = client.get(address)
        if response["X-Page-Cache"] == "hit":
            return response.content.decode()
    raise AssertionError(f"{address} is never served from the cache")


def test_the_cached_campaign_page_shows_needs_saved_in_the_admin_at_once(
    admin, client, campaign, settings
):
    settings.PAGE_CACHE_SECONDS = 300  # the suite runs without the page cache
    page_cache._known_tags.clear()
    need = make_need(campaign)
    assert "Monter les bacs" in cached_page(client, campaign.url)
    # a change made behind the admin's back does not show: the page comes from the cache
    Need.objects.filter(pk=need.pk).update(title="Changé en douce")
    assert "Changé en douce" not in cached_page(client, campaign.url)

    response = admin.post(url("edit", need), need_form(campaign, title="Arroser les bacs"))
    assert response.status_code == 302
    assert "Arroser les bacs" in client.get(campaign.url).content.decode()
    assert "Arroser les bacs" in cached_page(client, campaign.url)
    # closed: the page, which lists only a campaign's open needs, no longer shows it
    assert admin.post(url("open", need), {"open": "0"}).status_code == 302
    assert "Arroser les bacs" not in client.get(campaign.url).content.decode()
    page_cache._known_tags.clear()


def test_list_query_count_does_not_grow_with_needs_or_offers(
    admin, campaign, django_assert_max_num_queries
):
    def add_needs(count):
        for index in range(count):
            need = make_need(campaign, title=f"Besoin {index}", wanted=1)
            for name in ("A", "B", "C"):
                help_with(need, name)

    add_needs(2)
    admin.get(INDEX_URL)
    with CaptureQueriesContext(connection) as two:
        response = admin.get(INDEX_URL)
    two = len(two)  # read now: the next request empties the connection's query log
    assert len(soup(response).select("tbody tr")) == 2
    add_needs(8)
    with django_assert_max_num_queries(two):
        response = admin.get(INDEX_URL)
    rows = soup(response).select("tbody tr")
    assert len(rows) == 10
    # each: 1 of 1 confirmed, 2 waiting, 3 offers
    assert all("Full: new offers wait" in row.get_text() for row in rows)
    assert all("3 offers" in row.get_text() for row in rows)


def test_bad_need_is_refused_with_its_errors(admin, campaign):
    response = admin.post(ADD_URL, need_form(campaign, hours="beaucoup", campaign=""))
    assert response.status_code == 200  # Wagtail's form page again
    errors = response.context["form"].errors
    assert "hours" in errors and "campaign" in errors
    assert not Need.objects.exists()


def test_edits_keep_places_confirmed_meanwhile_and_refuse_fewer_than_confirmed(admin, campaign):
    need = make_need(campaign, wanted=3)
    help_with(need, "Ada", quantity=2)
    response = admin.post(url("edit", need), need_form(campaign, wanted="1"))
    assert response.status_code == 200
    assert "2 are already confirmed" in response.content.decode()
    need.refresh_from_db()
    assert (need.wanted, need.taken) == (3, 2)

    response = admin.post(url("edit", need), need_form(campaign, title="Nouveau titre"))
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.title, need.wanted, need.taken) == ("Nouveau titre", 4, 2)


def test_raising_wanted_moves_waiting_offers_in_and_emails_them(
    admin, full_need, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("edit", full_need), need_form(campaign, wanted="3"), follow=True)
    assert response.status_code == 200
    # Bea (1) fits in the one new place; Chloé (2) does not and nobody passes her
    assert status_of(offer_of("Bea")) == OfferStatus.CONFIRMED
    assert status_of(offer_of("Chloé")) == OfferStatus.WAITLISTED
    full_need.refresh_from_db()
    assert full_need.taken == 3
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]
    assert "1 offer moved from the waiting list" in messages_of(response)


def test_a_need_with_offers_cannot_be_deleted_and_may_be_closed_instead(admin, campaign, full_need):
    response = admin.get(url("delete", full_need))
    assert response.status_code == 200
    refusal = soup(response).select_one('[data-refused="delete"]')
    assert refusal is not None and "cannot be deleted" in refusal.get_text()
    close_form = soup(response).select_one(f'form[action="{url("open", full_need)}"]')
    assert close_form is not None

    response = admin.post(url("delete", full_need))
    assert response.status_code == 409
    assert "cannot be deleted" in response.content.decode()
    assert Need.objects.filter(pk=full_need.pk).exists()

    response = admin.post(url("open", full_need), {"open": "0"}, follow=True)
    assert response.status_code == 200
    full_need.refresh_from_db()
    assert not full_need.is_open and full_need.state == "closed"
    assert "is closed" in messages_of(response)
    response = admin.post(url("open", full_need), {"open": "1"})
    full_need.refresh_from_db()
    assert full_need.is_open

    unused = make_need(campaign, title="Sans offre")
    assert admin.get(url("delete", unused)).status_code == 200
    assert admin.post(url("delete", unused)).status_code == 302
    assert not Need.objects.filter(pk=unused.pk).exists()


# The offers of a need


def test_offers_page_lists_confirmed_waiting_in_order_and_withdrawn(admin, full_need):
    response = admin.get(url("offers", full_need))
    assert response.status_code == 200
    assert names_in(response, "confirmed") == ["Ada", "Eve"]
    assert names_in(response, "waiting") == ["Bea", "Chloé"]
    assert names_in(response, "withdrawn") == ["Dan"]
    page = soup(response)
    assert page.select_one('[data-summary="places"]').get_text(strip=True) == "2 / 2"
    assert "ada@example.org" in response.content.decode()
    assert page.select_one('[data-offers="confirmed"] bdi').get_text() == "Ada"
    confirm_forms = page.select('[data-offers="waiting"] form[method="post"]')
    assert [form["action"] for form in confirm_forms] == [
        url("confirm", full_need, offer_of("Bea")),
        url("confirm", full_need, offer_of("Chloé")),
    ]
    for name in ("add_offer", "export", "edit"):
        assert url(name, full_need) in response.content.decode()


def test_offers_page_query_count_does_not_grow_with_offers(
    admin, campaign, django_assert_max_num_queries
):
    need = make_need(campaign, wanted=3)
    for index in range(3):
        help_with(need, f"Person {index}")
    admin.get(url("offers", need))
    with CaptureQueriesContext(connection) as few:
        admin.get(url("offers", need))
    few = len(few)
    for index in range(20):
        item = help_with(need, f"Other {index}")
        if index % 4 == 0:
            offers.withdraw(item)
    admin.post(url("add_offer", need), phone_data())  # one taken by a staff member
    with django_assert_max_num_queries(few):
        response = admin.get(url("offers", need))
    assert len(names_in(response, "waiting")) == 16


def test_phone_offer_on_a_full_closed_need_waits_and_is_taken_by_staff(
    admin, admin_user, full_need, django_capture_on_commit_callbacks
):
    Need.objects.filter(pk=full_need.pk).update(is_open=False)
    assert admin.get(url("add_offer", full_need)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url("add_offer", full_need), phone_data(email="moussa@example.org"), follow=True
        )
    assert response.status_code == 200
    item = offer_of("Moussa Keita")
    assert item.status == OfferStatus.WAITLISTED
    assert item.source == OfferSource.PHONE and item.taken_by == admin_user
    assert item.availability == "Samedi matin"
    assert names_in(response, "waiting") == ["Bea", "Chloé", "Moussa Keita"]
    assert "waiting list" in messages_of(response)
    assert [message.to for message in mail.outbox] == [["moussa@example.org"]]


def test_phone_offer_is_confirmed_when_places_are_free(admin, campaign):
    need = make_need(campaign, wanted=5)
    response = admin.post(url("add_offer", need), phone_data(quantity="3"))
    assert response.status_code == 302
    assert offer_of("Moussa Keita").status == OfferStatus.CONFIRMED
    need.refresh_from_db()
    assert need.taken == 3


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"email": "", "phone": ""}, "__all__"),
        ({"quantity": "6"}, "quantity"),
        ({"quantity": "deux"}, "quantity"),
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_phone_offer_is_refused_with_400_and_saves_nothing(admin, campaign, overrides, field):
    need = make_need(campaign)
    response = admin.post(url("add_offer", need), phone_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not HelpOffer.objects.exists()


def test_no_phone_offer_once_the_need_date_has_come(admin, campaign):
    need = make_need(campaign, starts_at=timezone.now() - datetime.timedelta(hours=1))
    response = admin.get(url("add_offer", need))
    assert response.status_code == 302
    response = admin.post(url("add_offer", need), phone_data())
    assert response.status_code == 400
    assert "takes no more offers" in response.content.decode()
    assert not HelpOffer.objects.exists()
    assert url("add_offer", need) not in admin.get(url("offers", need)).content.decode()


def test_withdrawing_asks_first_then_gives_the_places_to_the_first_waiting(
    admin, full_need, django_capture_on_commit_callbacks
):
    ada = offer_of("Ada")
    response = admin.get(url("withdraw", full_need, ada))
    assert response.status_code == 200
    assert "Ada" in response.content.decode()
    assert status_of(ada) == OfferStatus.CONFIRMED  # asking changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("withdraw", full_need, ada), follow=True)
    assert response.status_code == 200
    assert status_of(ada) == OfferStatus.WITHDRAWN
    assert status_of(offer_of("Bea")) == OfferStatus.CONFIRMED
    assert status_of(offer_of("Chloé")) == OfferStatus.WAITLISTED
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]
    assert "Bea" in messages_of(response)
    assert names_in(response, "waiting") == ["Chloé"]

    # a second click changes nothing
    response = admin.post(url("withdraw", full_need, ada))
    assert response.status_code == 302
    full_need.refresh_from_db()
    assert full_need.taken == 2


def test_confirming_a_waiting_offer_that_does_not_fit_changes_nothing(
    admin, full_need, django_capture_on_commit_callbacks
):
    chloe = offer_of("Chloé")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("confirm", full_need, chloe), follow=True)
    assert response.status_code == 200
    assert "is for 2 and 0 places are left" in messages_of(response)
    assert status_of(chloe) == OfferStatus.WAITLISTED
    assert not mail.outbox

    Need.objects.filter(pk=full_need.pk).update(wanted=4)  # room for Chloé, out of turn
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("confirm", full_need, chloe))
    assert response.status_code == 302
    assert status_of(chloe) == OfferStatus.CONFIRMED
    assert status_of(offer_of("Bea")) == OfferStatus.WAITLISTED
    assert [message.to for message in mail.outbox] == [["chloe@example.org"]]
    assert admin.get(url("confirm", full_need, offer_of("Bea"))).status_code == 405


def test_an_offer_of_another_need_is_404(admin, campaign, full_need):
    other = make_need(campaign, title="Autre")
    ada = offer_of("Ada")

    def not_found(response):
        # LocaleMiddleware sends a 404 under /admin/ on to /fr/admin/…, which is a 404 too
        return response.status_code == 404 or admin.get(response["Location"]).status_code == 404

    assert not_found(admin.post(url("withdraw", other, ada)))
    assert not_found(admin.get(reverse("help_needs:offers", args=[999999])))
    assert status_of(ada) == OfferStatus.CONFIRMED


# Exports


def test_csv_export_has_confirmed_then_waiting_and_no_formulas(admin, full_need):
    help_with(
        full_need, '=HYPERLINK("http://evil.example")', note="@SUM(A1)", phone="+33 6 12 34 56"
    )
    rows = csv_rows(admin.get(url("export", full_need)))
    header = rows[0]
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [row["Name"] for row in body] == [
        "Ada",
        "Eve",
        "Bea",
        "Chloé",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert [row["Waiting list position"] for row in body] == ["", "", "1", "2", "3"]
    assert body[0]["Email"] == "ada@example.org" and body[0]["Status"] == "Confirmed"
    assert body[4]["Note"] == "'@SUM(A1)" and body[4]["Phone"] == "'+33 6 12 34 56"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert datetime.datetime.fromisoformat(body[0]["Offered at"]).utcoffset() is not None


def test_campaign_export_has_every_need_and_xlsx_opens_as_text(admin, campaign, full_need):
    other = make_need(campaign, title="Prêter une perceuse", kind="thing", wanted=1)
    help_with(other, '=HYPERLINK("http://evil.example")')
    export = reverse("help_needs:export_campaign", args=[campaign.translation_key])
    rows = csv_rows(admin.get(export))
    assert [row[rows[0].index("Need")] for row in rows[1:]] == ["Monter les bacs"] * 4 + [
        "Prêter une perceuse"
    ]
    # offered from the list filtered by this campaign
    listing = admin.get(INDEX_URL, {"campaign_key": str(campaign.translation_key)})
    assert export in listing.content.decode()

    response = admin.get(export + "?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert f"help-offers-{campaign.slug}.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0] == rows[0]
    assert cells[-1][cells[0].index("Name")] == '=HYPERLINK("http://evil.example")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert isinstance(cells[1][cells[0].index("Offered at")], datetime.datetime)


# Who may see and do what


def test_communications_member_runs_needs_and_offers(django_user_model, campaign, full_need):
    group = Group.objects.get(name=COMMUNICATIONS)  # as the data migrations left it
    assert set(group.permissions.values_list("codename", flat=True)) >= {
        "view_need",
        "add_need",
        "change_need",
        "view_helper_details",
        "view_helpoffer",
        "add_helpoffer",
        "change_helpoffer",
    }
    assert not group.permissions.filter(codename__in=["delete_need", "delete_helpoffer"]).exists()
    user = django_user_model.objects.create_user(username="comms", password="x")
    user.groups.add(group)
    client = client_for(user)

    assert INDEX_URL in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(INDEX_URL)
    assert response.status_code == 200 and "Monter les bacs" in response.content.decode()
    assert client.post(ADD_URL, need_form(campaign, title="Arroser")).status_code == 302
    watering = Need.objects.get(title="Arroser")
    response = client.post(url("edit", watering), need_form(campaign, title="Arroser le soir"))
    assert response.status_code == 302
    watering.refresh_from_db()
    assert watering.title == "Arroser le soir"
    response = client.get(url("offers", full_need))
    assert "ada@example.org" in response.content.decode()
    assert client.post(url("add_offer", full_need), phone_data()).status_code == 302
    assert csv_rows(client.get(url("export", full_need)))[1][4] == "Ada"
    # no delete permission: no deleting, not even an unused need
    assert refused(client.post(url("delete", watering)))
    assert Need.objects.filter(pk=watering.pk).exists()


def test_staff_without_permissions_get_403_and_no_menu(django_user_model, full_need):
    outsider = staff_client(django_user_model, "outsider")
    assert INDEX_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()
    ada, bea = offer_of("Ada"), offer_of("Bea")
    for address in [
        INDEX_URL,
        ADD_URL,
        url("edit", full_need),
        url("offers", full_need),
        url("add_offer", full_need),
        url("withdraw", full_need, ada),
        url("export", full_need),
    ]:
        assert refused(outsider.get(address)), address
    for address in [url("withdraw", full_need, ada), url("confirm", full_need, bea)]:
        assert refused(outsider.post(address)), address
    assert refused(outsider.post(url("open", full_need), {"open": "0"}))
    assert refused(outsider.post(url("add_offer", full_need), phone_data()))
    assert status_of(ada) == OfferStatus.CONFIRMED
    full_need.refresh_from_db()
    assert full_need.is_open
    assert not HelpOffer.objects.filter(name="Moussa Keita").exists()


def test_helpers_details_are_hidden_without_their_permission(django_user_model, full_need):
    viewer = staff_client(django_user_model, "viewer", "view_need", "view_helpoffer")
    assert INDEX_URL in viewer.get(reverse("wagtailadmin_home")).content.decode()
    response = viewer.get(url("offers", full_need))
    assert response.status_code == 200
    content = response.content.decode()
    for detail in ("Ada", "Chloé", "ada@example.org", "06 12 34 56 78"):
        assert detail not in content
    assert "hidden" in text_of(response)
    assert not soup(response).select(".helper-details")
    # looking is not acting, and no export
    for name in ("add_offer", "export"):
        assert url(name, full_need) not in content
    assert url("withdraw", full_need, offer_of("Ada")) not in content
    assert refused(viewer.get(url("export", full_need)))
    assert refused(viewer.post(url("withdraw", full_need, offer_of("Ada"))))

    trusted = staff_client(
        django_user_model, "trusted", "view_need", "view_helpoffer", "view_helper_details"
    )
    response = trusted.get(url("offers", full_need))
    assert "ada@example.org" in response.content.decode()
    assert trusted.get(url("export", full_need)).status_code == 200


def test_the_permissions_are_offered_in_the_groups_settings(admin):
    response = admin.get(reverse("wagtailusers_groups:add"))
    assert response.status_code == 200
    for codename in ("view_helper_details", "add_helpoffer", "view_need"):
        permission = Permission.objects.get(content_type__app_label="campaigns", codename=codename)
        assert soup(response).select_one(f'input[name="permissions"][value="{permission.pk}"]')


# Languages


def test_admin_pages_render_in_arabic_right_to_left(admin_user, full_need):
    client = client_for(admin_user, "ar")
    ada = offer_of("Ada")
    for address in [
        INDEX_URL,
        ADD_URL,
        url("edit", full_need),
        url("delete", full_need),
        url("offers", full_need),
        url("add_offer", full_need),
        url("withdraw", full_need, ada),
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        html = soup(response).html
        assert (html["lang"], html["dir"]) == ("ar", "rtl"), address
    response = client.post(url("add_offer", full_need), phone_data(email="bad"))
    assert response.status_code == 400
    assert soup(response).html["dir"] == "rtl"
