"""Proposing a project: the public form and the leaders' space, triage in the admin, the
draft campaign a leader writes and submits, its review and publication."""

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from wagtail.models import Page, WorkflowState

import pytest
from bs4 import BeautifulSoup

from campaigns.models import CampaignPage
from stories.campaign_workflow import WORKFLOW_NAME
from stories.models import Proposal
from stories.proposal_forms import amount_to_cents
from stories.proposals import ProposalSource, ProposalStatus
from stories.workflow import REVIEWERS_GROUP
from tests.stories.helpers import make_leader, url

pytestmark = pytest.mark.django_db


def public_data(place=None, **overrides):
    return {
        "name": "Samira Benali",
        "email": "samira@example.org",
        "phone": "",
        "title": "Un café réparation",
        "district": place.code if place else "other",
        "purpose": "Réparer ensemble au lieu de jeter.\n\nUn samedi par mois.",
        "budget": "1 500",
        "languages": ["fr", "ar"],
        "other_languages": "Kabyle",
        "consent": "on",
        **overrides,
    }


def space_data(place=None, **overrides):
    data = public_data(place, **overrides)
    for key in ("name", "email", "phone", "consent"):
        data.pop(key, None)
    return data


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def field_error(page, name):
    """The error shown next to field ``name``, and check the field points to it."""
    field = page.select_one(f"[name={name}]")
    error = page.select_one(f"#id_{name}_error")
    assert error is not None, f"no error next to {name}"
    if field is not None and field.get("type") != "checkbox" or name == "consent":
        described = (field.get("aria-describedby") or "").split()
        assert f"id_{name}_error" in described, f"{name} does not point to its error"
    return error.get_text(" ", strip=True)


# Amounts read as text


@pytest.mark.parametrize(
    "text, cents",
    [
        ("1500", 150_000),
        ("1 500", 150_000),
        ("1\u202f500 €", 150_000),
        ("1.500 €", 150_000),
        ("1,500", 150_000),
        ("1500,50", 150_050),
        ("1500.5", 150_050),
        ("€1,500.50", 150_050),
        ("1.500,50 EUR", 150_050),
        ("5,50", 550),
        ("١٥٠٠", 150_000),
    ],
)
def test_amounts_are_read_as_people_type_them(text, cents):
    assert amount_to_cents(text) == cents


@pytest.mark.parametrize("text", ["abc", "-5", "1e5", "12,345,6", "1..5", "1,5,0", "12.34.567"])
def test_unreadable_amounts_are_refused(text):
    with pytest.raises(ValidationError):
        amount_to_cents(text)


# The public form


def test_a_resident_proposes_a_project_from_the_public_form(client, district, home_page):
    page = client.get(url("propose", language="ar"))
    assert page.status_code == 200
    response = client.post(url("propose", language="ar"), public_data(district))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.source == ProposalSource.PUBLIC and proposal.status == ProposalStatus.NEW
    assert proposal.budget_cents == 150_000 and proposal.district == district
    assert proposal.languages == ["fr", "ar"] and proposal.other_languages == "Kabyle"
    assert proposal.language == "ar" and proposal.contact_consent and proposal.leader is None
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "contact=email" in response["Location"]


def test_a_phone_number_is_enough(client, home_page):
    response = client.post(
        url("propose", language="fr"), public_data(email="", phone="06 12 34 56 78")
    )
    assert response.status_code == 302 and "contact=phone" in response["Location"]
    proposal = Proposal.objects.get()
    assert proposal.phone == "06 12 34 56 78" and proposal.district is None


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"name": ""}, "name"),
        ({"email": "", "phone": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "", "phone": "call me"}, "phone"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"district": "nowhere"}, "district"),
        ({"purpose": ""}, "purpose"),
        ({"budget": ""}, "budget"),
        ({"budget": "beaucoup"}, "budget"),
        ({"budget": "0,50"}, "budget"),
        ({"budget": "99999999"}, "budget"),
        ({"languages": [], "other_languages": ""}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"other_languages": "y" * 201}, "other_languages"),
        ({"consent": ""}, "consent"),
    ],
)
def test_bad_public_input_comes_back_with_the_error_next_to_the_field(
    client, home_page, overrides, field
):
    data = public_data(**overrides)
    response = client.post(url("propose", language="fr"), data)
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    page = soup(response)
    assert field_error(page, field)
    assert page.select_one("[role=alert]") is not None
    # Nothing typed is lost
    for name in ("name", "email", "phone", "title", "budget", "other_languages"):
        if name != field and data.get(name):
            assert page.select_one(f"[name={name}]")["value"] == data[name]
    if field != "purpose":
        assert data["purpose"] in page.select_one("[name=purpose]").get_text()
    if field != "languages":
        ticked = [box["value"] for box in page.select("input[name=languages][checked]")]
        assert ticked == ["fr", "ar"]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"budget": "\x00", "district": ["a", "b"], "languages": "x" * 10_000},
        {**public_data(), "email": "a@b.c" * 100, "title": "\u202e" * 500},
    ],
)
def test_malformed_posts_are_a_400_never_a_500(client, home_page, data):
    response = client.post(url("propose", language="fr"), data)
    assert response.status_code == 400
    if "\x00" not in data.get("budget", ""):  # NUL: the site's malformed-input page
        assert soup(response).select_one("[role=alert]") is not None


def test_errors_are_in_the_readers_language(client, home_page):
    response = client.post(url("propose", language="ar"), public_data(budget="beaucoup"))
    with translation.override("ar"):
        expected = gettext("Enter an amount in euros, for example 1 500 or 12,50.")
    assert expected in response.content.decode()


def test_the_public_form_is_rate_limited(client, home_page, settings):
    settings.REGISTRATION_RATE_LIMIT = (2, 60)
    for _attempt in range(2):
        assert client.post(url("propose", language="fr"), public_data()).status_code == 302
    response = client.post(url("propose", language="fr"), public_data())
    assert response.status_code == 429 and response["Retry-After"]
    assert Proposal.objects.count() == 2


def test_the_campaign_listing_links_to_the_public_form(client, campaign):
    listing = campaign.get_parent()
    response = client.get(listing.url)
    assert url("propose", language="fr") in response.content.decode()


# From the leaders' space


def test_a_leader_proposes_from_the_space_and_sees_it_there(client, leader, district):
    client.force_login(leader)
    response = client.post(url("proposal_new"), space_data(district))
    assert response.status_code == 302 and "contact=space" in response["Location"]
    proposal = Proposal.objects.get()
    assert proposal.leader == leader and proposal.source == ProposalSource.SPACE
    assert proposal.language == "ar" and proposal.email == leader.email
    space = client.get(url("space"))
    assert space.status_code == 200
    text = soup(space).select_one(".space__projects").get_text(" ", strip=True)
    assert "Un café réparation" in text
    assert soup(space).select_one(f"a[href='{url('proposal_new')}']") is not None


def test_bad_space_input_is_a_400_with_what_was_typed(client, leader):
    client.force_login(leader)
    response = client.post(url("proposal_new"), space_data(budget="12,345,6"))
    assert response.status_code == 400
    page = soup(response)
    assert field_error(page, "budget")
    assert page.select_one("[name=budget]")["value"] == "12,345,6"
    assert not Proposal.objects.exists()


def test_the_space_form_is_for_leaders_only(client, django_user_model, home_page):
    response = client.get(url("proposal_new"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(django_user_model.objects.create_user("visitor"))
    assert client.get(url("proposal_new")).status_code == 403


# Triage in the admin


def staff_user(django_user_model, *codenames, username="triage"):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="stories", codename__in=codenames),
    )
    return user


def admin_form(proposal, **overrides):
    data = {
        "status": proposal.status,
        "decline_message": proposal.decline_message,
        "title": proposal.title,
        "district": proposal.district_id or "",
        "purpose": proposal.purpose,
        "budget": "1500",
        "languages": proposal.languages,
        "other_languages": proposal.other_languages,
        "name": proposal.name,
        "email": proposal.email,
        "phone": proposal.phone,
        "language": proposal.language,
        "contact_consent": "on",
        "leader": proposal.leader_id or "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


def new_proposal(**fields):
    defaults = {
        "title": "Un café réparation",
        "purpose": "Réparer ensemble.",
        "budget_cents": 150_000,
        "languages": ["fr"],
        "name": "Samira Benali",
        "email": "samira@example.org",
        "language": "fr",
        "source": ProposalSource.PUBLIC,
    }
    return Proposal.objects.create(**{**defaults, **fields})


def test_staff_without_the_permissions_see_nothing(client, django_user_model, home_page):
    proposal = new_proposal()
    client.force_login(staff_user(django_user_model))
    assert client.get(reverse("proposals:index")).status_code in (302, 403)
    assert client.get(reverse("proposals:edit", args=[proposal.pk])).status_code in (302, 403)
    assert client.get(reverse("proposals:add")).status_code in (302, 403)
    assert "Un café réparation" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_staff_with_view_only_can_look_but_not_change(client, django_user_model, home_page):
    proposal = new_proposal()
    client.force_login(staff_user(django_user_model, "view_proposal"))
    listing = client.get(reverse("proposals:index"))
    assert listing.status_code == 200 and "Un café réparation" in listing.content.decode()
    assert client.get(reverse("proposals:inspect", args=[proposal.pk])).status_code == 200
    assert client.get(reverse("proposals:edit", args=[proposal.pk])).status_code in (302, 403)


def test_the_communications_group_triages_proposals(client, reviewer, district, home_page):
    new_proposal(district=district, status=ProposalStatus.IN_DISCUSSION)
    new_proposal(title="Fête de rue")
    client.force_login(reviewer)
    listing = client.get(reverse("proposals:index"), {"status": "in_discussion"})
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Un café réparation" in text and "Fête de rue" not in text
    by_district = client.get(reverse("proposals:index"), {"district": district.pk})
    assert "Fête de rue" not in by_district.content.decode()
    assert client.get(reverse("proposals:add")).status_code == 200


def test_staff_enter_a_phone_proposal(client, reviewer, home_page):
    client.force_login(reviewer)
    data = {
        "status": "new",
        "title": "Jardin partagé",
        "purpose": "Un jardin pour la rue.",
        "budget": "800,50",
        "languages": ["fr"],
        "name": "M. Diallo",
        "email": "",
        "phone": "06 11 22 33 44",
        "language": "fr",
        "contact_consent": "on",
    }
    response = client.post(reverse("proposals:add"), data)
    assert response.status_code == 302, soup(response).select(".error-message")
    proposal = Proposal.objects.get()
    assert proposal.source == ProposalSource.STAFF and proposal.budget_cents == 80_050


def test_declining_needs_a_message_that_is_emailed_in_the_proposers_language(
    client, reviewer, home_page, django_capture_on_commit_callbacks
):
    proposal = new_proposal(language="ar")
    client.force_login(reviewer)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]), admin_form(proposal, status="declined")
    )
    assert response.status_code == 200  # the form again: no message
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.NEW
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:edit", args=[proposal.pk]),
            admin_form(proposal, status="declined", decline_message="Le budget est trop élevé."),
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samira@example.org"]
    assert "Le budget est trop élevé." in message.body
    with translation.override("ar"):
        assert gettext("Les Co-citoyens") in message.body


def test_a_phone_only_proposal_cannot_be_accepted_without_an_email_or_a_leader(
    client, reviewer, campaign
):
    proposal = new_proposal(email="", phone="06 11 22 33 44")
    client.force_login(reviewer)
    response = client.post(
        reverse("proposals:edit", args=[proposal.pk]), admin_form(proposal, status="accepted")
    )
    assert response.status_code == 200
    with translation.override("fr"):
        expected = translation.gettext(
            "This proposal has no email address. Add the proposer's email (an account is "
            "created and invited) or choose an existing project leader, then accept it."
        )
    assert escape(expected) in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.NEW and proposal.campaign is None


def accept(client, reviewer, proposal, capture, **overrides):
    client.force_login(reviewer)
    with capture(execute=True):
        response = client.post(
            reverse("proposals:edit", args=[proposal.pk]),
            admin_form(proposal, status="accepted", **overrides),
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    proposal.refresh_from_db()
    return proposal


def test_accepting_creates_the_leader_and_a_draft_campaign_in_every_language(
    client, reviewer, campaign, district, django_capture_on_commit_callbacks
):
    proposal = new_proposal(language="ar", district=district)
    proposal = accept(client, reviewer, proposal, django_capture_on_commit_callbacks)
    assert proposal.status == ProposalStatus.ACCEPTED
    leader = proposal.leader
    assert leader.email == "samira@example.org" and not leader.has_usable_password()
    assert leader.leader_profile.language == "ar"
    assert leader.leader_profile.public_name == "Samira Benali"
    page = proposal.campaign.specific
    assert isinstance(page, CampaignPage) and not page.live
    assert page.owner == leader and page.locale.language_code == "fr"
    assert page.get_parent().specific_class.__name__ == "CampaignIndexPage"
    assert page.goal_cents == 150_000 and page.district == district
    copies = Page.objects.filter(alias_of=page)
    assert copies.count() == 4
    for version in [page, *copies]:
        assert list(version.specific.leaders.all()) == [leader]
    assert page.get_latest_revision_as_object().leaders.all()[0] == leader
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 2, subjects  # the invitation and the decision
    assert all(message.to == ["samira@example.org"] for message in mail.outbox)


def test_accepting_a_leaders_proposal_uses_their_account(
    client, reviewer, leader, django_capture_on_commit_callbacks
):
    proposal = new_proposal(leader=leader, email=leader.email, source=ProposalSource.SPACE)
    users = type(leader).objects.count()
    proposal = accept(client, reviewer, proposal, django_capture_on_commit_callbacks)
    assert proposal.leader == leader and type(leader).objects.count() == users
    assert proposal.campaign.specific.owner == leader
    assert len(mail.outbox) == 1  # the decision only: no invitation


# The draft campaign, from the space


@pytest.fixture
def draft_campaign(client, reviewer, leader, django_capture_on_commit_callbacks):
    proposal = new_proposal(leader=leader, email=leader.email, source=ProposalSource.SPACE)
    proposal = accept(client, reviewer, proposal, django_capture_on_commit_callbacks)
    client.logout()
    return proposal.campaign.specific


def campaign_data(**overrides):
    data = {
        "title": "مقهى التصليح",
        "summary": "نصلح معا بدل أن نرمي.",
        "text": "الفقرة الأولى.\n\nالفقرة الثانية.",
        "lines": "2",
        "label_0": "عدة",
        "amount_0": "1 200",
        "label_1": "قهوة",
        "amount_1": "5,50",
        "save": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_leader_edits_the_draft_campaign_lines_and_all(client, leader, draft_campaign):
    client.force_login(leader)
    form = client.get(url("campaign_edit", draft_campaign.pk))
    assert form.status_code == 200
    response = client.post(url("campaign_edit", draft_campaign.pk), campaign_data())
    assert response.status_code == 302
    draft_campaign.refresh_from_db()
    assert not draft_campaign.live
    draft = draft_campaign.get_latest_revision_as_object()
    assert draft.title == "مقهى التصليح" and draft.goal_cents == 120_550
    assert [(line.label, line.amount_cents) for line in draft.budget_lines.all()] == [
        ("عدة", 120_000),
        ("قهوة", 550),
    ]
    assert [block.block_type for block in draft.body] == ["paragraph", "paragraph"]
    assert draft.latest_revision.user == leader
    again = soup(client.get(url("campaign_edit", draft_campaign.pk)))
    assert again.select_one("[name=amount_1]")["value"] == "5.50"  # Arabic: "." decimals


def test_add_and_remove_a_line_without_javascript(client, leader, draft_campaign):
    client.force_login(leader)
    data = campaign_data()
    data.pop("save")
    response = client.post(url("campaign_edit", draft_campaign.pk), {**data, "add_line": "1"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("[name=lines]")["value"] == "3"
    assert page.select_one("[name=label_2]") is not None
    assert page.select_one("[name=label_0]")["value"] == "عدة"  # kept
    response = client.post(url("campaign_edit", draft_campaign.pk), {**data, "remove_line": "0"})
    page = soup(response)
    assert page.select_one("[name=lines]")["value"] == "1"
    assert page.select_one("[name=label_0]")["value"] == "قهوة"
    # Nothing was saved by either
    assert draft_campaign.get_latest_revision_as_object().goal_cents == 150_000


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"summary": ""}, "summary"),
        ({"amount_0": "beaucoup"}, "amount_0"),
        ({"amount_1": ""}, "amount_1"),
        ({"label_1": ""}, "label_1"),
    ],
)
def test_bad_campaign_input_is_a_400_and_keeps_what_was_typed(
    client, leader, draft_campaign, overrides, field
):
    client.force_login(leader)
    data = campaign_data(**overrides)
    response = client.post(url("campaign_edit", draft_campaign.pk), data)
    assert response.status_code == 400
    page = soup(response)
    assert field_error(page, field)
    assert page.select_one("[name=label_0]")["value"] == data["label_0"]
    assert draft_campaign.get_latest_revision_as_object().goal_cents == 150_000


def test_submit_review_lock_changes_and_publication(
    client, leader, reviewer, draft_campaign, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    response = client.post(
        url("campaign_edit", draft_campaign.pk), campaign_data(save=None, submit="1")
    )
    assert response.status_code == 302
    state = draft_campaign.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert client.get(url("campaign_edit", draft_campaign.pk)).status_code == 409
    assert client.post(url("campaign_edit", draft_campaign.pk), campaign_data()).status_code == 409
    assert client.post(url("campaign_submit", draft_campaign.pk)).status_code == 409

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.specific.reject(user=reviewer, comment="Précisez les dates.")
    space = client.get(url("space")).content.decode()
    assert "Précisez les dates." in space
    assert [m.to for m in mail.outbox] == [[leader.email]]
    assert client.get(url("campaign_edit", draft_campaign.pk)).status_code == 200
    assert client.post(url("campaign_submit", draft_campaign.pk)).status_code == 302
    draft_campaign.refresh_from_db()
    state = draft_campaign.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.specific.approve(user=reviewer)
    draft_campaign.refresh_from_db()
    assert draft_campaign.live and draft_campaign.goal_cents == 120_550
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [leader.email]
    client.logout()
    for version in draft_campaign.get_translations(inclusive=True):
        assert client.get(version.url).status_code == 200, version.locale
    client.force_login(leader)
    assert client.get(url("campaign_edit", draft_campaign.pk)).status_code == 409


def test_another_leader_cannot_touch_the_draft(client, django_user_model, draft_campaign):
    other = make_leader(django_user_model, "omar")
    client.force_login(other)
    assert client.get(url("campaign_edit", draft_campaign.pk)).status_code == 404
    assert client.post(url("campaign_submit", draft_campaign.pk)).status_code == 404
    assert client.get(url("campaign_preview", draft_campaign.pk)).status_code == 404
    copy = Page.objects.filter(alias_of=draft_campaign).first()
    assert client.get(url("campaign_edit", copy.pk)).status_code == 404
    client.force_login(draft_campaign.owner)
    response = client.get(url("campaign_edit", copy.pk))
    assert response.status_code == 302
    assert response["Location"] == url("campaign_edit", draft_campaign.pk)


def test_the_space_shows_the_draft_with_its_actions(client, leader, draft_campaign):
    client.force_login(leader)
    page = soup(client.get(url("space")))
    section = page.select_one(".space__projects")
    assert section.select_one(f"a[href='{url('campaign_edit', draft_campaign.pk)}']")
    assert section.select_one(f"form[action='{url('campaign_submit', draft_campaign.pk)}']")
    assert client.get(url("campaign_preview", draft_campaign.pk)).status_code == 200
    # Not among "My campaigns", whose cards link to the public page (a 404 for a draft)
    my_campaigns = page.select_one("section[aria-labelledby='my-campaigns']")
    assert draft_campaign.title not in my_campaigns.get_text()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_leaders_writing_french_and_arabic(
    client, django_user_model, reviewer, campaign, language, django_capture_on_commit_callbacks
):
    leader = make_leader(django_user_model, f"leader{language}", language=language)
    client.force_login(leader)
    response = client.post(url("proposal_new", language=language), space_data())
    assert response.status_code == 302
    proposal = Proposal.objects.get(leader=leader)
    assert proposal.language == language
    proposal = accept(client, reviewer, proposal, django_capture_on_commit_callbacks)
    decision = mail.outbox[-1]
    with translation.override(language):
        assert gettext("Les Co-citoyens") in decision.body
        assert f"/{language}/space/" in decision.body
    client.force_login(leader)
    page = proposal.campaign
    response = client.post(
        url("campaign_edit", page.pk, language=language),
        campaign_data(amount_1="5,50" if language == "fr" else "5.50"),
    )
    assert response.status_code == 302
    assert page.specific.get_latest_revision_as_object().goal_cents == 120_550


def test_communications_group_gets_the_permissions(reviewer):
    group = Group.objects.get(name=REVIEWERS_GROUP)
    codenames = set(
        group.permissions.filter(content_type__app_label="stories").values_list(
            "codename", flat=True
        )
    )
    assert {"add_proposal", "change_proposal", "view_proposal"} <= codenames
    assert "delete_proposal" not in codenames


def test_the_demo_has_a_phone_proposal_and_one_in_discussion(demo_site):
    phone = Proposal.objects.get(source=ProposalSource.PUBLIC, status=ProposalStatus.NEW)
    assert phone.phone and not phone.email
    talked = Proposal.objects.get(status=ProposalStatus.IN_DISCUSSION)
    assert talked.leader.username == "awa"


def test_an_empty_line_is_ignored_and_no_line_at_all_is_refused(client, leader, draft_campaign):
    client.force_login(leader)
    data = campaign_data(lines="3", label_2="", amount_2="")
    assert client.post(url("campaign_edit", draft_campaign.pk), data).status_code == 302
    draft_campaign.refresh_from_db()
    assert draft_campaign.get_latest_revision_as_object().budget_lines.count() == 2
    empty = campaign_data(lines="1", label_0="", amount_0="")
    response = client.post(url("campaign_edit", draft_campaign.pk), empty)
    assert response.status_code == 400
    assert soup(response).select_one("[role=alert]").get_text(" ", strip=True)


def test_a_declined_proposal_shows_the_teams_message_in_the_space(
    client, leader, reviewer, django_capture_on_commit_callbacks
):
    proposal = new_proposal(leader=leader, email=leader.email, source=ProposalSource.SPACE)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("proposals:edit", args=[proposal.pk]),
            admin_form(proposal, status="declined", decline_message="Pas cette année."),
        )
    client.force_login(leader)
    item = soup(client.get(url("space"))).select_one(".space__proposal")
    assert "Pas cette année." in item.get_text()
    assert item.select_one(".status--proposal-declined") is not None
    assert [message.to for message in mail.outbox] == [[leader.email]]
