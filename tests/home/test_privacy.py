"""Page privacy (DESIGN.md §9): a page with a view restriction, and everything under it,
shows nowhere the public can look: listings, home sections, feed, calendars, search,
sitemap, open data, embed card, the JSON API and the links of other pages, in every
language, its untranslated copies (aliases) included. Its forms take nothing.

Each scenario restricts pages of every type one way, then crawls the public site once and
looks for any trace of them (titles, slugs, addresses) in every answer.
"""

import html
import json
import re

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, Page, PageViewRestriction

import pytest

from campaigns.models import CampaignPage
from donations.models import Donation
from helpers.visibility import is_public, public_pages
from home.factories import StandardPageFactory
from workshops.models import Registration, WorkshopPage

# pt: a language with untranslated copies (aliases) in the demo: the newest news item and the
# story written in Arabic
CRAWLED_LANGUAGES = ["fr", "ar", "pt"]
# fr pages of the demo, one of each type, restricted in every language they are written in
RESTRICTED_PAGES = {
    "campaign": "repair-cafe-belleville",
    "story": "le-jardin-a-ouvert",
    "workshop": "ecrire-son-budget",
    "standard": "qui-sommes-nous",
}
# the story written in Arabic (stories/demo.py): its other languages are untranslated copies
ARABIC_STORY = "first-repair-evening"
RESTRICTED_SECTIONS = ["campagnes", "histoires", "ateliers"]  # fr listings only
KINDS = [
    PageViewRestriction.PASSWORD,
    PageViewRestriction.LOGIN,
    PageViewRestriction.GROUPS,
]
DONATION_FORM = {
    "amount_choice": "25",
    "custom_amount": "",
    "donor_name": "Awa Diallo",
    "donor_email": "awa@example.org",
    "display": "name",
    "message": "",
    "consent": "on",
}
REGISTRATION_FORM = {
    "name": "Fatou Diop",
    "email": "fatou@example.org",
    "phone": "",
    "seats": "1",
    "language": "fr",
    "accessibility_needs": "",
}


def restrict(page, kind):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="secret-pw" if kind == "password" else ""
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.get_or_create(name="Members")[0])


def fr_page(slug):
    return Page.objects.get(locale__language_code="fr", slug=slug, alias_of=None)


def hidden_pages(roots):
    """What must be hidden, worked out from the tree alone: the restricted pages, their
    descendants, their copies (aliases) and the copies' descendants."""
    everything = list(Page.objects.all())
    paths = tuple(root.path for root in roots)
    while True:
        hidden = [page for page in everything if page.path.startswith(paths)]
        ids = {page.pk for page in hidden}
        new = tuple(
            page.path
            for page in everything
            if page.alias_of_id in ids and not page.path.startswith(paths)
        )
        if not new:
            return [page.specific for page in hidden]
        paths += new


def readable(response):
    """The answer as text, with HTML/XML entities decoded and iCalendar lines unfolded."""
    text = b"".join(response).decode() if response.streaming else response.content.decode()
    text = text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def crawl(client, hidden_ids):
    """Every public answer: {url: text}. Pages known to be hidden are not fetched."""
    answers = {}

    def get(url, may_be_hidden=False):
        response = client.get(url)
        if may_be_hidden and response.status_code == 404:
            return
        assert response.status_code == 200, (url, response.status_code)
        answers[url] = readable(response)

    for language in CRAWLED_LANGUAGES:
        shown = Page.objects.live().filter(locale__language_code=language, depth__gte=2)
        for page in shown.exclude(pk__in=hidden_ids):
            get(page.url)
            if language == "fr":  # the others' links are in the listings below (fields=*)
                get(f"/api/v2/pages/{page.pk}/")
        for query in ["Repair", "jardin", "budget", "sommes", "Belleville"]:
            get(f"/{language}/search/?q={query}")
        get(f"/{language}/stories/feed/", may_be_hidden=True)  # 404 with its listing
        get(f"/{language}/workshops/calendar.ics")
        for page_type in ["campaigns.CampaignPage", "stories.StoryPage", "workshops.WorkshopPage"]:
            get(f"/api/v2/pages/?type={page_type}&locale={language}&limit=50&fields=*")
        get(f"/api/v2/pages/?locale={language}&limit=50")
        get(f"/api/v2/pages/?locale={language}&limit=50&offset=50")
    for url in [
        "/sitemap.xml",
        "/open-data/campaigns.csv",
        "/open-data/campaigns.json",
        "/open-data/stats.json",
    ]:
        get(url)
    return answers


def traces(pages, with_slugs):
    """Strings that give a hidden page away: its title and addresses (and slug)."""
    found = set()
    ids = {page.pk for page in pages}
    for page in pages:
        # A copy of a page that stays public (the demo's story written in Arabic, under a
        # restricted French listing) shares its title with it: only its addresses are traces.
        copy_of_public = page.alias_of_id is not None and page.alias_of_id not in ids
        if not page.specific_class.__name__.endswith("IndexPage") and not copy_of_public:
            found.add(page.title)  # (index pages: "Ateliers" is a common word)
        found.add(page.url)
        found.add(f"/api/v2/pages/{page.pk}/")
        if with_slugs:
            found.add(f"/{page.slug}/")
    return found


def check_nothing_leaks(client, hidden, with_slugs):
    hidden_ids = {page.pk for page in hidden}
    needles = traces(hidden, with_slugs)
    answers = crawl(client, hidden_ids)
    pattern = re.compile("|".join(re.escape(needle) for needle in sorted(needles)))
    leaks = [(url, match) for url, text in answers.items() for match in pattern.findall(text)]
    assert not leaks, f"{len(leaks)} leaks, first ones: {leaks[:15]}"

    for page in hidden:
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
        assert client.get(f"/api/v2/pages/find/?html_path={page.url}").status_code == 404
    campaigns = [page for page in hidden if isinstance(page, CampaignPage)]
    for campaign in campaigns:
        assert client.get(f"/fr/embed/campaign/{campaign.pk}/").status_code == 404
    # a few workshops: registrations are rate-limited per visitor
    for workshop in [page for page in hidden if isinstance(page, WorkshopPage)][:4]:
        assert client.get(f"/fr/workshops/{workshop.pk}/calendar.ics").status_code == 404
        response = client.post(f"/fr/workshops/{workshop.pk}/register/", REGISTRATION_FORM)
        assert response.status_code == 404
    assert not Registration.objects.filter(email=REGISTRATION_FORM["email"]).exists()
    return answers


def restrict_pages(kind):
    """One page of each type restricted in each language it is written in, and the story
    written in Arabic (its copies in the other languages are not restricted: Wagtail has no
    restriction on an alias)."""
    restricted = [arabic_story()]
    for slug in RESTRICTED_PAGES.values():
        restricted += fr_page(slug).get_translations(inclusive=True).filter(alias_of=None)
    for page in restricted:
        restrict(page, kind)
    hidden = hidden_pages(restricted)
    copies = {page.locale.language_code for page in hidden if page.alias_of_id}
    assert copies == {"fr", "en", "pt", "zh-hans"}  # the Arabic story's untranslated copies
    return hidden


def arabic_story():
    return Page.objects.get(locale__language_code="ar", slug=ARABIC_STORY, alias_of=None)


def restrict_sections(kind):
    """The French listings restricted: what is under them, and their copies, are hidden."""
    sections = [fr_page(slug) for slug in RESTRICTED_SECTIONS]
    for section in sections:
        restrict(section, kind)
    hidden = hidden_pages(sections)
    assert {"fr", "pt", "zh-hans"} <= {page.locale.language_code for page in hidden}
    return hidden


SCENARIOS = [(restrict_pages, kind) for kind in KINDS] + [
    (restrict_sections, PageViewRestriction.PASSWORD)
]


def test_private_pages_show_nowhere(client, demo_site):
    """Each scenario restricts pages one way and crawls the whole public site once. (One
    test for all: the first crawl makes the images' renditions, the others reuse them.)"""
    campaign = fr_page(RESTRICTED_PAGES["campaign"]).specific
    arabic_campaign = campaign.get_translation(Locale.objects.get(language_code="ar"))
    assert campaign.accepts_donations  # so only privacy can refuse the gift
    gifts = Donation.objects.count()
    for make_private, kind in SCENARIOS:
        cache.clear()  # registrations are rate-limited per visitor
        hidden = make_private(kind)
        whole_pages = make_private is restrict_pages
        answers = check_nothing_leaks(client, hidden, with_slugs=whole_pages)
        if whole_pages:
            for language in CRAWLED_LANGUAGES:
                donate = f"/{language}/donate/{campaign.translation_key}/"
                assert client.get(donate).status_code == 404
                assert client.post(donate, DONATION_FORM).status_code == 404
        else:  # the Arabic campaign is a page of its own, not restricted
            assert arabic_campaign.title in answers["/ar/"]
        PageViewRestriction.objects.all().delete()
    assert Donation.objects.count() == gifts
    assert client.get(f"/fr/donate/{campaign.translation_key}/").status_code == 200


def test_copies_of_private_pages_are_private(demo_site):
    """Aliases: of a restricted page, of a page under one, pages under such a copy, and
    copies of those."""
    garden = fr_page("jardin-des-couronnes")
    news = fr_page("premiers-bacs")  # under the garden, untranslated in pt (an alias there)
    news_copy = Page.objects.get(alias_of=news, locale__language_code="pt")
    under_copy = StandardPageFactory(parent=news_copy, title="Sous la copie")
    story = arabic_story()
    story_copy = Page.objects.get(alias_of=story, locale__language_code="pt")
    copy_of_copy = under_copy.create_alias(parent=story_copy, reset_translation_key=True)
    everything = [garden, news, news_copy, under_copy, story, story_copy, copy_of_copy]
    assert all(is_public(page) for page in everything)

    restrict(garden, PageViewRestriction.LOGIN)
    restrict(story, PageViewRestriction.LOGIN)

    public = set(public_pages().values_list("pk", flat=True))
    for page in everything:
        assert not is_public(page)
        assert page.pk not in public
    assert fr_page("ateliers").pk in public
    assert CampaignPage.objects.filter(locale__language_code="en").first().pk in public


def test_public_pages_costs_the_same_whatever_the_restrictions(demo_site):
    """A listing filtered by ``public_pages`` runs the same number of queries with one
    restriction as with twenty, however many pages they cover."""

    def listing_queries():
        with CaptureQueriesContext(connection) as queries:
            pages = list(public_pages(CampaignPage.objects.order_by("pk")))
        return len(queries), len(pages)

    # one restriction, on a page with untranslated copies (one level of aliases to look for)
    restrict(fr_page("premiers-bacs"), PageViewRestriction.PASSWORD)
    one, shown_before = listing_queries()
    for page in Page.objects.filter(depth=4, alias_of=None)[:20]:
        restrict(page, PageViewRestriction.LOGIN)
    many, shown_after = listing_queries()
    assert shown_after < shown_before
    assert many == one <= 4


@pytest.mark.parametrize("hidden_how", ["unpublished", "restricted"])
def test_a_donation_block_names_no_hidden_campaign(client, demo_site, hidden_how):
    """A donation block on a public page, pointing at a campaign that is a draft or private:
    neither the page nor the API gives the campaign's title, address or donation link."""
    campaign = fr_page("jardin-des-couronnes").specific
    page = fr_page(RESTRICTED_PAGES["standard"]).specific
    page.body = [
        ("paragraph", "<p>Nos projets</p>"),
        (
            "donation",
            {
                "campaign": campaign,
                "heading": "Donnez",
                "text": "",
                "preset_amounts": [10],
                "allow_custom_amount": True,
                "button_label": "Donner",
            },
        ),
    ]
    page.save()
    if hidden_how == "unpublished":
        campaign.unpublish()
    else:
        restrict(campaign, PageViewRestriction.PASSWORD)
    needles = [campaign.title, campaign.url, str(campaign.translation_key)]

    html_page = readable(client.get(page.url))
    api = client.get(f"/api/v2/pages/{page.pk}/")
    block = next(block for block in api.json()["body"] if block["type"] == "donation")
    assert "Donnez" in html_page
    assert block["value"]["campaign"] is None
    assert block["value"]["donate_url"] is None
    assert [n for n in needles if n in html_page or n in readable(api)] == []


def test_a_page_asks_for_the_private_sections_once(client, demo_site):
    """The home page (menus, language switcher, three sections, links) reads the
    restrictions once per request; outside a request, nothing is remembered."""

    def reads_of_private_sections():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/fr/").status_code == 200
        # ours leaves out restrictions of type "none" (Wagtail's own check of the page does not)
        return [q for q in queries if "pageviewrestriction" in q["sql"] and "'none'" in q["sql"]]

    restrict(fr_page(RESTRICTED_PAGES["standard"]), PageViewRestriction.PASSWORD)
    assert len(reads_of_private_sections()) == 1
    assert len(reads_of_private_sections()) == 1  # and again for the next request
    assert not is_public(fr_page(RESTRICTED_PAGES["standard"]))
    PageViewRestriction.objects.all().delete()
    assert is_public(fr_page(RESTRICTED_PAGES["standard"]))


def test_rich_text_links_lead_only_to_pages_the_public_may_see(client, demo_site):
    """A paragraph linking a campaign: the link works while the campaign is public; once it
    is private, the page and the API keep the words but not its address, in every language."""
    campaign = fr_page(RESTRICTED_PAGES["campaign"]).specific
    page = fr_page("premiers-bacs").specific  # the news item, untranslated in pt
    page.body = [
        ("paragraph", f'<p>Voir <a linktype="page" id="{campaign.pk}">notre café</a>.</p>'),
    ]
    page.save_revision().publish()
    portuguese_copy = page.get_translation(Locale.objects.get(language_code="pt"))  # an alias
    assert portuguese_copy.alias_of_id == page.pk

    def addresses_shown():
        shown = []
        for url in (page.url, portuguese_copy.url, f"/api/v2/pages/{page.pk}/"):
            body = readable(client.get(url))
            assert "notre café" in body
            shown += [slug for slug in (f"/{campaign.slug}/",) if slug in body]
        return shown

    assert len(addresses_shown()) == 3
    for version in campaign.get_translations(inclusive=True).filter(alias_of=None):
        restrict(version, PageViewRestriction.PASSWORD)  # the Portuguese one too
    assert addresses_shown() == []
