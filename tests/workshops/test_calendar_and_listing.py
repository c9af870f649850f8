"""iCalendar files (parsed back), the listing's tabs and filters, and its query count."""

import datetime
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Locale

import icalendar
import pytest
from bs4 import BeautifulSoup

from campaigns.factories import DistrictFactory
from home.locales import create_language_aliases
from workshops import registrations
from workshops.factories import VenueFactory, WorkshopPageFactory
from workshops.models import WorkshopIndexPage

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert any(c.name == "VTIMEZONE" and c["TZID"] == "Europe/Paris" for c in calendar.walk())
    return list(calendar.walk("VEVENT"))


def test_ics_has_paris_times_on_both_sides_of_a_daylight_saving_change(client, workshop_index):
    # Paris moves to summer time on Sunday 28 March 2027 at 02:00 (clocks go to 03:00).
    before = WorkshopPageFactory(
        parent=workshop_index,
        starts_at=paris(2027, 3, 27, 18, 30),  # Saturday, winter time (UTC+1)
        ends_at=paris(2027, 3, 27, 20, 0),
        title="Avant le changement d'heure",
    )
    after = WorkshopPageFactory(
        parent=workshop_index,
        starts_at=paris(2027, 3, 28, 18, 30),  # Sunday, summer time since 02:00 (UTC+2)
        ends_at=paris(2027, 3, 28, 20, 0),
        title="Après le changement d'heure",
    )
    for page, utc_hour in ((before, 17), (after, 16)):
        (event,) = events_of(client.get(f"/fr/workshops/{page.pk}/calendar.ics"))
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(event["DTSTART"].params["TZID"]) == "Europe/Paris"
        assert (start.hour, start.minute) == (18, 30)  # what people read on the poster
        assert start.astimezone(datetime.UTC).hour == utc_hour
        assert event.decoded("DTEND") - start == datetime.timedelta(hours=1, minutes=30)
        assert str(event["SUMMARY"]) == page.title
        assert str(event["UID"]).startswith(f"workshop-{page.translation_key}")
        assert page.venue.name in str(event["LOCATION"])


def test_calendar_feed_lists_upcoming_workshops_of_the_language(client, workshop_index):
    now = timezone.now()
    upcoming = WorkshopPageFactory(parent=workshop_index, title="Bientôt")
    WorkshopPageFactory(
        parent=workshop_index,
        title="Passé",
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=10, hours=-2),
    )
    create_language_aliases(upcoming)
    events = events_of(client.get("/fr/workshops/calendar.ics"))
    assert [str(event["SUMMARY"]) for event in events] == ["Bientôt"]
    assert len(events_of(client.get("/ar/workshops/calendar.ics"))) == 1  # the alias, in ar


def titles(client, url, **params):
    soup = BeautifulSoup(client.get(url, params).content, "html.parser")
    return [a.get_text() for a in soup.select(".workshop-card h2 a")]


def test_listing_tabs_and_filters(client, workshop_index, district):
    now = timezone.now()
    in_20e = VenueFactory(district=district)
    soon = WorkshopPageFactory(parent=workshop_index, title="Bientôt", venue=in_20e)
    later = WorkshopPageFactory(
        parent=workshop_index,
        title="Plus tard",
        starts_at=soon.starts_at + datetime.timedelta(days=40),
        ends_at=soon.ends_at + datetime.timedelta(days=40),
    )
    WorkshopPageFactory(
        parent=workshop_index,
        title="Passé",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3, hours=-2),
    )
    url = workshop_index.get_url()
    assert titles(client, url) == ["Bientôt", "Plus tard"]  # soonest first
    assert titles(client, url, when="past") == ["Passé"]
    assert titles(client, url, district="75020") == ["Bientôt"]
    month = timezone.localtime(later.starts_at).strftime("%Y-%m")
    assert titles(client, url, month=month) == ["Plus tard"]
    assert titles(client, url, month="2026-13") == []
    assert titles(client, url, month="nonsense", page="x") == []
    # the filter form keeps the tab
    soup = BeautifulSoup(client.get(url, {"when": "past"}).content, "html.parser")
    assert soup.select_one("form.filters input[name=when]")["value"] == "past"


@pytest.fixture
def district():
    return DistrictFactory(locale=Locale.objects.get(language_code="fr"), code="75020")


def test_listing_queries_do_not_grow_with_workshops(client, workshop_index, settings):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(workshop_index.get_url())
        assert response.status_code == 200
        return len(queries)

    def add(count):
        for _ in range(count):
            page = WorkshopPageFactory(parent=workshop_index, venue=VenueFactory())
            registrations.register(page, name="X", seats=2, language="fr", phone="0600")

    add(2)
    count_queries()  # the first request warms per-process caches (site, locales)
    few = count_queries()
    add(10)
    WorkshopIndexPage.per_page = 12
    many = count_queries()
    assert many == few, f"{few} queries for 2 workshops, {many} for 12"
    assert many <= 40
    body = client.get(workshop_index.get_url()).content.decode()
    assert body.count("18 places restantes") == 12 or body.count("18 seats left") == 12


def test_workshop_page_renders_in_every_language_with_bounded_queries(
    client, workshop, django_assert_max_num_queries
):
    for lang in ("fr", "en", "ar", "pt", "zh-hans"):
        url = f"/{lang}/" + workshop.get_url().split("/", 2)[2]
        with django_assert_max_num_queries(40):
            response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.html["lang"] == lang
        # the form (and its CSRF token) is on the page's copy at /register/, never cached
        assert soup.select_one("form.registration-form") is None
        link = soup.select_one(f"a[href^='/{lang}/workshops/'][href$='/register/#register']")
        assert soup.select_one("a[href$='calendar.ics']") is not None
        form_page = BeautifulSoup(client.get(link["href"]).content, "html.parser")
        assert form_page.select_one("form.registration-form input[name=csrfmiddlewaretoken]")
