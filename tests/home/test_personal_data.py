"""Personal data on request (issue 13, item 5): staff find a person by email or phone, export
everything the site holds about them (JSON, CSV) and erase it; afterwards their name, email
and phone are nowhere — no table, the API, open data, the public pages or the staff exports —
while the ledger keeps the amounts."""

import csv
import html
import io
import json

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

import pytest

from donations import ledger
from donations.models import DisplayChoice, Donation, DonationStatus, OfflineMethod
from helpers import personal_data
from home.demo_content import STANDARD_PAGES
from stories.factories import StoryIndexPageFactory, StoryPageFactory
from stories.proposals import Proposal, ProposalSource
from workshops.models import Registration
from workshops.registrations import register

NAME = "Zélie Quintard-Bapst"
EMAIL = "zelie.quintard@example.org"
PHONE = "06 47 58 69 70"
MESSAGE = "Courage Zélie et merci au quartier"
NEEDLES = [NAME, "Quintard", EMAIL, "zelie.quintard", "47 58 69 70", "47586970"]

INDEX_URL = reverse("personal_data:index")
ERASE_URL = reverse("personal_data:erase")


def export_url(kind):
    return reverse("personal_data:export", args=[kind])


@pytest.fixture
def admin(admin_client, admin_user):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"  # the admin's labels read in English
    profile.save()
    return admin_client


@pytest.fixture
def person(campaign, workshop):
    """A donor (an online gift with a message, an offline gift), a registrant (with a phone)
    and a proposer: the same person; and another donor who must keep everything."""
    key = campaign.translation_key
    online = ledger.create_pending(
        campaign_key=key,
        amount_cents=2500,
        donor_name=NAME,
        donor_email=EMAIL,
        message=MESSAGE,
        display=DisplayChoice.NAME,
        provider="demo",
    )
    online, _changed = ledger.transition(online.pk, DonationStatus.PAID)
    offline = ledger.record_offline(
        campaign_key=key,
        amount_cents=1050,
        donor_name=NAME,
        donor_email=EMAIL.upper(),
        offline_method=OfflineMethod.CHEQUE,
        received_on=timezone.localdate(),
        evidence=f"Chèque n°4411 de {NAME}",
        display=DisplayChoice.HIDE_AMOUNT,
    )
    other = ledger.create_pending(
        campaign_key=key,
        amount_cents=4000,
        donor_name="Bruno Keeps",
        donor_email="bruno.keeps@example.org",
        message="Bruno's message stays",
        provider="demo",
    )
    other, _changed = ledger.transition(other.pk, DonationStatus.PAID)
    registration = register(
        workshop,
        name=NAME,
        seats=1,
        language="fr",
        phone="+33 6 47 58 69 70",
        needs=f"{NAME} vient avec une poussette",
        notify=False,
    )
    proposal = Proposal.objects.create(
        title="Potager de la rue des Couronnes",
        purpose=f"Un potager partagé, proposé par {NAME}.",
        budget_cents=80000,
        name=NAME,
        email=EMAIL,
        phone=PHONE,
        source=ProposalSource.PUBLIC,
        contact_consent=True,
    )
    return {
        "online": online,
        "offline": offline,
        "other": other,
        "registration": registration,
        "proposal": proposal,
    }


def html_text(response):
    """The page's text, as a reader sees it (entities decoded)."""
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def found_kinds(email="", phone=""):
    found = personal_data.find(email, phone)
    return sorted((record.kind, record.id) for record in found.records)


def test_found_by_email_and_by_phone(person):
    by_email = found_kinds(email=EMAIL)
    assert by_email == sorted(
        [
            ("donations.gift", person["online"].pk),
            ("donations.gift", person["offline"].pk),
            ("stories.proposal", person["proposal"].pk),
        ]
    )
    # the registration holds "+33 6 47 58 69 70", the proposal "06 47 58 69 70"
    assert found_kinds(phone="06.47.58.69.70") == sorted(
        [
            ("stories.proposal", person["proposal"].pk),
            ("workshops.registration", person["registration"].pk),
        ]
    )
    assert found_kinds(email="bruno.keeps@example.org") == [("donations.gift", person["other"].pk)]
    assert found_kinds(email="nobody@example.org", phone="01 00 00 00 00") == []


def search(client, **data):
    return client.post(INDEX_URL, {"email": "", "phone": "", **data})


def test_staff_see_everything_found_grouped(admin, person):
    response = search(admin, email=EMAIL, phone=PHONE)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (NAME, EMAIL, MESSAGE, "+33 6 47 58 69 70", "Potager de la rue des Couronnes"):
        assert text in html
    assert "Bruno" not in html
    assert search(admin).status_code == 400  # neither email nor phone
    assert search(admin, phone="12").status_code == 400


def test_exports_hold_everything_found_and_are_attachments(admin, person):
    data = {"email": EMAIL, "phone": PHONE}
    response = admin.post(export_url("json"), data)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    exported = json.loads(response.content)
    kinds = sorted(record["kind"] for record in exported["records"])
    assert kinds == [
        "donations.gift",
        "donations.gift",
        "stories.proposal",
        "workshops.registration",
    ]
    text = json.dumps(exported, ensure_ascii=False)
    for value in (NAME, EMAIL, PHONE, "+33 6 47 58 69 70", MESSAGE):
        assert value in text
    gift = next(r for r in exported["records"] if r["id"] == person["online"].pk)
    assert gift["data"]["amount_cents"] == 2500

    response = admin.post(export_url("csv"), data)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    values = {row[3] for row in rows[1:]}
    # a cell starting with "+" would be a formula: it is kept as text
    assert {NAME, EMAIL, PHONE, "'+33 6 47 58 69 70", MESSAGE} <= values
    unknown = admin.post(export_url("xml"), data)
    assert unknown.status_code in (302, 404) and not unknown.has_header("Content-Disposition")
    assert admin.get(export_url("csv")).status_code == 405  # the person is never in a URL


def test_csv_export_cells_cannot_run_as_formulas(admin, person):
    Donation.objects.filter(pk=person["online"].pk).update(message='=HYPERLINK("http://x")')
    response = admin.post(export_url("csv"), {"email": EMAIL, "phone": ""})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    messages = [row[3] for row in rows if row[2] == "message"]
    assert '\'=HYPERLINK("http://x")' in messages
    assert not any(cell.startswith("=") for row in rows for cell in row)


def text_values_holding(needles):
    """Every (model, field, value) of the database whose text holds one of ``needles``:
    every model's char, text, email and JSON fields, row by row."""
    hits = []
    lowered = [needle.lower() for needle in needles]
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(needle in text.lower() for needle in lowered):
                    hits.append((model._meta.label, name, text[:120]))
    return hits


def public_and_staff_texts(client, admin, workshop):
    """What the API, open data, the campaign page and the staff exports say."""
    texts = {}
    for path in (
        "/api/v2/pages/?fields=*",
        "/api/v2/pages/?fields=*&locale=en",
        "/open-data/campaigns.csv",
        "/open-data/campaigns.json",
        "/open-data/stats.json",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        texts[path] = response.content.decode()
    texts["donations export"] = b"".join(
        admin.get(reverse("donations_admin:index"), {"export": "csv"}).streaming_content
    ).decode()
    response = admin.get(reverse("workshop_registrations:export", args=[workshop.pk]))
    assert response.status_code == 200
    texts["registrations export"] = b"".join(response.streaming_content).decode()
    return texts


def holding(texts, needles):
    return {
        where: needle
        for where, text in texts.items()
        for needle in needles
        if needle.lower() in text.lower()
    }


def erase_by_staff(admin, **person):
    data = {"email": "", "phone": "", **person}
    confirm = admin.post(ERASE_URL, data)
    assert confirm.status_code == 200
    assert 'name="confirm"' in confirm.content.decode()
    assert "csrfmiddlewaretoken" in confirm.content.decode()
    return admin.post(ERASE_URL, {**data, "confirm": "yes"})


def test_erasure_leaves_the_person_nowhere_and_the_ledger_equal(
    client,
    admin,
    admin_user,
    person,
    campaign,
    workshop,
):
    key = campaign.translation_key
    before = ledger.money(key)
    campaign_url = campaign.localized.url
    assert NAME in client.get(campaign_url).content.decode()  # shown before (the test can fail)
    assert text_values_holding(NEEDLES)
    assert holding(public_and_staff_texts(client, admin, workshop), NEEDLES)

    response = erase_by_staff(admin, email=EMAIL, phone=PHONE)
    assert response.status_code == 302

    assert text_values_holding(NEEDLES) == []
    assert holding(public_and_staff_texts(client, admin, workshop), NEEDLES) == {}
    page = client.get(campaign_url).content.decode()
    assert NAME not in page and MESSAGE not in page
    assert found_kinds(email=EMAIL, phone=PHONE) == []

    after = ledger.money(key)
    assert after["raised_cents"] == before["raised_cents"] == 2500 + 1050 + 4000
    assert after["gift_count"] == before["gift_count"] == 3
    assert after["donor_count"] == 3  # the two gifts no longer share an email
    online = Donation.objects.get(pk=person["online"].pk)
    offline = Donation.objects.get(pk=person["offline"].pk)
    assert (online.amount_cents, online.status, online.paid_at) == (
        2500,
        DonationStatus.PAID,
        person["online"].paid_at,
    )
    assert online.display == DisplayChoice.ANONYMOUS and online.public_name == ""
    assert offline.display == DisplayChoice.HIDE_AMOUNT  # its amount stays hidden
    assert (offline.amount_cents, offline.status) == (1050, DonationStatus.PAID)
    assert offline.evidence.startswith("Chèque n°4411")
    registration = Registration.objects.get(pk=person["registration"].pk)
    assert (registration.seats, registration.status) == (1, person["registration"].status)

    other = Donation.objects.get(pk=person["other"].pk)
    assert (other.donor_name, other.donor_email, other.message) == (
        "Bruno Keeps",
        "bruno.keeps@example.org",
        "Bruno's message stays",
    )

    # Wagtail's history says who erased what, without the personal data
    entries = ModelLogEntry.objects.filter(action=personal_data.ERASED_ACTION)
    assert entries.count() == 4
    assert {entry.user_id for entry in entries} == {admin_user.pk}
    history = admin.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Personal data erased" in history
    assert not holding({"history": history}, NEEDLES)

    # erasing again finds nothing to erase and changes nothing
    assert erase_by_staff(admin, email=EMAIL, phone=PHONE).status_code == 302
    assert ModelLogEntry.objects.filter(action=personal_data.ERASED_ACTION).count() == 4
    assert ledger.money(key) == after


def staff(django_user_model, username, *permissions):
    user = django_user_model.objects.create_user(username=username, password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *[Permission.objects.get(codename=codename) for codename in permissions],
    )
    client = Client()
    client.force_login(user)
    return client


def test_only_staff_with_the_permission_get_in(django_user_model, person):
    outsider = staff(django_user_model, "outsider", "view_donation", "view_donor_details")
    data = {"email": EMAIL, "phone": PHONE}
    assert outsider.get(INDEX_URL).status_code == 403
    assert outsider.post(INDEX_URL, data).status_code == 403
    assert outsider.post(export_url("json"), data).status_code == 403
    assert outsider.post(export_url("csv"), data).status_code == 403
    response = outsider.post(ERASE_URL, {**data, "confirm": "yes"})
    assert response.status_code == 403
    assert NAME.encode() not in response.content
    assert Donation.objects.get(pk=person["online"].pk).donor_name == NAME
    assert not ModelLogEntry.objects.filter(action=personal_data.ERASED_ACTION).exists()

    trusted = staff(django_user_model, "trusted", "manage_personal_data")
    assert trusted.get(INDEX_URL).status_code == 200
    assert NAME in trusted.post(INDEX_URL, data).content.decode()
    assert trusted.post(export_url("json"), data).status_code == 200
    assert trusted.post(ERASE_URL, {**data, "confirm": "yes"}).status_code == 302
    assert Donation.objects.get(pk=person["online"].pk).donor_name == ""

    # the menu entry is shown to those who may use it only
    assert INDEX_URL in trusted.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()


def test_a_staff_account_and_its_pages_are_listed_not_erased(
    admin,
    django_user_model,
    home_page,
):
    leader = django_user_model.objects.create_user("nadia", EMAIL, "pw")
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=index, title="Le jardin a ouvert", owner=leader)
    found = personal_data.find(EMAIL, "")
    kinds = {(record.kind, record.id, record.erasable) for record in found.records}
    assert kinds == {
        ("stories.leader_account", leader.pk, False),
        ("stories.story", story.pk, False),
    }
    page = search(admin, email=EMAIL).content.decode()
    assert "Le jardin a ouvert" in page
    assert f'action="{ERASE_URL}"' not in page  # nothing here can be erased
    exported = json.loads(admin.post(export_url("json"), {"email": EMAIL, "phone": ""}).content)
    assert {record["kind"] for record in exported["records"]} == {
        "stories.leader_account",
        "stories.story",
    }
    leader.refresh_from_db()
    assert leader.email == EMAIL


def test_staff_hide_or_correct_what_a_campaign_page_shows_of_a_gift(
    client,
    admin,
    admin_user,
    django_user_model,
    person,
    campaign,
):
    gift = person["online"]
    url = reverse("donations_admin:public_display", args=[gift.pk])
    before = ledger.money(campaign.translation_key)
    inspect = admin.get(reverse("donations_admin:inspect", args=[gift.pk])).content.decode()
    assert url in inspect

    viewer = staff(django_user_model, "viewer", "view_donation")
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {"display": "anonymous"}).status_code == 403

    # showing a name needs a name
    response = admin.post(url, {"display": "name", "donor_name": " ", "message": ""})
    assert response.status_code == 400
    response = admin.post(url, {"display": "name", "donor_name": "Zélie Q.", "message": ""})
    assert response.status_code == 302
    page = client.get(campaign.localized.url).content.decode()
    assert "Zélie Q." in page and MESSAGE not in page
    admin.post(url, {"display": "anonymous", "donor_name": "Zélie Q.", "message": ""})
    assert "Zélie Q." not in client.get(campaign.localized.url).content.decode()

    gift.refresh_from_db()
    assert (gift.amount_cents, gift.status, gift.donor_email) == (2500, "paid", EMAIL)
    assert ledger.money(campaign.translation_key) == before
    entries = ModelLogEntry.objects.filter(action="donations.public_display_changed")
    assert entries.count() == 2
    logged = json.dumps([(e.label, e.data) for e in entries], ensure_ascii=False)
    assert "Zélie" not in logged and "Courage" not in logged
    assert entries.filter(user=admin_user).count() == 2


def test_the_privacy_page_says_what_is_kept_and_promises_only_what_exists(
    client, settings, demo_site
):
    privacy = next(page for page in STANDARD_PAGES if page["slug"] == "confidentialite")
    texts = [privacy["introduction"]] + [value for _kind, value in privacy["body"]]
    # the registrations' purge the page announces is the one the settings run
    assert settings.WORKSHOP_PERSONAL_DATA_MONTHS == 6
    assert any("six mois après" in text.fr for text in texts)
    assert any("six months after" in text.en for text in texts)
    for language, prefix in (("fr", "/fr/"), ("en", "/en/"), ("ar", "/ar/")):
        html = html_text(client.get(f"{prefix}confidentialite/"))
        for text in texts:
            assert strip_tags(getattr(text, language)) in html, (language, text)
    assert "tout consulter ou effacer" not in html_text(client.get("/fr/confidentialite/"))
