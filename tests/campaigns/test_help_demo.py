"""The demo's ways to help besides money (campaigns/help_demo.py): needs open, full with a
waiting list, things to lend, a need written in Arabic, and the figures of a campaign's
result; every offer went through campaigns.offers, so the counters agree with the offers."""

from decimal import Decimal

from django.db.models import Sum

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from campaigns import help_demo
from campaigns.needs import HelpFigures, HelpOffer, Need, NeedKind, OfferStatus

pytestmark = pytest.mark.django_db


def needs_of(slug):
    page = Page.objects.get(slug=slug, locale__language_code="fr")
    return {need.title: need for need in Need.objects.of(page.translation_key).with_counts()}


def test_the_garden_needs_people_and_things_some_full_with_a_waiting_list(demo_site):
    needs = needs_of(help_demo.GARDEN)
    states = {
        title: (need.kind, need.state, need.taken, need.wanted, need.waiting)
        for title, need in needs.items()
    }
    assert states == {
        "Construire les bacs du jardin": (NeedKind.TASK, "open", 4, 8, 0),
        "Accueillir une classe de l'école Julien-Lacroix": (NeedKind.TASK, "waitlist", 2, 2, 1),
        "Prêter une perceuse-visseuse": (NeedKind.THING, "open", 1, 2, 0),
        "Une salle pour 20 personnes": (NeedKind.THING, "waitlist", 1, 1, 0),
    }
    # the counters say what the offers say
    for need in Need.objects.all():
        confirmed = need.offers.filter(status=OfferStatus.CONFIRMED).aggregate(n=Sum("quantity"))
        assert need.taken == (confirmed["n"] or 0), need.title


def test_the_repair_cafe_keeps_one_empty_place_per_browser_test_language(demo_site):
    needs = needs_of(help_demo.REPAIR_CAFE)
    assert set(needs) == set(help_demo.E2E_NEEDS.values())
    for language, title in help_demo.E2E_NEEDS.items():
        need = needs[title]
        assert need.language == language
        assert (need.state, need.taken, need.wanted) == ("open", 0, 1)
    assert needs[help_demo.E2E_NEEDS["ar"]].created_by.username == "nour"


def test_the_library_result_counts_its_helpers(demo_site, client):
    needs = needs_of(help_demo.LIBRARY)
    assert {need.state for need in needs.values()} == {"past", "closed"}
    library = Page.objects.get(slug=help_demo.LIBRARY, locale__language_code="fr").specific
    assert library.status == "succeeded"
    figures = HelpFigures.for_campaign(library.translation_key)
    # six on the task (one came with a friend), two more gave books (one did both): 8 people
    assert (figures.people, figures.hours, figures.things) == (8, Decimal("15.0"), 35)

    soup = BeautifulSoup(client.get(library.url).content, "html.parser")
    line = soup.select_one(".funding-panel .help-figures")
    assert line is not None and "15" in line.get_text(), "the result does not say the hours"
    assert soup.select(".needs .need--past") and soup.select(".needs .need--closed")
    assert not soup.select(".needs .need__action"), "a past or closed need offers a button"


def test_the_french_page_marks_the_need_written_in_arabic(demo_site, client):
    cafe = Page.objects.get(slug=help_demo.REPAIR_CAFE, locale__language_code="fr")
    soup = BeautifulSoup(client.get(cafe.url).content, "html.parser")
    titles = {title.get_text(strip=True): title for title in soup.select(".need__title")}
    arabic = titles[help_demo.E2E_NEEDS["ar"]]
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")
    assert titles[help_demo.E2E_NEEDS["fr"]].get("lang") is None
    assert HelpOffer.objects.filter(need__campaign_key=cafe.translation_key).count() == 0
