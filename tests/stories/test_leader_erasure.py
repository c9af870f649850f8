"""Erasing a project leader on request (issue 13, item 5): their account is closed and
emptied, their sessions end, and their name, email and phone leave every table, every
revision, the public pages, the API and the staff exports — while the stories they wrote
stay published without the author's name and the other leaders' space keeps working."""

import contextlib
import csv
import io
import json

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation as django_translation

from wagtail.models import Locale, Page, PageLogEntry, Revision
from wagtail_localize.models import Translation

import pytest

from helpers import personal_data
from stories import proposal_actions
from stories.access import leader_campaigns
from stories.leader_admin import set_leader_campaigns
from stories.models import LeaderProfile
from stories.personal_data import Scrubber
from stories.proposals import Proposal, ProposalSource
from tests.home.test_personal_data import (
    admin,  # noqa: F401 - the staff client of the personal data tests
    erase_by_staff,
    export_url,
    holding,
    public_and_staff_texts,
    staff,
    text_values_holding,
)
from tests.stories.helpers import make_leader, url
from tests.stories.test_any_language import write_and_publish

pytestmark = pytest.mark.django_db

FR_NAME = "Margaux Delacroix-Vidal"
FR_EMAIL = "margaux.delacroix@example.org"
FR_PHONE = "07 11 22 33 44"
FR_NEEDLES = [FR_NAME, "Delacroix", FR_EMAIL, "margaux.delacroix", "11 22 33 44", "711223344"]

AR_NAME = "نادية بن علي"
AR_EMAIL = "nadia.benali@example.org"
AR_PHONE = "+33 6 98 76 54 32"
AR_NEEDLES = [AR_NAME, AR_EMAIL, "nadia.benali", "98 76 54 32", "698765432"]

LANGUAGES = ["fr", "en", "ar"]


def database_texts_holding(needles):
    """Every (table, column, text) of the database holding one of ``needles``: every table
    (the models', Wagtail's, the search index's, the sessions'…), every column read as text,
    JSON decoded (a JSON column or a StreamField may write Arabic as \\u escapes)."""
    lowered = [needle.lower() for needle in needles]
    hits = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=False)
        for table in tables:
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, dict | list):
                        value = json.dumps(value, ensure_ascii=False)
                    if not isinstance(value, str):
                        continue
                    texts = [value.lower()]
                    if value.lstrip()[:1] in ("[", "{", '"'):
                        with contextlib.suppress(ValueError):  # text that only looks like JSON
                            texts.append(json.dumps(json.loads(value), ensure_ascii=False).lower())
                    if any(needle in text for text in texts for needle in lowered):
                        hits.append((table, column, value[:120]))
    return hits


def nowhere_in_the_database(needles):
    return text_values_holding(needles) == [] and database_texts_holding(needles) == []


def api_texts(client):
    texts = {}
    for params in (
        {"type": "stories.StoryPage", "fields": "*"},
        {"type": "stories.StoryPage", "fields": "*", "locale": "ar"},
        {"type": "campaigns.CampaignPage", "fields": "*"},
        {"fields": "*", "locale": "en"},
    ):
        response = client.get("/api/v2/pages/", params)
        assert response.status_code == 200, params
        texts[f"api {params}"] = response.content.decode("unicode_escape")
    return texts


def story_pages(client, story):
    """The story's page in every language (language copies and translations), as read."""
    texts = {}
    for version in Page.objects.filter(translation_key=story.translation_key).select_related(
        "locale"
    ):
        language = version.locale.language_code
        if language not in LANGUAGES:
            continue
        response = client.get(version.get_url())
        assert response.status_code == 200, (language, response.status_code)
        texts[f"story {language}"] = response.content.decode()
    assert len(texts) == len(LANGUAGES)
    return texts


def exported(admin, **person):  # noqa: F811 - the fixture above
    """What the staff exports hold about the person (not the email or phone searched, which
    the export repeats)."""
    data = {"email": "", "phone": "", **person}
    response = admin.post(export_url("json"), data)
    assert response.status_code == 200
    records = json.loads(response.content)["records"]
    response = admin.post(export_url("csv"), data)
    assert response.status_code == 200
    return {
        "export json": json.dumps(records, ensure_ascii=False),
        "export csv": response.content.decode(),
    }


@pytest.fixture
def french_leader(django_user_model, campaign, story_index):
    user = make_leader(django_user_model, "margaux", campaign, language="fr")
    user.email, user.first_name, user.last_name = FR_EMAIL, "Margaux", "Delacroix-Vidal"
    user.save()
    LeaderProfile.objects.filter(user=user).update(public_name=FR_NAME)
    return user


@pytest.fixture
def other_leader(django_user_model, campaign, story_index):
    return make_leader(django_user_model, "ines", campaign, language="fr")


@pytest.fixture
def french_story(client, french_leader, reviewer, campaign, django_capture_on_commit_callbacks):
    """A story the French leader wrote (naming herself, with her email and phone) and the
    reviewer published, then translated into English with wagtail-localize (the
    translation repeats her name); the other languages read a copy of it."""
    story = write_and_publish(
        client,
        french_leader,
        reviewer,
        campaign,
        django_capture_on_commit_callbacks,
        language="fr",
        title="Le jardin partagé a ouvert",
        text=(
            f"Je suis {FR_NAME}, joignable au {FR_PHONE} ou à {FR_EMAIL}.\n\n"
            "Les premiers bacs sont posés, merci au quartier."
        ),
        alt_1="",
        alt_2="",
    )
    english = Locale.objects.get(language_code="en")
    client.force_login(reviewer)
    with django_translation.override("en"):
        response = client.post(
            f"/admin/localize/submit/page/{story.pk}/", {"locales": [english.pk]}
        )
    assert response.status_code == 302, response.content.decode()[:500]
    job = Translation.objects.get(source__object_id=story.translation_key)
    po = job.export_po()
    for entry in po:
        entry.msgstr = entry.msgid.replace("Je suis", "I am").replace("Les premiers", "The first")
    job.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):
        job.save_target(user=reviewer, publish=True)
    client.logout()
    return story


@pytest.fixture
def arabic_leader(reviewer, campaign, story_index, django_capture_on_commit_callbacks):
    """A resident's proposal (in Arabic, naming her and her phone) that staff accept: her
    account is created and a draft campaign is written from her text."""
    proposal = Proposal.objects.create(
        title="حديقة الأطفال",
        purpose=f"أنا {AR_NAME}، هاتفي {AR_PHONE}.\n\nحديقة صغيرة للأطفال في الحي.",
        budget_cents=90_000,
        name=AR_NAME,
        email=AR_EMAIL,
        phone=AR_PHONE,
        language="ar",
        source=ProposalSource.PUBLIC,
        contact_consent=True,
    )
    request = RequestFactory().get("/")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_actions.accept(proposal, reviewer, request)
    proposal.refresh_from_db()
    leader = proposal.leader
    # staff also make her a leader of the running campaign, to tell its story
    set_leader_campaigns(leader, [*leader_campaigns(leader), campaign])
    return leader


@pytest.fixture
def arabic_story(client, arabic_leader, reviewer, campaign, django_capture_on_commit_callbacks):
    return write_and_publish(
        client,
        arabic_leader,
        reviewer,
        campaign,
        django_capture_on_commit_callbacks,
        language="ar",
        title="افتتاح الحديقة",
        text=f"كتبته {AR_NAME}.\n\nالفقرة الثانية.",
        alt_1="",
        alt_2="",
    )


def signed_in(user):
    """A browser signed in as ``user`` through the leaders' login page."""
    browser = Client()
    browser.force_login(user)
    assert browser.get(url("space", language="fr")).status_code == 200
    return browser


def test_a_french_leader_is_erased_and_their_story_stays_without_their_name(
    client,
    admin,  # noqa: F811 - the fixture above
    admin_user,
    french_leader,
    other_leader,
    french_story,
    workshop,
):
    proposal = Proposal.objects.create(
        title="Un composteur de quartier",
        purpose=f"Proposé au téléphone par {FR_NAME} ({FR_PHONE}).",
        budget_cents=30_000,
        name=FR_NAME,
        email=FR_EMAIL,
        phone=FR_PHONE,
        source=ProposalSource.STAFF,
        leader=french_leader,
    )
    browser = signed_in(french_leader)
    others = signed_in(other_leader)

    # Before: found, exported, erasable; shown as the story's author (the test can fail)
    found = personal_data.find(FR_EMAIL, "")
    kinds = {(record.kind, record.id, record.erasable) for record in found.records}
    assert kinds == {
        ("stories.proposal", proposal.pk, True),
        ("stories.leader_account", french_leader.pk, True),
        ("stories.story", french_story.pk, False),
    }
    story_record = next(r for r in found.records if r.kind == "stories.story")
    with django_translation.override("fr"):
        assert str(story_record.note) == django_translation.gettext(
            "Stays published without the author's name."
        )
    assert holding(story_pages(client, french_story), FR_NEEDLES)
    assert holding(exported(admin, email=FR_EMAIL), FR_NEEDLES)
    assert database_texts_holding(FR_NEEDLES) and text_values_holding(FR_NEEDLES)
    assert Translation.objects.filter(source__object_id=french_story.translation_key).exists()

    response = erase_by_staff(admin, email=FR_EMAIL)
    assert response.status_code == 302

    assert database_texts_holding(FR_NEEDLES) == []
    assert text_values_holding(FR_NEEDLES) == []
    texts = {
        **story_pages(client, french_story),  # still published, in every language
        **api_texts(client),
        **exported(admin, email=FR_EMAIL, phone=FR_PHONE),
        **public_and_staff_texts(client, admin, workshop),
    }
    assert holding(texts, FR_NEEDLES) == {}
    assert "Margaux" not in texts["story fr"]  # no byline left
    assert "Les premiers bacs sont posés" in texts["story fr"]
    assert personal_data.find(FR_EMAIL, FR_PHONE).records == []

    # The account is closed and emptied
    french_leader.refresh_from_db()
    assert french_leader.username == f"erased-{french_leader.pk}"
    assert (french_leader.first_name, french_leader.last_name, french_leader.email) == ("", "", "")
    assert not french_leader.is_active and not french_leader.has_usable_password()
    assert not french_leader.groups.exists()
    assert LeaderProfile.objects.get(user=french_leader).public_name == ""
    assert not Client().login(username="margaux", password="pw")
    login = Client().post(url("login", language="fr"), {"username": "margaux", "password": "pw"})
    assert login.status_code == 200  # the form again, no session
    # Their open session is gone: the space sends them to sign in
    assert browser.get(url("space", language="fr")).status_code == 302
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(french_leader.pk)

    # The story stays theirs in the admin, published, its text kept but for the name
    french_story.refresh_from_db()
    assert french_story.live and french_story.owner_id == french_leader.pk
    assert french_story.specific.author_name == ""
    assert "[…]" in json.dumps(list(french_story.specific.body.raw_data), ensure_ascii=False)
    assert admin.get(reverse("wagtailadmin_pages:edit", args=[french_story.pk])).status_code == 200
    assert admin.get(reverse("project_leaders:index")).status_code == 200
    # The other leader's space still works, with the campaign they share
    assert others.get(url("space", language="fr")).status_code == 200

    # History says who erased what, with no personal data (the database scan covers it)
    assert PageLogEntry.objects.filter(
        page=french_story, action=personal_data.ERASED_ACTION, user=admin_user
    ).exists()
    assert not any(
        FR_NAME in json.dumps(r.content, ensure_ascii=False)
        for r in Revision.page_revisions.filter(object_id=str(french_story.pk))
    )


def test_an_arabic_leader_from_a_proposal_is_erased_with_her_draft_campaign_scrubbed(
    client,
    admin,  # noqa: F811 - the fixture above
    arabic_leader,
    other_leader,
    arabic_story,
    workshop,
):
    proposal = Proposal.objects.get(leader=arabic_leader)
    draft = proposal.campaign.specific
    assert AR_NAME in draft.summary  # the draft campaign repeats her text (the test can fail)
    assert arabic_leader.leader_profile.public_name == AR_NAME
    browser = signed_in(arabic_leader)
    others = signed_in(other_leader)
    ar_page = story_pages(client, arabic_story)["story ar"]
    assert AR_NAME in ar_page

    # found by phone alone: the proposal; by email: the account and the story too
    assert {r.kind for r in personal_data.find("", "06 98 76 54 32").records} == {
        "stories.proposal"
    }
    response = erase_by_staff(admin, email=AR_EMAIL, phone=AR_PHONE)
    assert response.status_code == 302

    assert database_texts_holding(AR_NEEDLES) == []
    assert text_values_holding(AR_NEEDLES) == []
    texts = {
        **story_pages(client, arabic_story),
        **api_texts(client),
        **exported(admin, email=AR_EMAIL, phone=AR_PHONE),
        **public_and_staff_texts(client, admin, workshop),
    }
    assert holding(texts, AR_NEEDLES) == {}
    assert "الفقرة الثانية." in texts["story ar"]

    draft.refresh_from_db()
    assert draft.summary.startswith("أنا […]، هاتفي […]")
    assert not draft.leaders.filter(pk=arabic_leader.pk).exists()
    assert draft.owner_id == arabic_leader.pk  # the page stays the emptied account's
    assert browser.get(url("space", language="ar")).status_code == 302
    assert others.get(url("space", language="ar")).status_code == 200
    arabic_leader.refresh_from_db()
    assert not arabic_leader.is_active and arabic_leader.email == ""
    assert admin.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).status_code == 200
    proposal.refresh_from_db()
    assert (proposal.name, proposal.email, proposal.phone) == ("", "", "")
    assert proposal.purpose.startswith("أنا […]، هاتفي […]")


def test_staff_without_the_permission_cannot_erase_a_leader(
    django_user_model, french_leader, other_leader
):
    outsider = staff(django_user_model, "outsider", "view_donation")
    data = {"email": FR_EMAIL, "phone": "", "confirm": "yes"}
    assert outsider.post(reverse("personal_data:erase"), data).status_code == 403
    french_leader.refresh_from_db()
    assert french_leader.email == FR_EMAIL and french_leader.is_active


def test_names_are_scrubbed_as_whole_words_and_phones_on_their_digits():
    scrubber = Scrubber()
    scrubber.add_name("Ali")
    scrubber.add_email("contact@example.org")  # "contact" alone is an ordinary word
    scrubber.add_phone("06 12 34 56 78")
    text = "Ali écrit : qualité, Alibi, contact@example.org, un contact, +33 6 12.34.56.78 !"
    assert scrubber.text(text) == "[…] écrit : qualité, Alibi, […], un contact, […] !"
    scrubber.add_name("Nadia  Benali")
    assert scrubber.text("Par NADIA\u00a0Benali.\nNadia\nBenali") == "Par […].\n[…]"
    assert scrubber.value('[{"value": "\\u0639 Ali"}]') == '[{"value": "\\u0639 [\\u2026]"}]'


def test_the_csv_export_of_a_leader_lists_the_account_and_the_story(
    admin,  # noqa: F811 - the fixture above
    french_leader,
    french_story,
):
    rows = list(
        csv.reader(
            io.StringIO(
                admin.post(export_url("csv"), {"email": FR_EMAIL, "phone": ""}).content.decode()
            )
        )
    )
    kinds = {row[0] for row in rows[1:]}
    assert kinds == {"stories.leader_account", "stories.story"}
    assert FR_NAME in {row[3] for row in rows}
    story_ids = {row[1] for row in rows[1:] if row[0] == "stories.story"}
    assert story_ids == {str(french_story.pk)}  # its copies and translation are not listed


def test_a_proposal_found_by_phone_takes_the_proposer_out_of_its_draft_campaign(
    admin,  # noqa: F811 - the fixture above
    arabic_leader,
):
    proposal = Proposal.objects.get(leader=arabic_leader)
    draft = proposal.campaign.specific
    assert "98 76 54 32" in draft.summary
    response = erase_by_staff(admin, phone="06 98 76 54 32")  # the phone only
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary.startswith("أنا […]، هاتفي […]")
    revisions = Revision.page_revisions.filter(object_id=str(draft.pk))
    assert revisions and not any(
        AR_NAME in json.dumps(revision.content, ensure_ascii=False) for revision in revisions
    )
    proposal.refresh_from_db()
    assert (proposal.name, proposal.phone) == ("", "")
    arabic_leader.refresh_from_db()
    assert arabic_leader.is_active  # found by her email only: her account is not erased here
