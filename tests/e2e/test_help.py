"""Helping a campaign besides money, in a real browser without JavaScript: the campaign page
lists the needs and what people gave → "I can help" → the form → the offer's page; a full need
puts the next person on its waiting list; withdrawing (the link on the offer's page, then a
confirming POST) gives the place to the first person waiting.

The tests share the e2e server's demo database. The offers go to the repair café's two
one-place needs that the demo keeps for them (campaigns/help_demo.py, E2E_NEEDS): the French
run answers the need written in French, the Arabic run the one written in Arabic, so either
may run first. The campaign's figures are read before and after. Interface strings may still
be untranslated, so the assertions are about structure, URLs, lang/dir, numbers and names
rather than wording.
"""

import re

import pytest

from campaigns import help_demo
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.screens import shoot_and_check

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789.")
OFFER_PAGE = r"/{lang}/help/offer/[^/]+/$"
# (name, email, phone, language for our messages) of the two people of each run
PEOPLE = {
    "fr": [
        ("Awa Helper E2E", "e2e-help-fr@example.org", "", "fr"),
        ("نادية انتظار E2E", "", "06 00 00 00 91", "ar"),
    ],
    "ar": [
        ("كريم E2E", "e2e-help-ar@example.org", "", "ar"),
        ("Lucas Attente E2E", "", "06 00 00 00 92", "fr"),
    ],
}


def campaign_path(lang, slug):
    return f"/{lang}/campagnes/{slug}/"


def assert_language(page, lang):
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")


def numbers(text):
    """The numbers in ``text``, in order (Arabic-Indic digits read too; "1,5" is 1.5)."""
    text = text.translate(ARABIC_DIGITS)
    return [float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", text)]


def figures(page):
    """(people who help, hours offered) as the funding panel says them; (0, 0) without."""
    line = page.locator(".funding-panel .help-figures")
    if line.count() == 0:
        return 0, 0
    people = numbers(line.locator("strong").inner_text())
    rest = numbers(line.inner_text())[1:]
    assert len(people) == 1, line.inner_text()
    return int(people[0]), (rest[0] if rest else 0)


def card(page, title):
    """The need's card on the campaign page, found by its title as written."""
    found = page.locator("#help .need").filter(has=page.locator(".need__title", has_text=title))
    assert found.count() == 1, f"no card for {title!r}"
    return found


def places(card_locator):
    """(taken, wanted, waiting) as the card says them."""
    found = [int(n) for n in numbers(card_locator.locator(".need__places p").inner_text())]
    assert len(found) in (2, 3), found
    return (*found, 0)[:3]


def state(card_locator):
    return re.search(r"need--(open|waitlist|closed|past)\b", card_locator.get_attribute("class"))[1]


def open_campaign(page, site_url, lang, slug):
    response = page.goto(site_url + campaign_path(lang, slug))
    assert response.ok
    assert_language(page, lang)


def offer(page, site_url, lang, title, person):
    """From the campaign page, follow the need's button, fill the form, send it. Returns the
    offer page's URL."""
    name, email, phone, language = person
    card(page, title).locator(".need__action a").click()
    page.wait_for_url(re.compile(rf"/{lang}/help/\d+/$"))
    assert_language(page, lang)
    form = page.locator("form.help-form")
    form.locator("#id_name").fill(name)
    form.locator("#id_email").fill(email)
    form.locator("#id_phone").fill(phone)
    form.locator("#id_language").select_option(language)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(site_url) + OFFER_PAGE.format(lang=lang)))
    assert_language(page, lang)
    assert page.locator("main h1").count() == 1
    main = page.locator("main").inner_text()
    assert title in main, "the offer's page does not show the need"
    if email:
        assert email in main
    return page.url


def is_confirmed(page):
    """The offer's page says confirmed (its notice is the success one) or waiting."""
    notice = page.locator("main .notice[role='status']")
    assert notice.count() == 1
    return "notice--success" in notice.get_attribute("class")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_offer_join_the_waiting_list_and_withdraw_without_javascript(
    new_page, site_url, artifacts_dir, lang
):
    """The offer, the waiting list and the withdrawal, in browsers without JavaScript."""
    title = help_demo.E2E_NEEDS[lang]
    first, second = PEOPLE[lang]
    helper = new_page(java_script_enabled=False)
    open_campaign(helper, site_url, lang, help_demo.REPAIR_CAFE)
    people, hours = figures(helper)
    need = card(helper, title)
    assert (state(need), places(need)) == ("open", (0, 1, 0))
    # the other run's need is written in the other language, and marked so
    other = "ar" if lang == "fr" else "fr"
    heading = card(helper, help_demo.E2E_NEEDS[other]).locator(".need__title")
    assert heading.get_attribute("lang") == other
    assert heading.get_attribute("dir") == ("rtl" if other == "ar" else "ltr")

    # the first person takes the one place: confirmed
    first_offer = offer(helper, site_url, lang, title, first)
    assert is_confirmed(helper)
    helper.locator(f"main a[href='{campaign_path(lang, help_demo.REPAIR_CAFE)}']").click()
    helper.wait_for_url(site_url + campaign_path(lang, help_demo.REPAIR_CAFE))
    need = card(helper, title)
    assert (state(need), places(need)) == ("waitlist", (1, 1, 0))
    assert figures(helper) == (people + 1, hours + 2)  # a task of 2 h per person

    # the need is full: the next person waits
    waiting = new_page(java_script_enabled=False)
    open_campaign(waiting, site_url, lang, help_demo.REPAIR_CAFE)
    second_offer = offer(waiting, site_url, lang, title, second)
    assert not is_confirmed(waiting)
    open_campaign(waiting, site_url, lang, help_demo.REPAIR_CAFE)
    assert places(card(waiting, title)) == (1, 1, 1)
    assert figures(waiting) == (people + 1, hours + 2)  # waiting is not helping yet

    # the first person withdraws: the link on their page, then the confirming POST
    helper.goto(first_offer)
    helper.locator("main a[href*='/help/withdraw/']").click()
    helper.wait_for_url(re.compile(rf"/{lang}/help/withdraw/[^/]+/$"))
    assert_language(helper, lang)
    assert first[0] in helper.locator("main").inner_text()
    helper.locator("main form button[type='submit']").click()
    helper.wait_for_load_state()
    assert helper.locator("main h1").count() == 1
    assert helper.locator("main a[href*='/help/withdraw/']").count() == 0
    helper.goto(first_offer)
    assert not is_confirmed(helper)
    assert helper.locator("main a[href*='/help/withdraw/']").count() == 0

    # the place went to the person waiting
    waiting.goto(second_offer)
    assert is_confirmed(waiting)
    open_campaign(waiting, site_url, lang, help_demo.REPAIR_CAFE)
    need = card(waiting, title)
    assert (state(need), places(need)) == ("waitlist", (1, 1, 0))
    assert figures(waiting) == (people + 1, hours + 2)  # one left, one came in

    # axe needs JavaScript: the confirmed offer's page, seen again in a browser with it on
    seen = new_page()
    seen.goto(second_offer)
    assert is_confirmed(seen)
    seen.screenshot(path=artifacts_dir / f"help-offer-confirmed-{lang}.png", full_page=True)
    assert_no_serious_axe_violations(seen)


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_needs_and_the_help_form_look_right(new_page, site_url, artifacts_dir, lang, viewport):
    page = new_page(viewport=viewport)  # axe runs in the page: JavaScript on
    width = viewport["width"]
    open_campaign(page, site_url, lang, help_demo.GARDEN)
    section = page.locator("#help")
    assert section.locator("h2").count() == 1
    states = [state(item) for item in section.locator(".need").all()]
    assert states.count("open") == 2 and states.count("waitlist") == 2, states
    people, hours = figures(page)
    assert people >= 8 and hours >= 15, "the panel does not say what people gave"
    assert section.locator(".help-figures").count() == 1
    # every need takes offers here: a button of 44 px at least on each card
    buttons = section.locator(".need__action a").all()
    assert len(buttons) == 4
    for button in buttons:
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
    # the French needs on the Arabic page say so
    if lang != "fr":
        assert section.locator(".need__title[lang='fr'][dir='ltr']").count() == 4
    section.screenshot(path=artifacts_dir / f"help-needs-{lang}-{width}.png")
    shoot_and_check(page, artifacts_dir / f"help-campaign-{lang}-{width}.png")

    section.locator(".need--open.need--task .need__action a").first.click()
    page.wait_for_url(re.compile(rf"/{lang}/help/\d+/$"))
    assert_language(page, lang)
    assert page.locator("form.help-form #id_name").is_visible()
    shoot_and_check(page, artifacts_dir / f"help-form-{lang}-{width}.png")


def test_an_invalid_offer_comes_back_with_the_error_and_keeps_what_was_typed(
    new_page, site_url, artifacts_dir
):
    page = new_page()
    open_campaign(page, site_url, "ar", help_demo.GARDEN)
    before = places(card(page, "Prêter une perceuse-visseuse"))
    card(page, "Prêter une perceuse-visseuse").locator(".need__action a").click()
    page.wait_for_url(re.compile(r"/ar/help/\d+/$"))
    page.locator("#id_name").fill("سلمى بلا عنوان")
    page.locator("#id_availability").fill("مساء الجمعة (e2e)")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.locator("form.help-form button[type='submit']").click()
    assert posted.value.status == 400
    assert_language(page, "ar")
    assert page.locator("#offer-errors[role='alert']").is_visible()
    assert page.locator("#id_name").input_value() == "سلمى بلا عنوان"
    assert page.locator("#id_availability").input_value() == "مساء الجمعة (e2e)"
    shoot_and_check(page, artifacts_dir / "help-form-error-ar.png")
    open_campaign(page, site_url, "ar", help_demo.GARDEN)
    assert places(card(page, "Prêter une perceuse-visseuse")) == before, "a refused offer counted"
