"""The workshops of the demo site, and the home page's "next workshops" section."""

import datetime
import io
import re

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from donations.models import CampaignTally, Donation
from home.locales import create_language_aliases
from home.management.commands.load_demo import Command as LoadDemo
from workshops import demo, registrations
from workshops.factories import VenueFactory, WorkshopPageFactory
from workshops.models import (
    Registration,
    RegistrationStatus,
    Venue,
    WorkshopIndexPage,
    WorkshopPage,
    WorkshopSeats,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "en", "ar", "pt", "zh-hans")
ARABIC = "\u0600-\u06ff"


def demo_counts():
    return {
        "workshops": WorkshopPage.objects.count(),
        "venues": Venue.objects.count(),
        "registrations": Registration.objects.count(),
        "seat rows": WorkshopSeats.objects.count(),
        "seats taken": sorted(WorkshopSeats.objects.values_list("taken", flat=True)),
    }


def workshop(slug, lang):
    return WorkshopPage.objects.get(slug=slug, locale__language_code=lang)


def section(response):
    """The cards of the home page's next-workshops section: [(title, href, meta, text)]."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.select_one("#featured-workshops")
    assert heading is not None and heading.get_text(strip=True), "no next-workshops section"
    block = heading.find_parent("section")
    cards = [
        (
            card.select_one(".card__title a").get_text(strip=True),
            card.select_one(".card__title a")["href"],
            card.select_one(".card__meta").get_text(strip=True),
            card.select("p")[-1].get_text(strip=True),
        )
        for card in block.select("li.card")
    ]
    more = block.select("p > a")[-1]["href"]
    return soup, cards, more


def check_demo_workshops():
    upcoming = [spec for spec in demo.WORKSHOPS if spec["days"] >= 0]
    past = [spec for spec in demo.WORKSHOPS if spec["days"] < 0]
    assert len(upcoming) >= 3 and len(past) >= 2
    now = timezone.now()

    # Every workshop in every language (translated, not aliases), under /ateliers/
    for spec in demo.WORKSHOPS:
        pages = {lang: workshop(spec["slug"], lang) for lang in LANGUAGES}
        assert {lang: page.title for lang, page in pages.items()} == {
            lang: spec["title"].get(lang) for lang in LANGUAGES
        }
        for lang, page in pages.items():
            assert page.live and page.alias_of_id is None
            assert page.url_path.endswith(f"/ateliers/{spec['slug']}/")
            assert page.venue.locale.language_code == lang, "the venue is not translated"
            assert page.venue.name == demo.VENUES[spec["venue"]]["name"].get(lang)
            assert (page.ends_at > now) == (spec["days"] >= 0)
        assert pages["ar"].languages == spec["languages"]
        assert (pages["fr"].starts_at, pages["fr"].capacity) == (
            pages["ar"].starts_at,
            pages["ar"].capacity,
        )

    # Upcoming workshops start at the reference (a Monday, 18:30 Paris) or after it
    first = workshop(demo.NEARLY_FULL, "fr")
    local = timezone.localtime(first.starts_at)
    assert (local.weekday(), local.hour, local.minute) == (0, 18, 30)
    assert now < first.starts_at <= now + datetime.timedelta(days=8)

    # Venues in several districts, each translated, with no duplicate district
    venues = Venue.objects.filter(locale__language_code="ar").select_related("district")
    assert venues.count() == len(demo.VENUES) >= 3
    assert all(v.district and v.district.locale.language_code == "ar" for v in venues)
    assert len({v.district.code for v in venues}) == len(demo.VENUES)
    assert all(re.search(f"[{ARABIC}]", v.name + v.access) for v in venues)
    fr_district = first.venue.district
    assert type(fr_district).objects.filter(code=fr_district.code, locale=first.locale).count() == 1

    # The nearly full one, the full one with its waiting list (the same room in every language)
    for lang in LANGUAGES:
        nearly_full = workshop(demo.NEARLY_FULL, lang)
        assert (nearly_full.capacity, nearly_full.seats_left) == (20, 2)
        assert nearly_full.registration_state == "open"
        full = workshop(demo.FULL, lang)
        assert full.seats_left == 0 and full.registration_state == "waitlist"
    waiting = Registration.objects.filter(
        workshop_key=workshop(demo.FULL, "fr").translation_key,
        status=RegistrationStatus.WAITLISTED,
    )
    assert waiting.count() >= 1
    assert all(r.email.endswith("@example.org") for r in Registration.objects.exclude(email=""))
    assert workshop(demo.OPEN, "fr").seats_left >= 10, "the e2e tests register here"
    # Registrations were taken on the page of the language people chose
    arabic = Registration.objects.filter(language="ar").select_related("workshop__locale")
    assert arabic and all(r.workshop.locale.language_code == "ar" for r in arabic)

    # The listing replaces the placeholder page, at the same address, in the menus
    for lang in LANGUAGES:
        index = Page.objects.get(slug=demo.INDEX_SLUG, locale__language_code=lang).specific
        assert isinstance(index, WorkshopIndexPage) and index.show_in_menus
        assert index.title == demo.INDEX["title"].get(lang)


def check_home_page(client, django_assert_max_num_queries):
    upcoming = sorted(
        (spec for spec in demo.WORKSHOPS if spec["days"] >= 0),
        key=lambda spec: (spec["days"], spec["time"]),
    )[:3]
    for lang in ("fr", "ar"):
        client.get(f"/{lang}/")  # the first visit draws the images' renditions
        with django_assert_max_num_queries(40):
            response = client.get(f"/{lang}/")
        soup, cards, more = section(response)
        assert soup.html["lang"] == lang
        assert [title for title, *_ in cards] == [s["title"].get(lang) for s in upcoming]
        assert [href for _, href, *_ in cards] == [
            f"/{lang}/ateliers/{spec['slug']}/" for spec in upcoming
        ]
        assert more == f"/{lang}/ateliers/"
        for (_title, href, meta, text), spec in zip(cards, upcoming, strict=True):
            venue = demo.VENUES[spec["venue"]]["name"].get(lang)
            assert meta.endswith(f"· \u2068{venue}\u2069"), meta  # the venue isolated (FSI … PDI)
            assert any(char.isdigit() for char in meta.split("·")[0]), meta
            assert text, f"no seats line on {href}"
            assert client.get(href).status_code == 200
        seats = {spec["slug"]: text for (*_, text), spec in zip(cards, upcoming, strict=True)}
        with translation.override(lang):
            two_left = translation.ngettext("%(seats)s seat left", "%(seats)s seats left", 2)
        assert seats[demo.NEARLY_FULL] == two_left % {"seats": 2}
        assert not any(char.isdigit() for char in seats[demo.FULL]), "a full room has no count"
        if lang == "ar":
            assert re.search(f"[{ARABIC}]", cards[0][2]), "the date is not in Arabic"


def test_demo_workshops_and_the_home_page(client, demo_site, django_assert_max_num_queries):
    """One demo build (it is slow) for every check."""
    check_demo_workshops()
    check_home_page(client, django_assert_max_num_queries)

    # A second run changes nothing
    counts = demo_counts()
    assert counts["workshops"] == len(demo.WORKSHOPS) * 5  # fr, en, ar + pt, zh-hans aliases
    call_command("load_demo", stdout=io.StringIO())
    assert demo_counts() == counts

    # --reset leaves nothing behind before it builds again (the build is the one above):
    # neither workshops' registrations nor the demo campaigns' donations
    assert Donation.objects.exists()
    LoadDemo().delete_demo()
    assert demo_counts() == {
        "workshops": 0,
        "venues": 0,
        "registrations": 0,
        "seat rows": 0,
        "seats taken": [],
    }
    assert not Donation.objects.exists() and not CampaignTally.objects.exists()


def test_next_workshops_section_costs_the_same_queries_for_one_or_three(
    client, home_page, workshop_index
):
    def add(days):
        venue = VenueFactory()
        page = WorkshopPageFactory(
            parent=workshop_index,
            venue=venue,
            starts_at=timezone.now() + datetime.timedelta(days=days),
        )
        create_language_aliases(page)
        if days > 0:
            registrations.register(page, name="X", seats=3, language="fr", phone="0639980000")
        return page

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/fr/")
        _soup, cards, _more = section(response)
        return len(queries), cards

    add(3)
    client.get("/fr/")
    one, cards = count_queries()
    assert len(cards) == 1
    past = add(-3)  # never shown: it has taken place
    for days in (1, 2, 4):
        add(days)
    three, cards = count_queries()
    assert len(cards) == 3 and past.title not in [title for title, *_ in cards]
    assert three == one, f"{one} queries for one workshop, {three} for three"
    assert all("17" in text for *_, text in cards), cards  # 20 seats, 3 taken
