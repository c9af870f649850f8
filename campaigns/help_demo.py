"""Demo data for the ways to help besides money (`load_demo`, registered from
CampaignsConfig.ready after the campaigns and the stories' leaders): needs on three campaigns
and the offers residents made, through campaigns.offers as on the site (nobody emailed).

- The Couronnes garden (live): planters to build on a Saturday about three weeks ahead (places
  left), a school visit already full with one person waiting, a drill to lend, a room that
  someone already lends (full).
- The Belleville repair café (live): two small needs of one place each, one written in French
  and one written in Arabic by its leader who writes in Arabic. Nobody has offered yet: the
  browser tests (tests/e2e/test_help.py) fill them, the French one from the French page and
  the Arabic one from the Arabic page, so neither run depends on the other.
- The Montreuil street library (closed, succeeded): a task done before it closed, with its
  helpers, and books given, so its result shows what people gave besides money.

Dates are relative to the day the demo is built: the upcoming tasks stay upcoming.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from wagtail.models import Page

from . import offers
from .needs import HelpOffer, Need, NeedKind

PARIS = ZoneInfo("Europe/Paris")
GARDEN = "jardin-des-couronnes"
REPAIR_CAFE = "repair-cafe-belleville"
LIBRARY = "bibliotheque-de-rue-montreuil"

# The repair café's one-place needs the browser tests answer, by the language of the page
# the test reads (their titles, as written).
E2E_NEEDS = {
    "fr": "Accueillir les visiteurs au prochain repair café",
    "ar": "ترجمة للزوار الناطقين بالعربية في أمسية التصليح",
}

# The people who offered: (name, email, phone, language). Made up; no real address.
PEOPLE = {
    "fatou": ("Fatou K.", "fatou.k@example.org", "", "fr"),
    "marc": ("Marc L.", "", "06 00 00 00 11", "fr"),
    "ines": ("Inès B.", "ines.b@example.org", "06 00 00 00 12", "fr"),
    "youssef": ("يوسف ع.", "youssef.a@example.org", "", "ar"),
    "mei": ("Mei W.", "mei.w@example.org", "", "zh-hans"),
    "paulo": ("Paulo R.", "", "06 00 00 00 13", "pt"),
    "chantal": ("Chantal M.", "chantal.m@example.org", "", "fr"),
    "samir": ("Samir H.", "", "06 00 00 00 14", "fr"),
    "lucie": ("Lucie P.", "lucie.p@example.org", "", "fr"),
    "amadou": ("Amadou S.", "", "06 00 00 00 15", "fr"),
    "claire": ("Claire V.", "claire.v@example.org", "", "en"),
}


def saturday_in_three_weeks(hour):
    """A Saturday 15 to 21 days after today (Paris), at ``hour`` Paris time."""
    today = timezone.localtime(timezone.now(), PARIS).date()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    return at(saturday + datetime.timedelta(days=14), hour)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def in_days(days, hour, minute=0):
    today = timezone.localtime(timezone.now(), PARIS).date()
    return at(today + datetime.timedelta(days=days), hour, minute)


def french_page(slug, site):
    return Page.objects.get(slug=slug, locale=site.locale).specific


def need(campaign, order, *, language="fr", author=None, **fields):
    return Need.objects.create(
        campaign_key=campaign.translation_key,
        language=language,
        sort_order=order,
        created_by=author,
        **fields,
    )


def offer(item, person, quantity=1, availability="", note=""):
    name, email, phone, language = PEOPLE[person]
    return offers.offer(
        item,
        name=name,
        email=email,
        phone=phone,
        language=language,
        quantity=quantity,
        availability=availability,
        note=note,
        notify=False,  # demo people: nobody to email
    )


def build(site):
    """The needs and offers of the garden, the repair café and the street library."""
    build_garden(french_page(GARDEN, site))
    build_repair_cafe(french_page(REPAIR_CAFE, site))
    build_library(french_page(LIBRARY, site))


def build_garden(garden):
    leader = garden.leaders.first()
    planters = need(
        garden,
        1,
        author=leader,
        kind=NeedKind.TASK,
        title="Construire les bacs du jardin",
        description=(
            "On assemble et on remplit de terre les douze bacs en bois. Pas besoin de savoir "
            "bricoler : on vous montre. Gants et goûter fournis."
        ),
        starts_at=saturday_in_three_weeks(10),
        place="Friche des Couronnes, 35 rue des Couronnes, 75020 Paris",
        hours=Decimal(3),
        wanted=8,
    )
    offer(planters, "fatou", availability="Toute la matinée")
    offer(planters, "marc", quantity=2, note="Je viens avec mon fils de 15 ans.")
    offer(planters, "youssef")

    schools = need(
        garden,
        2,
        author=leader,
        kind=NeedKind.TASK,
        title="Accueillir une classe de l'école Julien-Lacroix",
        description="Montrer les semis aux enfants et les aider à planter leurs radis.",
        starts_at=in_days(10, 9, 30),
        place="Friche des Couronnes, 35 rue des Couronnes, 75020 Paris",
        hours=Decimal("1.5"),
        wanted=2,
    )
    offer(schools, "ines")
    offer(schools, "chantal")
    offer(schools, "mei", availability="Le matin en semaine")  # full: waits

    drill = need(
        garden,
        3,
        author=leader,
        kind=NeedKind.THING,
        title="Prêter une perceuse-visseuse",
        description="Pour le jour de la construction des bacs. Rendue le soir même.",
        wanted=2,
    )
    offer(drill, "samir", availability="Je la dépose le vendredi soir")

    room = need(
        garden,
        4,
        kind=NeedKind.THING,
        title="Une salle pour 20 personnes",
        description="Pour la réunion des voisins qui lance le jardin, un soir de semaine.",
        wanted=1,
    )
    offer(room, "paulo", note="La salle commune du 42, le mardi soir.")


def build_repair_cafe(cafe):
    evening = in_days(30, 18, 30)
    place = "Centre social de Belleville, 27 rue Rébeval, 75019 Paris"
    need(
        cafe,
        1,
        kind=NeedKind.TASK,
        title=E2E_NEEDS["fr"],
        description="Dire bonjour, noter les objets à réparer et orienter vers les tables.",
        starts_at=evening,
        place=place,
        hours=Decimal(2),
        wanted=1,
    )
    need(
        cafe,
        2,
        language="ar",
        author=cafe.leaders.first(),  # the leader who writes in Arabic
        kind=NeedKind.TASK,
        title=E2E_NEEDS["ar"],
        description="نبحث عن شخص يتكلم العربية والفرنسية ليساعد الزوار في شرح أعطال أجهزتهم.",
        starts_at=evening,
        place=place,
        hours=Decimal(2),
        wanted=1,
    )


def build_library(library):
    """Offered while the task was still to come, then its date passed: the campaign's result
    counts its helpers."""
    leader = library.leaders.first()
    boxes = need(
        library,
        1,
        author=leader,
        kind=NeedKind.TASK,
        title="Installer les boîtes à livres",
        description="Fixer les quatre boîtes et y ranger les premiers livres.",
        starts_at=in_days(1, 10),
        place="Square Jean-Moulin, 93100 Montreuil",
        hours=Decimal("2.5"),
        wanted=6,
    )
    for person in ("lucie", "amadou", "claire", "fatou"):
        offer(boxes, person)
    offer(boxes, "samir", quantity=2)
    Need.objects.filter(pk=boxes.pk).update(
        starts_at=library.closes_at - datetime.timedelta(days=5)
    )

    books = need(
        library,
        2,
        author=leader,
        kind=NeedKind.THING,
        title="Donner des livres pour enfants",
        description="Albums et romans jeunesse, en français ou dans une autre langue.",
        wanted=40,
    )
    offer(books, "claire", quantity=15)
    offer(books, "youssef", quantity=12, note="Des albums en arabe et en français.")
    offer(books, "ines", quantity=8)
    Need.objects.filter(pk=books.pk).update(is_open=False)  # enough books now


def reset():
    """The needs and offers of campaigns that no longer exist (load_demo deleted the pages
    first)."""
    existing = Page.objects.values_list("translation_key", flat=True)
    HelpOffer.objects.exclude(campaign_key__in=existing).delete()
    Need.objects.exclude(campaign_key__in=existing).delete()
