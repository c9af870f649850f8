"""Payouts and spending: staff record them (amounts typed as text), never above what was
raised, against the campaign's own budget lines, with private receipts; the campaign page,
the leader's space and open data show raised, paid out and spent."""

import csv
import datetime
import io
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

import pytest
from bs4 import BeautifulSoup

from campaigns import payout_demo
from campaigns.factories import CampaignIndexPageFactory, CampaignPageFactory
from campaigns.models import BudgetLine, CampaignPage
from campaigns.payouts import Expense, Payout, money_use
from campaigns.receipts import RECEIPTS_COLLECTION
from donations import ledger
from helpers.money import format_money
from home.factories import HomePageFactory
from home.locales import create_language_aliases
from tests.conftest import speaks
from tests.stories.helpers import make_leader

PAYOUTS_URL = "/admin/payouts/"
PAYOUT_ADD_URL = "/admin/payouts/new/"
EXPENSES_URL = "/admin/expenses/"
EXPENSE_ADD_URL = "/admin/expenses/new/"
DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate()


def pay(campaign, cents):
    """A paid gift of ``cents`` to ``campaign``, while it was open."""
    donation = ledger.create_pending(
        campaign_key=campaign.translation_key, amount_cents=cents, provider="demo"
    )
    ledger.transition(donation.pk, ledger.PAID, paid_at=timezone.now() - DAY / 24)
    return donation


def staff_client(django_user_model, username, *codenames, language="fr"):
    """A signed-in admin user with ``codenames`` of the campaigns app (and nothing else)."""
    user = django_user_model.objects.create_user(username=username, password="x")
    permissions = list(
        Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
    )
    assert len(permissions) == len(codenames)
    user.user_permissions.add(*permissions, Permission.objects.get(codename="access_admin"))
    speaks(user, language)
    client = Client()
    client.force_login(user)
    return client


def pdf_document(title="Facture"):
    document = get_document_model()(title=title)
    document.file.save("facture.pdf", ContentFile(payout_demo.receipt_pdf(["Facture"])), save=False)
    document.save()
    return document


@pytest.fixture
def home(db):
    page = HomePageFactory(
        parent=Page.get_first_root_node(), locale=Locale.objects.get(language_code="fr")
    )
    Site.objects.filter(is_default_site=True).update(root_page=page)
    create_language_aliases(page)
    return page


@pytest.fixture
def listing(home):
    page = CampaignIndexPageFactory(parent=home)
    create_language_aliases(page)
    return page


def campaign_with_lines(listing, title, lines):
    """A live campaign whose budget is ``lines`` [(label, euros)], in every language."""
    page = CampaignPageFactory.build(
        title=title, goal_cents=sum(euros for _label, euros in lines) * 100
    )
    page.budget_lines = [
        BudgetLine(label=label, amount_cents=euros * 100) for label, euros in lines
    ]
    listing.add_child(instance=page)
    page.save_revision().publish()
    create_language_aliases(page)
    return CampaignPage.objects.get(pk=page.pk)


@pytest.fixture
def garden(listing):
    return campaign_with_lines(listing, "Jardin des Couronnes", [("Bacs", 600), ("Outils", 400)])


@pytest.fixture
def kitchen(listing):
    return campaign_with_lines(listing, "Cuisine solidaire", [("Équipement", 500)])


@pytest.fixture
def admin(admin_client, admin_user):
    speaks(admin_user, "fr")
    return admin_client


def payout_data(campaign, **overrides):
    return {
        "campaign": str(campaign.translation_key),
        "amount": "1 234,50",
        "paid_on": (TODAY - DAY).isoformat(),
        "payee": "Association Les Couronnes",
        "reference": "VIR-2026-0001",
        **overrides,
    }


def expense_data(campaign, line, **overrides):
    return {
        "campaign": str(campaign.translation_key),
        "budget_line": line,
        "amount": "85,20",
        "spent_on": (TODAY - DAY).isoformat(),
        "description": "Terreau et graines",
        "supplier": "Jardinerie du 20e",
        **overrides,
    }


def record(campaign, payouts=(), expenses=()):
    """Payouts [(cents, reference)] and expenses [(cents, line, description)] of a campaign."""
    key = campaign.translation_key
    for cents, reference in payouts:
        Payout.objects.create(
            campaign_key=key, paid_on=TODAY, amount_cents=cents, payee="Asso", reference=reference
        )
    for cents, line, description in expenses:
        Expense.objects.create(
            campaign_key=key,
            spent_on=TODAY,
            amount_cents=cents,
            budget_line=line,
            description=description,
            supplier="Fournisseur",
        )


def refused(response):
    """Wagtail's answer to a user without the permission: 403, or (for a page) back to the
    dashboard with "Sorry, you do not have permission…"."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def field_errors(response, name):
    return [str(error) for error in response.context["form"].errors.get(name, [])]


# Staff record payouts and expenses


@pytest.mark.django_db
def test_staff_record_and_edit_a_payout_typed_in_french(admin, admin_user, garden):
    pay(garden, 200_000)
    response = admin.post(PAYOUT_ADD_URL, payout_data(garden))
    assert response.status_code == 302, response.context["form"].errors
    payout = Payout.objects.get()
    assert payout.campaign_key == garden.translation_key
    assert payout.amount_cents == 123_450
    assert payout.entered_by == admin_user
    assert payout.reference == "VIR-2026-0001"

    edit_url = reverse("payouts:edit", args=[payout.pk])
    form = BeautifulSoup(admin.get(edit_url).content, "html.parser")
    amount = form.find("input", attrs={"name": "amount"})
    assert amount["type"] == "text" and amount["value"] == "1234,50"
    response = admin.post(edit_url, payout_data(garden, amount="1500.75"))
    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.amount_cents == 150_075

    listing = admin.get(PAYOUTS_URL).content.decode()
    assert "Jardin des Couronnes" in listing
    assert format_money(150_075, "fr") in listing


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["0", "-5", "douze", "12,345"])
def test_a_payout_amount_must_be_a_positive_amount(admin, garden, amount):
    pay(garden, 200_000)
    response = admin.post(PAYOUT_ADD_URL, payout_data(garden, amount=amount))
    assert response.status_code == 200
    assert field_errors(response, "amount")
    assert not Payout.objects.exists()


@pytest.mark.django_db
def test_paying_out_more_than_was_raised_is_refused_with_a_message(admin, garden):
    pay(garden, 100_000)
    record(garden, payouts=[(60_000, "VIR-1")])
    response = admin.post(PAYOUT_ADD_URL, payout_data(garden, amount="400,01"))
    assert response.status_code == 200
    (error,) = field_errors(response, "amount")
    # the page is in French: the figures are French money
    assert format_money(100_001, "fr") in error
    assert format_money(100_000, "fr") in error
    assert format_money(40_000, "fr") in error
    assert Payout.objects.count() == 1

    # exactly what is left is fine
    response = admin.post(PAYOUT_ADD_URL, payout_data(garden, amount="400"))
    assert response.status_code == 302
    assert Payout.objects.for_campaign(garden.translation_key).total_cents() == 100_000


@pytest.mark.django_db
def test_editing_a_payout_counts_it_once(admin, garden):
    pay(garden, 100_000)
    record(garden, payouts=[(100_000, "VIR-1")])
    payout = Payout.objects.get()
    edit_url = reverse("payouts:edit", args=[payout.pk])
    # its own old amount is not counted twice: lowering then raising back is fine
    assert admin.post(edit_url, payout_data(garden, amount="1000")).status_code == 302
    response = admin.post(edit_url, payout_data(garden, amount="1000,01"))
    assert response.status_code == 200 and field_errors(response, "amount")
    payout.refresh_from_db()
    assert payout.amount_cents == 100_000


@pytest.mark.django_db
def test_no_payout_for_a_campaign_that_raised_nothing(admin, garden):
    response = admin.post(PAYOUT_ADD_URL, payout_data(garden, amount="1"))
    assert response.status_code == 200 and field_errors(response, "amount")
    assert not Payout.objects.exists()


@pytest.mark.django_db
def test_an_expense_is_recorded_against_one_of_its_campaigns_budget_lines(
    admin, admin_user, garden, kitchen
):
    form = BeautifulSoup(admin.get(EXPENSE_ADD_URL).content, "html.parser")
    # the receipt is chosen (or uploaded) with the document chooser, the amount typed as text
    assert form.select_one("select[name=receipt]") is None
    assert form.select_one("input[name=receipt]")
    assert form.select_one("input[name=amount]")["type"] == "text"
    groups = {
        group["label"]: [option["value"] for option in group.find_all("option")]
        for group in form.select("select[name=budget_line] optgroup")
    }
    assert groups == {
        "Jardin des Couronnes": ["Bacs", "Outils"],
        "Cuisine solidaire": ["Équipement"],
    }

    # another campaign's line
    response = admin.post(EXPENSE_ADD_URL, expense_data(garden, "Équipement"))
    assert response.status_code == 200 and field_errors(response, "budget_line")
    # no line while the campaign has some
    response = admin.post(EXPENSE_ADD_URL, expense_data(garden, ""))
    assert response.status_code == 200 and field_errors(response, "budget_line")
    # a line that does not exist
    response = admin.post(EXPENSE_ADD_URL, expense_data(garden, "Voyage"))
    assert response.status_code == 200 and field_errors(response, "budget_line")
    assert not Expense.objects.exists()

    response = admin.post(EXPENSE_ADD_URL, expense_data(garden, "Outils", amount="1 234,50"))
    assert response.status_code == 302, response.context["form"].errors
    expense = Expense.objects.get()
    assert (expense.campaign_key, expense.budget_line) == (garden.translation_key, "Outils")
    assert expense.amount_cents == 123_450
    assert expense.entered_by == admin_user

    edit_url = reverse("expenses:edit", args=[expense.pk])
    response = admin.post(edit_url, expense_data(garden, "Bacs", amount="99"))
    assert response.status_code == 302
    expense.refresh_from_db()
    assert (expense.budget_line, expense.amount_cents) == ("Bacs", 9_900)


@pytest.mark.django_db
def test_an_expense_keeps_a_line_renamed_since(admin, garden):
    record(garden, expenses=[(1_000, "Ancien nom", "Râteau")])
    expense = Expense.objects.get()
    response = admin.post(
        reverse("expenses:edit", args=[expense.pk]),
        expense_data(garden, "Ancien nom", description="Râteau et pelle"),
    )
    assert response.status_code == 302, response.context["form"].errors
    expense.refresh_from_db()
    assert expense.description == "Râteau et pelle"


@pytest.mark.django_db
def test_without_the_permissions_staff_cannot_see_or_record(django_user_model, garden):
    pay(garden, 200_000)
    outsider = staff_client(django_user_model, "outsider")
    dashboard = outsider.get(reverse("wagtailadmin_home")).content.decode()
    assert PAYOUTS_URL not in dashboard and EXPENSES_URL not in dashboard
    for url in (PAYOUTS_URL, PAYOUT_ADD_URL, EXPENSES_URL, EXPENSE_ADD_URL):
        assert refused(outsider.get(url)), url
    assert refused(outsider.post(PAYOUT_ADD_URL, payout_data(garden)))
    assert refused(outsider.post(EXPENSE_ADD_URL, expense_data(garden, "Bacs")))

    # seeing is not recording
    viewer = staff_client(django_user_model, "viewer", "view_payout", "view_expense")
    assert viewer.get(PAYOUTS_URL).status_code == 200
    assert viewer.get(EXPENSES_URL).status_code == 200
    assert refused(viewer.post(PAYOUT_ADD_URL, payout_data(garden)))
    assert refused(viewer.post(EXPENSE_ADD_URL, expense_data(garden, "Bacs")))
    assert not Payout.objects.exists() and not Expense.objects.exists()

    clerk = staff_client(django_user_model, "clerk", "add_payout", "add_expense")
    dashboard = clerk.get(reverse("wagtailadmin_home")).content.decode()
    assert PAYOUTS_URL in dashboard and EXPENSES_URL in dashboard
    assert clerk.post(PAYOUT_ADD_URL, payout_data(garden)).status_code == 302
    assert clerk.post(EXPENSE_ADD_URL, expense_data(garden, "Bacs")).status_code == 302
    assert Payout.objects.count() == 1 and Expense.objects.count() == 1


# Receipts


@pytest.mark.django_db
def test_receipts_are_private_to_staff_and_the_campaigns_leaders(
    admin, client, django_user_model, garden, kitchen, django_capture_on_commit_callbacks
):
    document = pdf_document()
    public_name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(EXPENSE_ADD_URL, expense_data(garden, "Bacs", receipt=document.pk))
    assert response.status_code == 302, response.context["form"].errors
    document.refresh_from_db()
    assert document.collection.name == RECEIPTS_COLLECTION
    assert document.collection.get_view_restrictions().exists()
    # no media URL serves it: its file is under the private prefix, the public one is gone
    assert document.file.name.startswith("private/")
    assert not document.file.storage.exists(public_name)
    url = document.url
    assert url.startswith("/documents/")

    # the public page lists the expense, never the receipt
    page = client.get(garden.url).content.decode()
    assert "Terreau et graines" in page and url not in page

    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]

    leader = make_leader(django_user_model, "nadia", garden, language="fr")
    other = make_leader(django_user_model, "omar", kitchen, language="fr")
    leader_client, other_client = Client(), Client()
    leader_client.force_login(leader)
    other_client.force_login(other)
    response = leader_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert other_client.get(url).status_code == 403

    assert admin.get(url).status_code == 200
    viewer = staff_client(django_user_model, "viewer", "view_expense")
    assert viewer.get(url).status_code == 200
    outsider = staff_client(django_user_model, "outsider")
    assert outsider.get(url).status_code == 403


# The campaign page


def money_section(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one("section.money-use")


@pytest.mark.django_db
def test_the_campaign_page_shows_raised_paid_out_and_spent(client, garden):
    pay(garden, 90_000)
    assert money_section(client.get(garden.url)) is None  # nothing yet

    record(
        garden,
        payouts=[(50_000, "VIR-1"), (20_000, "VIR-2")],
        expenses=[
            (12_050, "Bacs", "Planches de douglas"),
            (3_000, "Bacs", "Vis inox"),
            (4_500, "Outils", "Arrosoirs"),
        ],
    )
    section = money_section(client.get(garden.url))
    text = section.get_text(" ", strip=True)
    with translation.override("fr"):
        assert gettext("Where the money went") in text
    for cents in (90_000, 70_000, 19_550):
        assert format_money(cents, "fr") in text
    # per budget line: planned and spent
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in section.select("table")[0].select("tbody tr")
    }
    assert rows == {
        "Bacs": [format_money(60_000, "fr"), format_money(15_050, "fr")],
        "Outils": [format_money(40_000, "fr"), format_money(4_500, "fr")],
    }
    expenses = section.select("table")[1]
    assert expenses.caption and all(th.get("scope") for th in expenses.select("th"))
    assert "Planches de douglas" in expenses.get_text() and "VIR-1" not in text


@pytest.mark.django_db
def test_the_figures_in_another_language_and_translated_line_labels(client, garden):
    pay(garden, 90_000)
    record(garden, payouts=[(50_000, "VIR-1")], expenses=[(4_500, "Outils", "Arrosoirs")])
    arabic = garden.get_translation(Locale.objects.get(language_code="ar"))
    section = money_section(client.get(arabic.url))
    text = section.get_text(" ", strip=True)
    with translation.override("ar"):
        assert gettext("Where the money went") in text
    for cents in (90_000, 50_000, 4_500):
        assert format_money(cents, "ar") in text

    # a real translation names its lines in its own language
    english = garden.get_translation(Locale.objects.get(language_code="en"))
    lines = list(english.budget_lines.all())
    assert lines, "the English copy has the budget lines"
    for line in lines:
        line.label = {"Bacs": "Beds", "Outils": "Tools"}[line.label]
        line.save()
    use = money_use(garden.translation_key, page_id=english.pk)
    assert [(line.label, line.spent_cents) for line in use.lines] == [
        ("Beds", 0),
        ("Tools", 4_500),
    ]
    assert use.expenses[0].line_label == "Tools"


@pytest.mark.django_db
def test_money_use_costs_one_query_per_kind(garden, django_assert_num_queries):
    key = garden.translation_key
    with django_assert_num_queries(2):  # payouts, expenses: none, nothing more
        assert not money_use(key, raised_cents=0)
    record(
        garden,
        payouts=[(1_000, f"VIR-{n}") for n in range(5)],
        expenses=[(100, "Bacs", f"Achat {n}") for n in range(8)],
    )
    with django_assert_num_queries(3):  # payouts, expenses, budget lines
        use = money_use(key, page_id=garden.pk, raised_cents=90_000)
    assert (use.paid_out_cents, use.spent_cents) == (5_000, 800)
    with django_assert_num_queries(3):
        use = money_use(key, page_id=garden.pk, raised_cents=90_000, payouts=True)
    assert len(use.payouts) == 5 and use.paid_out_cents == 5_000


@pytest.mark.django_db
def test_the_campaign_pages_queries_do_not_grow_with_expenses(
    client, garden, django_assert_max_num_queries
):
    pay(garden, 90_000)
    record(garden, payouts=[(1_000, "VIR-1")], expenses=[(100, "Bacs", "Achat")])
    with CaptureQueriesContext(connection) as few:
        assert client.get(garden.url).status_code == 200
    record(
        garden,
        payouts=[(1_000, f"VIR-{n}") for n in range(2, 8)],
        expenses=[(100, line, f"Achat {n}") for n in range(10) for line in ("Bacs", "Outils")],
    )
    with django_assert_max_num_queries(len(few)):
        assert client.get(garden.url).status_code == 200


# The leader's space


@pytest.mark.django_db
def test_the_leaders_space_shows_their_campaigns_money_only(
    client, django_user_model, garden, kitchen
):
    pay(garden, 90_000)
    pay(kitchen, 50_000)
    record(garden, payouts=[(80_000, "VIR-GARDEN")], expenses=[(4_500, "Outils", "Arrosoirs")])
    record(
        kitchen, payouts=[(30_000, "VIR-KITCHEN")], expenses=[(7_000, "Équipement", "Four à pain")]
    )
    Expense.objects.filter(description="Arrosoirs").update(receipt=pdf_document())
    leader = make_leader(django_user_model, "nadia", garden, language="fr")
    make_leader(django_user_model, "omar", kitchen, language="fr")
    client.force_login(leader)
    with translation.override("fr"):
        response = client.get(reverse("stories:space"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    (section,) = soup.select("section.money-use")
    text = section.get_text(" ", strip=True)
    for cents in (90_000, 80_000, 4_500):
        assert format_money(cents, "fr") in text
    assert "VIR-GARDEN" in text and "Arrosoirs" in text
    receipt = Expense.objects.get(description="Arrosoirs").receipt
    assert section.find("a", href=receipt.url)
    page = response.content.decode()
    assert "VIR-KITCHEN" not in page and "Four à pain" not in page
    assert format_money(30_000, "fr") not in page


# Open data


@pytest.mark.django_db
def test_open_data_has_paid_out_and_spent_per_campaign(client, garden, kitchen):
    pay(garden, 90_000)
    pay(kitchen, 50_000)
    record(
        garden,
        payouts=[(50_000, "VIR-1"), (20_000, "VIR-2")],
        expenses=[(12_050, "Bacs", "Planches"), (4_500, "Outils", "Arrosoirs")],
    )
    content = client.get("/open-data/campaigns.csv").content.decode("utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(content))}
    garden_row, kitchen_row = rows[str(garden.translation_key)], rows[str(kitchen.translation_key)]
    assert (garden_row["paid_out_eur"], garden_row["spent_eur"]) == ("700.00", "165.50")
    assert (kitchen_row["paid_out_eur"], kitchen_row["spent_eur"]) == ("0.00", "0.00")
    for key, row in rows.items():
        paid = Payout.objects.filter(campaign_key=key).total_cents()
        spent = Expense.objects.filter(campaign_key=key).total_cents()
        assert Decimal(row["paid_out_eur"]) * 100 == paid
        assert Decimal(row["spent_eur"]) * 100 == spent

    data = client.get("/open-data/campaigns.json").json()
    assert {"paid_out_eur", "spent_eur"} <= set(data["fields"])
    assert data["fields"]["spent_eur"]["type"] == "decimal"
    by_id = {row["id"]: row for row in data["campaigns"]}
    assert by_id[str(garden.translation_key)]["paid_out_eur"] == "700.00"
    assert by_id[str(garden.translation_key)]["spent_eur"] == "165.50"


@pytest.mark.django_db
def test_open_data_queries_do_not_grow_with_payouts_and_expenses(client, garden, kitchen):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/open-data/campaigns.csv").status_code == 200
        return len(captured)

    queries()  # the site and its locales are cached from then on
    before = queries()
    for campaign in (garden, kitchen):
        pay(campaign, 50_000)
        record(
            campaign,
            payouts=[(1_000, f"VIR-{n}") for n in range(4)],
            expenses=[(100, "Bacs", f"Achat {n}") for n in range(4)],
        )
    assert queries() == before


# Demo


@pytest.mark.django_db
def test_the_demo_pays_the_closed_successful_campaign_once(demo_site):
    campaign = CampaignPage.objects.get(slug=payout_demo.CAMPAIGN_SLUG, locale__language_code="fr")
    key = campaign.translation_key
    assert Payout.objects.for_campaign(key).total_cents() == campaign.raised
    expenses = list(Expense.objects.for_campaign(key).select_related("receipt__collection"))
    assert len(expenses) == len(payout_demo.EXPENSES)
    lines = [line.label for line in campaign.budget_lines.all()]
    for expense in expenses:
        assert expense.budget_line in lines
        assert expense.receipt.collection.name == RECEIPTS_COLLECTION
        assert expense.receipt.file.name.startswith("private/")
        with expense.receipt.open_file() as file:
            assert file.read(5) == b"%PDF-"

    payout_demo.build(None)  # a second run changes nothing
    assert Payout.objects.for_campaign(key).count() == 1
    assert Expense.objects.for_campaign(key).count() == len(payout_demo.EXPENSES)
