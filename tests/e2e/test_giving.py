"""Giving in a real browser: campaign page → donation form → demo checkout → thanks → campaign.

The e2e server uses the demo checkout (no Stripe key). Every test that gives reads the totals
before and after itself: the tests share one server database, so absolute figures depend on
what ran before. Interface strings may still be untranslated, so the assertions are about
structure, URLs, lang/dir, numbers and names rather than wording.
"""

import re

import pytest

from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
LIVE = "jardin-des-couronnes"
UPCOMING = "fete-rue-denoyez"
SUCCEEDED = "bibliotheque-de-rue-montreuil"
FAILED = "cuisine-solidaire-saint-denis"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Babel's euro amounts: fr "1 695 €" (U+202F between thousands, U+00A0 before €),
# ar "‏1,695 €" (a right-to-left mark first).
MONEY = {
    "fr": lambda euros: f"{euros:,}".replace(",", "\u202f") + "\u00a0€",
    "ar": lambda euros: "\u200f" + f"{euros:,}" + "\u00a0€",
}


def campaign_path(lang, slug=LIVE):
    return f"/{lang}/campagnes/{slug}/"


def digits(text):
    """The whole number written in `text` (the demo's amounts are whole euros)."""
    only_digits = re.sub(r"\D", "", text)
    assert only_digits, f"no digits in {text!r}"
    return int(only_digits)


def read_totals(page):
    """(raised in euros, raised as displayed, number of donors) from the campaign's progress.

    The figures read "<strong>raised</strong> raised of goal · N donors · N days left": the
    "·" separators are outside the translated strings, so the donor count is the second part.
    """
    figures = page.locator(".progress .progress__figures").first
    raised_text = figures.locator("strong").inner_text().strip()
    parts = figures.inner_text().split("·")
    assert len(parts) >= 2, f"unexpected progress figures: {figures.inner_text()!r}"
    return digits(raised_text), raised_text, digits(parts[1])


def rise_for(page, euros):
    """How much a gift of ``euros`` raises the campaign's total, in euros: the gift, plus what
    each match fund the page offers adds (the demo's fund, campaigns/match_demo.py, doubles
    each euro given to the garden, up to 100 € a gift, while it has room)."""
    cents = euros * 100
    matched = 0
    for offer in page.locator(".match-offer").all():  # attributes: works without JavaScript
        per_gift = offer.get_attribute("data-per-gift-cents")
        matched += min(
            cents * int(offer.get_attribute("data-ratio-percent")) // 100,
            int(per_gift) if per_gift else cents * 100,
            int(offer.get_attribute("data-room-cents")),
        )
    return (cents + matched) // 100


def open_form_from_block(page, site_url, lang, euros=25):
    """From the live campaign page, choose `euros` in its donation block: the form opens with
    that amount preselected."""
    block = page.locator("section.donation-block")
    block.locator(f"button[name='amount'][value='{euros}']").click()
    # (then the block's suggested amounts, which the form offers: ?amount=25&presets=10,25,50)
    donate = rf"{re.escape(site_url)}/{lang}/donate/{UUID}/"
    page.wait_for_url(re.compile(rf"{donate}\?amount={euros}(&presets=[^&]+)?$"))
    form = page.locator("form.donation-form")
    assert form.locator(f"input[name='amount_choice'][value='{euros}']").is_checked()
    return form


def fill_form(form, *, name, email, display, message, consent=True):
    form.locator("#id_donor_name").fill(name)
    form.locator("#id_donor_email").fill(email)
    form.locator(f"input[name='display'][value='{display}']").check()
    form.locator("#id_message").fill(message)
    if consent:
        form.locator("#id_consent").check()


def pay_on_demo_checkout(page, site_url, lang):
    """Submit the filled form, check the demo checkout says it is a test, pay, land on thanks."""
    page.locator("form.donation-form button[type='submit']").click()
    page.wait_for_url(re.compile(rf"{re.escape(site_url)}/{lang}/donate/checkout/{UUID}/$"))
    assert page.get_attribute("html", "lang") == lang
    notice = page.locator("main .notice--demo")
    assert notice.is_visible(), "the demo checkout does not say it is a test"
    assert notice.inner_text().strip()
    pay = page.locator("button[name='action'][value='pay']")
    cancel = page.locator("button[name='action'][value='cancel']")
    background = "el => getComputedStyle(el).backgroundColor"
    assert pay.evaluate(background) != cancel.evaluate(background), "Cancel looks like Pay"
    pay.click()
    page.wait_for_url(re.compile(rf"{re.escape(site_url)}/{lang}/donate/thanks/{UUID}/$"))
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    h1 = page.locator("main h1")
    assert h1.count() == 1 and h1.inner_text().strip(), "the thank-you page has no h1"


def back_to_campaign(page, site_url, lang):
    page.locator(f"main a[href='{campaign_path(lang)}']").click()
    page.wait_for_url(site_url + campaign_path(lang))


def newest_gift(page):
    gifts = page.locator("section.donations-list li")
    assert gifts.count() > 0, "the campaign lists no gift"
    return gifts.first


GIFTS = [
    # (lang, name, display, message): a named gift (an Arabic name on a left-to-right page),
    # and an anonymous one.
    ("fr", "نادية", "name", "Bon courage pour le jardin ! (e2e fr)"),
    ("ar", "Nadia E2E ar.", "anonymous", "بالتوفيق للحديقة (e2e ar)"),
]


@pytest.mark.parametrize(("lang", "name", "display", "message"), GIFTS, ids=["fr", "ar"])
def test_give_25_euros_and_see_it_on_the_campaign(new_page, site_url, lang, name, display, message):
    page = new_page()
    page.goto(site_url + campaign_path(lang))
    assert page.get_attribute("html", "lang") == lang
    raised_before, _, donors_before = read_totals(page)
    rise = rise_for(page, 25)

    form = open_form_from_block(page, site_url, lang)
    # "Anonymous" in the list and the form's anonymous choice are the same translated string.
    anonymous_label = form.locator("label:has(input[name='display'][value='anonymous'])")
    anonymous_label = anonymous_label.inner_text().strip()
    fill_form(form, name=name, email=f"e2e-{lang}@example.org", display=display, message=message)
    pay_on_demo_checkout(page, site_url, lang)
    back_to_campaign(page, site_url, lang)

    raised_after, raised_text, donors_after = read_totals(page)
    assert raised_after == raised_before + rise, (raised_before, raised_text)
    assert raised_text == MONEY[lang](raised_after)
    assert donors_after == donors_before + 1

    gift = newest_gift(page)
    shown_name = gift.locator("strong").inner_text().strip()
    if display == "anonymous":
        assert shown_name == anonymous_label
        assert name not in page.locator("main").inner_text(), "an anonymous donor's name shows"
    else:
        assert shown_name == name
    amount = gift.locator(".amount")
    assert amount.inner_text().strip() == MONEY[lang](25)
    # The name is isolated from the page's direction: the amount still comes after it.
    name_box, amount_box = gift.locator("strong").bounding_box(), amount.bounding_box()
    if lang == "ar":
        assert amount_box["x"] + amount_box["width"] <= name_box["x"] + 1, (name_box, amount_box)
    else:
        assert amount_box["x"] >= name_box["x"] + name_box["width"] - 1, (name_box, amount_box)
    assert gift.locator("p").inner_text().strip() == message


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_invalid_gift_comes_back_with_errors_and_keeps_what_was_typed(page, site_url, lang):
    page.goto(site_url + campaign_path(lang))
    raised_before, _, donors_before = read_totals(page)
    form = open_form_from_block(page, site_url, lang)
    donate_url = page.url.split("?")[0]
    fill_form(
        form,
        name="Nadia Erreur",
        email="pas-une-adresse",
        display="name",
        message="Un message gardé",
        consent=False,
    )

    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.locator("form.donation-form button[type='submit']").click()
    assert posted.value.status == 400
    assert page.url == donate_url, "an invalid form must not leave the donation page"
    assert page.get_attribute("html", "lang") == lang

    alert = page.locator("main [role='alert']")
    assert alert.is_visible() and alert.inner_text().strip()
    email_field = page.locator(".form-field:has(#id_donor_email)")
    assert "form-field--error" in email_field.get_attribute("class")
    assert email_field.locator(".field-error").is_visible()
    consent_field = page.locator(".form-field:has(#id_consent)")
    assert consent_field.locator(".field-error").is_visible()
    assert page.locator(".field-error:visible").count() == 2
    # Each invalid field says so and points at its error message (aria-describedby).
    for field_id in ("id_donor_email", "id_consent"):
        field = page.locator(f"#{field_id}")
        assert field.get_attribute("aria-invalid") == "true", field_id
        described_by = (field.get_attribute("aria-describedby") or "").split()
        assert described_by, f"#{field_id} is not described by its error"
        for target in described_by:
            assert page.locator(f"#{target}").count() == 1, f"#{field_id} → missing #{target}"
        assert page.locator(f"#{field_id}_error .field-error").is_visible(), field_id

    assert page.locator("#id_donor_name").input_value() == "Nadia Erreur"
    assert page.locator("#id_donor_email").input_value() == "pas-une-adresse"
    assert page.locator("#id_message").input_value() == "Un message gardé"
    assert page.locator("input[name='amount_choice'][value='25']").is_checked()
    assert page.locator("input[name='display'][value='name']").is_checked()
    assert not page.locator("#id_consent").is_checked()

    page.goto(site_url + campaign_path(lang))
    assert read_totals(page)[0::2] == (raised_before, donors_before), "a refused gift counted"


def test_giving_works_without_javascript(new_page, site_url):
    page = new_page(java_script_enabled=False)
    page.goto(site_url + campaign_path("fr"))
    raised_before, _, donors_before = read_totals(page)
    rise = rise_for(page, 25)

    form = open_form_from_block(page, site_url, "fr")
    fill_form(
        form,
        name="Sans JS E2E",
        email="sans-js@example.org",
        display="hide_amount",
        message="Donné sans JavaScript",
    )
    pay_on_demo_checkout(page, site_url, "fr")
    back_to_campaign(page, site_url, "fr")

    raised_after, _, donors_after = read_totals(page)
    assert (raised_after, donors_after) == (raised_before + rise, donors_before + 1)
    gift = newest_gift(page)
    assert gift.locator("strong").inner_text().strip() == "Sans JS E2E"
    assert gift.locator(".amount").count() == 0, "the donor chose to hide the amount"
    assert gift.locator("p").inner_text().strip() == "Donné sans JavaScript"


def open_demo_checkout(page, site_url, lang):
    """A pending gift's demo checkout page (left unpaid: it never counts)."""
    page.goto(site_url + campaign_path(lang))
    form = open_form_from_block(page, site_url, lang)
    fill_form(
        form, name="Axe", email="axe@example.org", display="anonymous", message="", consent=True
    )
    page.locator("form.donation-form button[type='submit']").click()
    page.wait_for_url(re.compile(rf"{re.escape(site_url)}/{lang}/donate/checkout/{UUID}/$"))


AXE_PAGES = [
    ("campaigns", "fr"),
    ("campaigns", "ar"),
    ("campaign", "fr"),
    ("campaign", "ar"),
    ("donate", "ar"),
    ("checkout", "ar"),
]


def goto_giving_page(page, site_url, name, lang):
    if name == "campaigns":
        page.goto(f"{site_url}/{lang}/campagnes/")
    elif name == "campaign":
        page.goto(site_url + campaign_path(lang))
    elif name == "donate":
        page.goto(site_url + campaign_path(lang))
        open_form_from_block(page, site_url, lang)
    else:
        open_demo_checkout(page, site_url, lang)
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize(("name", "lang"), AXE_PAGES, ids=[f"{n}-{lang}" for n, lang in AXE_PAGES])
def test_giving_pages_have_no_serious_axe_violations(page, site_url, artifacts_dir, name, lang):
    goto_giving_page(page, site_url, name, lang)
    page.screenshot(path=artifacts_dir / f"{name}-{lang}.png", full_page=True)
    assert_no_serious_axe_violations(page)
    # The page content keeps the header's gutters (a narrower content column is fine).
    edges = page.evaluate(
        """() => ['.site-header__inner', 'main .container']
            .map(selector => document.querySelector(selector))
            .map(el => {
                const box = el.getBoundingClientRect(), style = getComputedStyle(el);
                return [Math.round(box.left + parseFloat(style.paddingLeft)),
                        Math.round(box.right - parseFloat(style.paddingRight))];
            })"""
    )
    header, content = edges
    start = 1 if lang == "ar" else 0
    assert content[start] == header[start], f"content starts at {content}, header at {header}"


@pytest.mark.parametrize(("name", "lang"), AXE_PAGES, ids=[f"{n}-{lang}" for n, lang in AXE_PAGES])
def test_giving_pages_fit_a_phone(new_page, site_url, artifacts_dir, name, lang):
    page = new_page(viewport=PHONE)
    goto_giving_page(page, site_url, name, lang)
    page.screenshot(path=artifacts_dir / f"{name}-{lang}-phone.png", full_page=True)
    sizes = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   client: document.documentElement.clientWidth,
                   body: document.body.scrollWidth})"""
    )
    assert sizes["client"] == PHONE["width"], sizes
    assert sizes["scroll"] <= sizes["client"], f"{page.url} scrolls sideways on a phone: {sizes}"
    assert sizes["body"] <= sizes["client"], f"{page.url} body overflows on a phone: {sizes}"
    if name == "donate":
        # The consent label starts on its checkbox's line, not below it.
        checkbox = page.locator("#id_consent").bounding_box()
        label = page.locator("label[for='id_consent']").bounding_box()
        assert label["y"] < checkbox["y"] + checkbox["height"], (checkbox, label)


def card_slugs(page):
    hrefs = page.locator(".card-list .card__title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}


def test_campaign_filters_work_without_javascript(new_page, site_url):
    page = new_page(java_script_enabled=False)
    page.goto(site_url + "/fr/campagnes/")
    every = card_slugs(page)
    assert {LIVE, UPCOMING, SUCCEEDED, FAILED} <= every, every

    page.select_option("select#filter-status", "live")
    page.locator("form.filters button[type='submit']").click()
    page.wait_for_url(re.compile(r"/fr/campagnes/\?.*status=live"))
    live = card_slugs(page)
    assert LIVE in live and not {UPCOMING, SUCCEEDED, FAILED} & live, live
    statuses = page.locator(".card-list .status").evaluate_all(
        "badges => badges.map(b => b.className)"
    )
    assert statuses and all("status--live" in s for s in statuses), statuses
    assert page.locator("select#filter-status").input_value() == "live", "filter not kept"

    page.select_option("select#filter-status", "")
    page.select_option("select#filter-district", "montreuil")
    page.locator("form.filters button[type='submit']").click()
    page.wait_for_url(re.compile(r"/fr/campagnes/\?.*district=montreuil"))
    assert card_slugs(page) == {SUCCEEDED}
    assert page.locator("select#filter-district").input_value() == "montreuil"
