"""The giving form without traps and the thank-you page (issue 13), in Chromium on a 360 px
phone, in French and Arabic: an amount typed "5,50" reaches the checkout as 5,50 €; a gift
without a name goes through anonymously; errors are summarised, focused and linked; the
thank-you page shows the new total. Screenshots: test-artifacts/giving-form-*.png."""

import re

import pytest

from helpers.money import format_money
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.test_giving import (
    MONEY,
    PHONE,
    UUID,
    campaign_path,
    digits,
    newest_gift,
    read_totals,
)

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
LANGS = ["fr", "ar"]
# "5,50" as typed on each keyboard: Latin digits in French, Arabic-Indic ones in Arabic
FIVE_FIFTY = {"fr": "5,50", "ar": "٥٫٥٠"}


def matched_euros(page):
    """What sponsors matched, from the progress' "(of which … matched)" (0 when none): the
    demo's live campaign is matched 1 € for 1 €, up to a cap."""
    matched = page.locator(".progress .progress__matched")
    return digits(matched.inner_text()) if matched.count() else 0


def focused_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def open_block_choice(page, site_url, lang, value):
    """On the live campaign's page, press the donation block's button ``value``."""
    page.goto(site_url + campaign_path(lang))
    page.locator(f"section.donation-block button[name='amount'][value='{value}']").click()
    page.wait_for_url(re.compile(rf"{re.escape(site_url)}/{lang}/donate/{UUID}/\?amount="))
    return page.locator("form.donation-form")


def submit(page):
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.locator("form.donation-form button[type='submit']").click()
    return posted.value


@pytest.mark.parametrize("lang", LANGS)
def test_an_amount_typed_five_fifty_reaches_the_checkout_as_five_fifty(
    new_page, site_url, artifacts_dir, lang
):
    page = new_page(viewport=PHONE)
    form = open_block_choice(page, site_url, lang, "")  # "Another amount"
    # "Another amount" in the block: the form opens with it chosen and its field ready
    assert form.locator("input[name='amount_choice'][value='custom']").is_checked()
    assert focused_id(page) == "id_custom_amount"
    field = form.locator("#id_custom_amount")
    assert field.get_attribute("type") == "text" and field.get_attribute("inputmode") == "decimal"
    field.fill(FIVE_FIFTY[lang])
    form.locator("#id_consent").check()
    page.screenshot(path=artifacts_dir / f"giving-form-{lang}-360.png", full_page=True)
    submit(page)
    page.wait_for_url(re.compile(rf"{re.escape(site_url)}/{lang}/donate/checkout/{UUID}/$"))
    expected = format_money(550, lang)
    assert expected in page.locator("main").inner_text(), page.locator("main").inner_text()
    assert page.locator("button[name='action'][value='pay']").inner_text().count(expected) == 1
    # leave it unpaid: the campaign's totals stay in whole euros for the other browser tests
    page.locator("button[name='action'][value='cancel']").click()
    page.wait_for_url(re.compile(rf"/{lang}/donate/cancelled/{UUID}/$"))


@pytest.mark.parametrize("lang", LANGS)
def test_a_gift_without_a_name_goes_through_and_the_thanks_show_the_new_total(
    new_page, site_url, artifacts_dir, lang
):
    page = new_page(viewport=PHONE)
    page.goto(site_url + campaign_path(lang))
    raised_before, _, donors_before = read_totals(page)
    matched_before = matched_euros(page)
    form = open_block_choice(page, site_url, lang, "25")
    assert form.locator("input[name='amount_choice'][value='25']").is_checked()
    anonymous = form.locator("input[name='display'][value='anonymous']")
    assert anonymous.is_checked(), "anonymous is not the default"
    anonymous_label = form.locator("label:has(input[value='anonymous'])").inner_text().strip()
    form.locator("#id_consent").check()  # no name, no email: nothing else is needed
    submit(page)
    page.wait_for_url(re.compile(rf"/{lang}/donate/checkout/{UUID}/$"))
    page.locator("button[name='action'][value='pay']").click()
    page.wait_for_url(re.compile(rf"/{lang}/donate/thanks/{UUID}/$"))

    raised_after, raised_text, donors_after = read_totals(page)
    matched = matched_euros(page) - matched_before
    assert matched in (0, 25), matched  # the sponsor's match, if the fund still covers it
    assert (raised_after, donors_after) == (raised_before + 25 + matched, donors_before + 1)
    assert raised_text == MONEY[lang](raised_after)
    share = page.locator("section.giving-share")
    hrefs = share.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert [href.split("?")[0] for href in hrefs] == ["https://wa.me/", "sms:", "mailto:"]
    address = share.locator("#giving-share-url").input_value()
    assert address.endswith(campaign_path(lang)), address
    assert share.locator("button[data-copy]").is_visible(), "the copy button is not shown"
    page.screenshot(path=artifacts_dir / f"giving-form-thanks-{lang}-360.png", full_page=True)
    assert_no_serious_axe_violations(page)
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert sizes[0] <= sizes[1], f"the thank-you page scrolls sideways: {sizes}"

    page.goto(site_url + campaign_path(lang))
    gift = newest_gift(page)
    assert gift.locator("strong").inner_text().strip() == anonymous_label


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
@pytest.mark.parametrize("lang", LANGS)
def test_errors_are_summarised_focused_and_linked_to_their_fields(
    new_page, site_url, artifacts_dir, lang, viewport
):
    page = new_page(viewport=viewport)
    form = open_block_choice(page, site_url, lang, "25")
    form.locator("input[name='display'][value='name']").check()  # …but no name given
    assert submit(page).status == 400
    summary = page.locator("#giving-errors")
    assert summary.is_visible()
    assert focused_id(page) == "giving-errors", "the error summary does not take focus"
    links = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links == ["#id_donor_name", "#id_consent"], links
    for field_id in ("id_donor_name", "id_consent"):
        field = page.locator(f"#{field_id}")
        assert field.get_attribute("aria-invalid") == "true", field_id
        assert f"{field_id}_error" in field.get_attribute("aria-describedby").split()
        assert page.locator(f"#{field_id}_error").is_visible()
    summary.locator("a[href='#id_donor_name']").click()
    assert focused_id(page) == "id_donor_name", "the summary's link does not lead to the field"
    width = viewport["width"]
    page.screenshot(path=artifacts_dir / f"giving-form-errors-{lang}-{width}.png", full_page=True)
    assert_no_serious_axe_violations(page)
    if width == PHONE["width"]:
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert sizes[0] <= sizes[1], f"the form scrolls sideways: {sizes}"
    else:
        page.goto(page.url.split("?")[0] + "?amount=other")
        page.screenshot(path=artifacts_dir / f"giving-form-{lang}-1280.png", full_page=True)
        assert_no_serious_axe_violations(page)
