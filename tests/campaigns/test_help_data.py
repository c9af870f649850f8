"""Counting the ways to help besides money, and the helpers' personal data: the API's ``help``
and ``needs`` (no helper in them, queries flat), open data's columns and totals, the impact
figures, a person's offers found, exported and erased, and the purge months after the
campaign and its task."""

import csv
import datetime
import io
import json
import uuid
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Locale, ModelLogEntry, Page

import pytest
from bs4 import BeautifulSoup

from campaigns import help_personal_data, offers
from campaigns.factories import CampaignPageFactory, ImpactPageFactory
from campaigns.impact import impact_figures
from campaigns.needs import HelpFigures, HelpOffer, Need, NeedKind, OfferStatus
from cocity import scheduler
from cocity.models import JobStatus, ScheduledJob
from helpers import personal_data
from home import figures
from home.locales import create_language_aliases

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)
NAME = "Fatou Diallo-Secret"
EMAIL = "fatou.secret@example.org"
PHONE = "06 47 58 69 70"
NOTE = "Je viens avec ma perceuse"
AVAILABILITY = "Le samedi matin"
HELP_KEYS = ["helpers", "hours_offered", "things_lent", "needs_open", "needs"]
NEEDLES = [NAME, "Diallo-Secret", EMAIL, "fatou.secret", "47 58 69 70", NOTE, AVAILABILITY]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every GET renders: the answers measured and compared are never an earlier one."""
    settings.PAGE_CACHE_SECONDS = 0


def make_need(campaign, **fields):
    values = {
        "campaign_key": campaign.translation_key,
        "kind": NeedKind.TASK,
        "title": "Construire les bacs",
        "language": "fr",
        "wanted": 2,
        "hours": Decimal("3"),
        "starts_at": NOW + 10 * DAY,
        "place": "Square des Couronnes",
    }
    values.update(fields)
    return Need.objects.create(**values)


def helper(need, name=NAME, quantity=1, **contact):
    contact = contact or {"email": EMAIL, "phone": PHONE}
    return offers.offer(
        need,
        name=name,
        language="fr",
        quantity=quantity,
        availability=AVAILABILITY,
        note=NOTE,
        notify=False,
        **contact,
    )


@pytest.fixture
def helped(campaign):
    """A task full with one waiting, a thing lent, a closed need and one whose date is past."""
    task = make_need(campaign)
    thing = make_need(
        campaign, kind=NeedKind.THING, title="Prêter une perceuse", hours=None, wanted=5
    )
    closed = make_need(campaign, title="Repeindre le portail", is_open=False, sort_order=3)
    past = make_need(campaign, title="Fête d'ouverture", sort_order=4)
    first = helper(task, quantity=2)  # fills the task: she brings a friend
    waiting = helper(task, name="Bruno Attend", email="bruno.attend@example.org")
    lent = helper(thing, name="Chen Prête", quantity=3, phone="07 11 22 33 44")
    came = helper(past, name="Dalia Venue", email="dalia.venue@example.org")
    Need.objects.filter(pk=past.pk).update(starts_at=NOW - DAY)
    assert first.status == OfferStatus.CONFIRMED and waiting.status == OfferStatus.WAITLISTED
    return {
        "task": task,
        "thing": thing,
        "closed": closed,
        "past": past,
        "first": first,
        "waiting": waiting,
        "lent": lent,
        "came": came,
    }


def api_detail(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    return response


# --- the API ----------------------------------------------------------------------------


def test_the_api_gives_the_help_received_and_each_need(client, campaign, helped):
    data = api_detail(client, campaign).json()
    site = data["meta"]["html_url"].split("/fr/")[0]  # the site's address, as Wagtail writes it
    # confirmed only: Fatou and her friend (2 × 3 h), Chen (3 things), Dalia (3 h); Bruno waits
    assert data["help"] == {"people": 4, "hours": 9.0, "things": 3}
    needs = {need["id"]: need for need in data["needs"]}
    assert list(needs)[:2] == [helped["task"].pk, helped["thing"].pk]  # open ones first
    task = needs[helped["task"].pk]
    assert task == {
        "id": helped["task"].pk,
        "kind": "task",
        "title": "Construire les bacs",
        "description": "",
        "language": "fr",
        "starts_at": timezone.localtime(helped["task"].starts_at).isoformat(),
        "place": "Square des Couronnes",
        "hours_per_person": 3.0,
        "wanted": 2,
        "confirmed": 2,
        "waiting": 1,
        "places_left": 0,
        "state": "waitlist",
        "offer_url": f"{site}/fr/help/{helped['task'].pk}/",
    }
    thing = needs[helped["thing"].pk]
    assert (thing["kind"], thing["hours_per_person"], thing["confirmed"]) == ("thing", None, 3)
    assert (thing["places_left"], thing["waiting"], thing["state"]) == (2, 0, "open")
    # as on the campaign page: a need that takes no offers shows only if someone answered it
    assert helped["closed"].pk not in needs
    assert (needs[helped["past"].pk]["state"], needs[helped["past"].pk]["confirmed"]) == ("past", 1)
    assert needs[helped["past"].pk]["offer_url"] is None

    # the Arabic page's links lead to the Arabic form; the figures are the campaign's
    arabic = campaign.get_translation(Locale.objects.get(language_code="ar"))
    data_ar = api_detail(client, arabic).json()
    assert data_ar["help"] == data["help"]
    task_ar = next(need for need in data_ar["needs"] if need["id"] == helped["task"].pk)
    assert task_ar["offer_url"] == f"{site}/ar/help/{helped['task'].pk}/"
    assert client.get(task_ar["offer_url"].removeprefix(site)).status_code == 200


def test_no_helper_is_in_the_api(client, campaign, helped):
    detail = api_detail(client, campaign).content.decode()
    listing = client.get(
        "/api/v2/pages/", {"type": "campaigns.CampaignPage", "fields": "*"}
    ).content.decode()
    for body in (detail, listing):
        assert "Construire les bacs" in body  # the needs are there (the test can fail)
        for secret in [*NEEDLES, "Bruno Attend", "bruno.attend", "Chen", "07 11 22 33 44"]:
            assert secret not in body
    for field in ("name", "email", "phone", "note", "availability"):
        assert (
            client.get(
                "/api/v2/pages/", {"type": "campaigns.CampaignPage", "fields": f"needs,{field}"}
            ).status_code
            == 400
        )


def test_the_listing_reads_needs_and_figures_in_queries_that_do_not_grow(client, campaign):
    def with_needs(page):
        need = make_need(page)
        helper(need, name=f"Helper {page.pk}", email=f"h{page.pk}@example.org")
        make_need(page, kind=NeedKind.THING, title="Des chaises", hours=None)

    def listing_queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(
                "/api/v2/pages/",
                {"type": "campaigns.CampaignPage", "locale": "fr", "fields": "help,needs"},
            )
        assert response.status_code == 200
        return response.json()["items"], len(captured)

    with_needs(campaign)
    listing_queries()  # sites, locales, content types: read once per process
    items, one = listing_queries()
    assert len(items) == 1 and len(items[0]["needs"]) == 2
    assert items[0]["help"]["people"] == 1

    index = campaign.get_parent()
    for _ in range(4):
        page = CampaignPageFactory(parent=index)
        create_language_aliases(page)
        with_needs(page)
    items, five = listing_queries()
    assert len(items) == 5
    assert all(len(item["needs"]) == 2 and item["help"]["hours"] == 3.0 for item in items)
    assert five <= one, (one, five)


# --- open data --------------------------------------------------------------------------


def csv_rows(client):
    response = client.get("/open-data/campaigns.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_open_data_counts_the_help_of_each_campaign_and_in_total(client, campaign, helped):
    other = CampaignPageFactory(parent=campaign.get_parent(), title="Cuisine partagée")
    create_language_aliases(other)
    cooking = make_need(other, wanted=4, hours=Decimal("1.5"))
    helper(cooking, name="Emeka", quantity=3, email="emeka@example.org")
    make_need(other, kind=NeedKind.THING, title="Une table", hours=None, is_open=False)

    rows = {row["title_fr"]: row for row in csv_rows(client)}
    garden = rows["Jardin des Couronnes"]
    assert {key: garden[key] for key in ("helpers", "hours_offered", "things_lent")} == {
        "helpers": "4",
        "hours_offered": "9.0",
        "things_lent": "3",
    }
    # four needs: the task (full, still taking offers on its waiting list) and the thing
    # take offers; the closed one and the past one do not
    assert (garden["needs_open"], garden["needs"]) == ("2", "4")
    cooking_row = rows["Cuisine partagée"]
    assert (cooking_row["helpers"], cooking_row["hours_offered"]) == ("3", "4.5")
    assert (cooking_row["things_lent"], cooking_row["needs_open"], cooking_row["needs"]) == (
        "0",
        "1",
        "2",
    )
    # the columns come after those partners already read, and the JSON has the same rows
    header = next(
        csv.reader(io.StringIO(client.get("/open-data/campaigns.csv").content.decode("utf-8-sig")))
    )
    assert header[-5:] == ["helpers", "hours_offered", "things_lent", "needs_open", "needs"]
    data = client.get("/open-data/campaigns.json").json()
    for name in ("helpers", "hours_offered", "things_lent", "needs_open", "needs"):
        assert data["fields"][name]["description"]
    by_id = {row["id"]: row for row in data["campaigns"]}
    assert by_id[str(campaign.translation_key)]["hours_offered"] == "9.0"
    assert by_id[str(campaign.translation_key)]["helpers"] == 4

    stats = client.get("/open-data/stats.json").json()
    overall = stats["overall"]
    assert {key: overall[key] for key in HELP_KEYS} == {
        "helpers": 7,
        "hours_offered": "13.5",
        "things_lent": 3,
        "needs_open": 3,
        "needs": 6,
    }
    # by district and by year: the groups add up to the overall figures
    for groups in (stats["by_district"], stats["by_year"]):
        assert sum(group["helpers"] for group in groups) == 7
        assert sum(Decimal(group["hours_offered"]) for group in groups) == Decimal("13.5")
        assert sum(group["needs"] for group in groups) == 6
    for name in HELP_KEYS:
        assert stats["fields"][name]["description"]


def test_no_helper_in_open_data(client, campaign, helped):
    for url in ("/open-data/campaigns.csv", "/open-data/campaigns.json", "/open-data/stats.json"):
        body = client.get(url).content.decode("utf-8-sig")
        for secret in [*NEEDLES, "Bruno Attend", "Chen Prête", "Construire les bacs"]:
            assert secret not in body, (secret, url)


# --- impact figures ---------------------------------------------------------------------


@pytest.fixture
def impact_page(home_page):
    page = ImpactPageFactory(parent=home_page, title="Notre impact", slug="impact")
    create_language_aliases(page)
    return page


def test_the_impact_page_shows_the_help_next_to_the_money(client, campaign, helped, impact_page):
    expected = impact_figures()
    assert (expected["helpers"], expected["hours_offered"], expected["things_lent"]) == (
        4,
        Decimal("9"),
        3,
    )
    for language in ("fr", "ar"):
        response = client.get(f"/{language}/{impact_page.slug}/")
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        shown = {
            item["data-figure"]: (
                item.select_one(".key-figures__value").get_text(),
                item.select_one(".key-figures__label").get_text(),
            )
            for item in soup.select(".impact-figures li[data-figure]")
        }
        with translation.override(language):
            assert shown["helpers"][0] == figures.format_number(4)
            assert shown["hours_offered"][0] == figures.format_number(9)
            assert shown["things_lent"][0] == figures.format_number(3)
            assert shown["helpers"][1] == translation.ngettext(
                "person gave time or things", "people gave time or things", 4
            )
            assert shown["things_lent"][1] == translation.ngettext(
                "thing lent or given", "things lent or given", 3
            )
        # next to the money, in the same list
        assert soup.select(".impact-figures li")[0].get("data-figure") is None
    # a key figure block can show them too (home/figures.py)
    assert {"helpers", "hours_offered", "things_lent"} <= {n for n, _label in figures.choices()}
    with translation.override("fr"):
        assert figures.figure_value("hours_offered") == "9"


def test_a_campaign_the_public_cannot_see_does_not_count(client, campaign, helped):
    Page.objects.filter(translation_key=campaign.translation_key).update(live=False)
    assert impact_figures()["helpers"] == 0
    assert impact_figures()["hours_offered"] == 0


def test_the_impact_figures_cost_one_query_more_whatever_the_offers(campaign, helped):
    with CaptureQueriesContext(connection) as few:
        impact_figures()
    for number in range(5):
        helper(helped["thing"], name=f"N{number}", quantity=1, email=f"n{number}@example.org")
    with CaptureQueriesContext(connection) as many:
        impact_figures()
    assert len(many) == len(few)
    assert any("campaigns_helpoffer" in query["sql"] for query in many)


# --- personal data ----------------------------------------------------------------------


def test_a_helpers_offers_are_found_by_email_or_phone_and_exported(campaign, helped):
    by_email = personal_data.find(email=EMAIL.upper())
    by_phone = personal_data.find(phone="+33 6 47 58 69 70")
    ids = {helped["first"].pk}
    for found in (by_email, by_phone):
        records = [r for r in found.records if r.kind == help_personal_data.KIND]
        assert {record.id for record in records} == ids
        (record,) = records
        assert record.data["name"] == NAME and record.data["note"] == NOTE
        assert record.data["campaign"] == "Jardin des Couronnes"
        assert record.data["need"] == "Construire les bacs"
    exported = json.loads(personal_data.export_json(by_email))
    assert exported["records"][0]["data"]["availability"] == AVAILABILITY
    assert EMAIL in personal_data.export_csv(by_email)
    assert personal_data.find(email="nobody@example.org").records == []


def test_erasure_blanks_the_helper_and_keeps_the_figures(campaign, helped, admin_user):
    before = HelpFigures.for_campaign(campaign.translation_key)
    found = personal_data.find(email=EMAIL, phone=PHONE)
    assert personal_data.erase(found, admin_user) == {"helpers": 1}
    item = HelpOffer.objects.get(pk=helped["first"].pk)
    assert (item.name, item.email, item.phone, item.availability, item.note) == ("",) * 5
    assert (item.quantity, item.status, item.need_id) == (
        2,
        OfferStatus.CONFIRMED,
        helped["task"].pk,
    )
    assert item.created_at == helped["first"].created_at
    assert HelpFigures.for_campaign(campaign.translation_key) == before
    # Wagtail's history says it was erased, without the helper
    entries = ModelLogEntry.objects.filter(action=personal_data.ERASED_ACTION)
    assert entries.count() == 1 and entries.get().user_id == admin_user.pk
    assert not any(needle in entries.get().label for needle in NEEDLES)
    # the others keep theirs
    waiting = HelpOffer.objects.get(pk=helped["waiting"].pk)
    assert waiting.email == "bruno.attend@example.org"
    assert personal_data.find(email=EMAIL, phone=PHONE).records == []


def test_erasing_one_of_two_offers_of_a_person_keeps_hours_and_things(campaign, helped, admin_user):
    """A person found by email is counted once; once erased each offer counts apart (the
    people may change: they are no longer known as one), hours and things never change."""
    helper(helped["thing"], quantity=1)  # Fatou lends a thing too: still one person
    before = HelpFigures.for_campaign(campaign.translation_key)
    personal_data.erase(personal_data.find(email=EMAIL), admin_user)
    after = HelpFigures.for_campaign(campaign.translation_key)
    assert (after.hours, after.things) == (before.hours, before.things)
    assert after.people >= before.people


def test_staff_find_export_and_erase_a_helper_in_the_admin(admin, campaign, helped):
    index = reverse("personal_data:index")
    data = {"email": EMAIL, "phone": ""}
    page = admin.post(index, data).content.decode()
    assert NAME in page and "Construire les bacs" in page
    exported = admin.post(reverse("personal_data:export", args=["json"]), data)
    assert exported.status_code == 200
    kinds = [record["kind"] for record in json.loads(exported.content)["records"]]
    assert help_personal_data.KIND in kinds
    erase = reverse("personal_data:erase")
    assert admin.post(erase, data).status_code == 200  # what will be erased, to confirm
    assert HelpOffer.objects.get(pk=helped["first"].pk).name == NAME
    assert admin.post(erase, {**data, "confirm": "yes"}).status_code == 302
    assert HelpOffer.objects.get(pk=helped["first"].pk).name == ""
    assert NAME not in admin.post(index, data).content.decode()


# --- the purge --------------------------------------------------------------------------


def closed(campaign, days_ago):
    """Move ``campaign`` (every language) so that it closed ``days_ago`` days ago."""
    closes_at = NOW - days_ago * DAY
    pages = Page.objects.filter(translation_key=campaign.translation_key)
    type(campaign).objects.filter(pk__in=pages.values("pk")).update(
        opens_at=closes_at - 30 * DAY, closes_at=closes_at
    )


def personal(item):
    item.refresh_from_db()
    return (item.name, item.email, item.phone, item.availability, item.note)


ERASED = ("",) * 5


def purge_command():
    out = io.StringIO()
    call_command("purge_helpers", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def campaigns(campaign):
    """Offers on a campaign closed seven months ago (one of them for a task set after the
    close), on one closed five months ago, on a live one, and on a campaign now deleted."""
    index = campaign.get_parent()
    old = CampaignPageFactory(parent=index, title="Ancienne")
    recent = CampaignPageFactory(parent=index, title="Récente")
    for page in (old, recent):
        create_language_aliases(page)
    made = {
        "old": helper(make_need(old), name="Awa", email="awa@example.org"),
        "old_late_task": helper(make_need(old), name="Bintou", email="bintou@example.org"),
        "old_no_date": helper(make_need(old, starts_at=None), name="Carla", phone="06 00 00 00 01"),
        "recent": helper(make_need(recent), name="Dara", email="dara@example.org"),
        "live": helper(make_need(campaign), name="Eli", email="eli@example.org"),
    }
    closed(old, days_ago=7 * 31)
    closed(recent, days_ago=5 * 30)
    # the first task took place before the close; the other one two months after it
    Need.objects.filter(pk=made["old"].need_id).update(starts_at=NOW - 8 * 31 * DAY)
    Need.objects.filter(pk=made["old_late_task"].need_id).update(starts_at=NOW - 5 * 31 * DAY)
    Need.objects.filter(pk=made["recent"].need_id).update(starts_at=NOW - 6 * 30 * DAY)
    # offers of campaigns deleted since: made seven and five months ago
    for key, days in (("orphan_old", 200), ("orphan_recent", 150)):
        need = Need.objects.create(
            campaign_key=uuid.uuid4(),
            kind=NeedKind.THING,
            title="Chaises",
            language="fr",
            wanted=5,
        )
        made[key] = HelpOffer.objects.create(
            need=need,
            campaign_key=need.campaign_key,
            name=f"Orphan {key}",
            email=f"{key}@example.org",
            language="fr",
            quantity=2,
            status=OfferStatus.CONFIRMED,
        )
        HelpOffer.objects.filter(pk=made[key].pk).update(created_at=NOW - days * DAY)
    return made


def test_purged_months_after_the_campaign_and_its_task_only_and_once(settings, campaigns):
    settings.WORKSHOP_PERSONAL_DATA_MONTHS = 6
    assert purge_command() == "3 offer(s) of help purged."
    for name in ("old", "old_no_date", "orphan_old"):
        assert personal(campaigns[name]) == ERASED, name
    for name in ("old_late_task", "recent", "live", "orphan_recent"):
        assert personal(campaigns[name])[0], name
    item = campaigns["old"]
    item.refresh_from_db()
    assert (item.quantity, item.status) == (1, OfferStatus.CONFIRMED)

    # twice: nothing more
    assert purge_command() == "0 offer(s) of help purged."

    # a shorter period reaches the campaign closed five months ago, and the late task
    settings.WORKSHOP_PERSONAL_DATA_MONTHS = 4
    assert purge_command() == "3 offer(s) of help purged."
    for name in ("old_late_task", "recent", "orphan_recent"):
        assert personal(campaigns[name]) == ERASED, name
    assert personal(campaigns["live"])[0] == "Eli"


def test_the_purge_keeps_the_figures(settings, campaigns):
    settings.WORKSHOP_PERSONAL_DATA_MONTHS = 6
    before = HelpFigures.of()
    assert help_personal_data.purge() == 3
    assert HelpFigures.of() == before  # one offer per person: even the people are the same


def test_the_daily_task_purges_too_and_the_scheduler_runs_it(settings, campaigns):
    settings.WORKSHOP_PERSONAL_DATA_MONTHS = 6
    assert help_personal_data.purge_helpers.enqueue().return_value == 3
    assert personal(campaigns["old"]) == ERASED
    assert help_personal_data.purge_helpers.enqueue().return_value == 0

    # daily, beside the registrations' purge; run by the scheduler, it succeeds
    job = scheduler.jobs_by_name()["purge_helpers"]
    assert job.command_line == "manage.py purge_helpers"
    assert isinstance(job.schedule, scheduler.Daily)
    assert job.schedule.hour == scheduler.jobs_by_name()["purge_registrations"].schedule.hour
    due_now = scheduler.Job(job.name, scheduler.Every(minutes=10), job.run, "y")
    assert scheduler.run_due([due_now]) == {"purge_helpers": JobStatus.SUCCEEDED}
    assert "0 offer(s) of help purged." in ScheduledJob.objects.get(name=job.name).last_output
