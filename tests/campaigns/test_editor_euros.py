"""An editor that speaks euros (issue 14, item 8): the goal and budget lines typed in euros
(stored in cents), the donation block giving to its own page's campaign, suggested amounts
in one field, the button text on the button, the leaders field listing leaders only."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from wagtail.blocks import StreamValue
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

import pytest
from bs4 import BeautifulSoup

from campaigns.admin_forms import LEADERS_GROUP
from campaigns.models import BudgetLine, CampaignPage
from donations.blocks import DonationBlock
from home.factories import StandardPageFactory
from home.locales import create_language_aliases
from stories import workflow
from tests.conftest import speaks

pytestmark = pytest.mark.django_db

EDIT = "/admin/pages/{}/edit/"
NARROW_SPACE = "\u202f"  # what CLDR puts between thousands in French


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    speaks(user, "fr")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def budgeted(campaign):
    """The campaign with a goal of 3 000 € in two budget lines (1 800 € and 1 200 €)."""
    campaign.goal_cents = 300_000
    campaign.budget_lines = [
        BudgetLine(label="Bacs", amount_cents=180_000),
        BudgetLine(label="Outils", amount_cents=120_000),
    ]
    campaign.save_revision().publish()
    return campaign


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def edit_data(client, page, **changes):
    """What the edit form would send back unchanged, with ``changes`` (and the body, which
    the browser builds with JavaScript, as a StreamField of ``body`` items)."""
    response = client.get(EDIT.format(page.pk))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    body = changes.pop("body", [])
    for key in [key for key in data if "__prefix__" in key]:
        del data[key]
    data.update(nested_form_data({"body": streamfield(body)}))
    data.update(changes)
    data["action-publish"] = "action-publish"
    return data


def field_errors(response):
    soup = soup_of(response)
    return " ".join(node.get_text(" ", strip=True) for node in soup.select(".error-message"))


def test_the_goal_and_budget_lines_are_shown_in_euros(editor, budgeted):
    soup = soup_of(editor.get(EDIT.format(budgeted.pk)))
    goal = soup.select_one("input[name=goal_cents]")
    assert goal["value"] == f"3{NARROW_SPACE}000"  # was 300000
    assert goal["inputmode"] == "decimal" and goal["dir"] == "ltr"
    assert "Objectif (€)" in soup.get_text() or "Goal (€)" in soup.get_text()
    amounts = [soup.select_one(f"input[name=budget_lines-{n}-amount_cents]") for n in (0, 1)]
    assert [field["value"] for field in amounts] == [f"1{NARROW_SPACE}800", f"1{NARROW_SPACE}200"]


def test_euros_typed_are_stored_in_cents(editor, budgeted):
    data = edit_data(
        editor,
        budgeted,
        goal_cents="2 400,50",
        **{"budget_lines-0-amount_cents": "1400,50", "budget_lines-1-amount_cents": "1 000 €"},
    )
    response = editor.post(EDIT.format(budgeted.pk), data)
    assert response.status_code == 302, field_errors(response)
    page = CampaignPage.objects.get(pk=budgeted.pk)
    assert page.goal_cents == 240_050
    assert sorted(line.amount_cents for line in page.budget_lines.all()) == [100_000, 140_050]
    # shown back as typed, in euros
    soup = soup_of(editor.get(EDIT.format(budgeted.pk)))
    assert soup.select_one("input[name=goal_cents]")["value"] == f"2{NARROW_SPACE}400,50"


def test_bad_amounts_are_form_errors_not_500s(editor, budgeted):
    speaks(editor.user, "en")
    data = edit_data(editor, budgeted, goal_cents="abc", **{"budget_lines-1-amount_cents": "douze"})
    response = editor.post(EDIT.format(budgeted.pk), data)
    assert response.status_code in (200, 400)
    assert "Enter an amount in euros, for example 1 500 or 12,50." in field_errors(response)
    soup = soup_of(response)
    assert soup.select_one("input[name=goal_cents]")["value"] == "abc"  # as typed
    assert soup.select_one("input[name=budget_lines-1-amount_cents]")["value"] == "douze"
    assert CampaignPage.objects.get(pk=budgeted.pk).goal_cents == 300_000


def test_the_budget_must_still_add_up_to_the_goal(editor, budgeted):
    speaks(editor.user, "en")
    data = edit_data(editor, budgeted, goal_cents="3 000,01")
    response = editor.post(EDIT.format(budgeted.pk), data)
    assert response.status_code != 302
    assert "they must be equal" in response.content.decode()


def donation(campaign=None, **overrides):
    value = {
        "campaign": campaign,
        "heading": "Soutenez ce projet",
        "text": "",
        "preset_amounts": [10, 25],
        "allow_custom_amount": True,
        "button_label": "Donner pour ce projet",
    }
    value.update(overrides)
    return value


def test_a_donation_block_without_a_campaign_gives_to_its_pages_campaign(client, campaign):
    campaign.body = [("donation", donation())]
    campaign.save_revision().publish()
    for language in ("fr", "ar"):
        url = campaign.get_url().replace("/fr/", f"/{language}/", 1)
        block = soup_of(client.get(url)).select_one("section.donation-block")
        form = block.select_one("form")
        assert form["action"] == f"/{language}/donate/{campaign.translation_key}/", language
        assert [b["value"] for b in form.select("button[name=amount]")] == ["10", "25", ""]
        give = form.select_one("button.donation-block__give")
        assert give.get_text(strip=True) == "Donner pour ce projet"  # was never rendered
        assert not give.has_attr("name")  # opens the form with nothing chosen yet


def test_elsewhere_a_donation_block_without_a_campaign_says_so(client, home_page):
    page = StandardPageFactory(parent=home_page, title="À propos")
    page.body = [("donation", donation())]
    page.save_revision().publish()
    create_language_aliases(page)
    block = soup_of(client.get(page.url)).select_one("section.donation-block")
    assert block.select_one("form") is None
    assert block.select_one(".donation-block__gone") is not None


def test_the_editor_saves_a_block_with_no_campaign_and_amounts_in_one_field(editor, budgeted):
    block = {
        "campaign": "",
        "heading": "Soutenez",
        "text": "",
        "preset_amounts": "5 20 100",
        "allow_custom_amount": "on",
        "button_label": "Je donne",
    }
    data = edit_data(editor, budgeted, body=[("donation", block)])
    response = editor.post(EDIT.format(budgeted.pk), data)
    assert response.status_code == 302, field_errors(response)
    value = CampaignPage.objects.get(pk=budgeted.pk).body[0].value
    assert value["campaign"] is None and value["preset_amounts"] == [5, 20, 100]
    stored = CampaignPage.objects.get(pk=budgeted.pk).body.raw_data[0]["value"]
    assert stored["preset_amounts"] == [5, 20, 100]  # a plain list of numbers
    # the editor opens it again with the amounts in the one field
    assert "5 20 100" in editor.get(EDIT.format(budgeted.pk)).content.decode()


def test_unusable_amounts_in_the_block_are_a_form_error(editor, budgeted):
    speaks(editor.user, "en")
    block = {**donation(), "campaign": "", "preset_amounts": "12,50", "allow_custom_amount": ""}
    response = editor.post(
        EDIT.format(budgeted.pk), edit_data(editor, budgeted, body=[("donation", block)])
    )
    assert response.status_code in (200, 400)
    assert "Type whole euros between 1 and 5000" in response.content.decode()
    assert not CampaignPage.objects.get(pk=budgeted.pk).body


def test_blocks_stored_before_still_render(client, home_page, campaign):
    """The suggested amounts were a list block: items with a type, a value and an id."""
    page = StandardPageFactory(parent=home_page, title="Nos projets")
    old = {
        "type": "donation",
        "id": "0c5b5a52-8d0c-4a3b-9d35-1f3f0d3c7a10",
        "value": {
            "campaign": campaign.pk,
            "heading": "Soutenez le jardin",
            "text": "Chaque euro compte.",
            "preset_amounts": [
                {"type": "item", "value": 15, "id": "b7e1a3f2-7a53-4b1e-9a4c-3c3b3f5d9e01"},
                {"type": "item", "value": 40, "id": "b7e1a3f2-7a53-4b1e-9a4c-3c3b3f5d9e02"},
            ],
            "allow_custom_amount": False,
            "button_label": "Donner",
        },
    }
    page.body = StreamValue(page.body.stream_block, [old], is_lazy=True)
    page.save_revision().publish()
    create_language_aliases(page)
    form = soup_of(client.get(page.url)).select_one("section.donation-block form")
    assert [b["value"] for b in form.select("button[name=amount]")] == ["15", "40"]
    assert form.select_one("input[name=presets]")["value"] == "15,40"
    assert form.select_one("button.donation-block__give").get_text(strip=True) == "Donner"
    # and the editor shows them in the one field
    amounts = DonationBlock().child_blocks["preset_amounts"]
    assert amounts.get_form_state(amounts.to_python(old["value"]["preset_amounts"])) == "15 40"


@pytest.mark.parametrize(
    ("typed", "amounts"),
    [("10 25 50", [10, 25, 50]), ("10, 25, 50 €", [10, 25, 50]), (" 5  100 ", [5, 100])],
)
def test_suggested_amounts_are_typed_in_one_field(typed, amounts):
    assert DonationBlock().child_blocks["preset_amounts"].clean(typed) == amounts


@pytest.mark.parametrize(
    "typed", ["", "12,50", "10 10", "0 5", "9999", "1 2 3 4 5 6 7", "dix", "-5"]
)
def test_unusable_suggested_amounts_are_refused(typed):
    with pytest.raises(ValidationError):
        DonationBlock().child_blocks["preset_amounts"].clean(typed)


def test_the_leaders_field_offers_only_project_leaders(editor, budgeted, django_user_model):
    assert LEADERS_GROUP == workflow.LEADERS_GROUP  # the name campaigns repeats
    leaders, _created = Group.objects.get_or_create(name=workflow.LEADERS_GROUP)
    nadia = django_user_model.objects.create_user("nadia", first_name="Nadia", last_name="B")
    gone = django_user_model.objects.create_user("gone", is_active=False)
    nadia.groups.add(leaders)
    gone.groups.add(leaders)
    staff = django_user_model.objects.create_user("comms", is_staff=True)
    former = django_user_model.objects.create_user("former")  # leads it, no longer a leader
    budgeted.leaders.set([former])
    budgeted.save_revision().publish()

    soup = soup_of(editor.get(EDIT.format(budgeted.pk)))
    options = soup.select("select[name=leaders] option") or soup.select("input[name=leaders]")
    offered = {int(option["value"]) for option in options if option.get("value")}
    assert offered == {nadia.pk, former.pk}
    assert editor.user.pk not in offered and staff.pk not in offered and gone.pk not in offered
    assert "Nadia B (nadia)" in soup.get_text()


def test_a_deleted_budget_line_no_longer_counts_towards_the_goal(editor, budgeted):
    data = edit_data(editor, budgeted, goal_cents="1 800", **{"budget_lines-1-DELETE": "1"})
    response = editor.post(EDIT.format(budgeted.pk), data)
    assert response.status_code == 302, field_errors(response)
    page = CampaignPage.objects.get(pk=budgeted.pk)
    assert page.goal_cents == 180_000
    assert [line.amount_cents for line in page.budget_lines.all()] == [180_000]
