"""Workshops in a real browser: listing → workshop → registration form → confirmation.

The tests share the e2e server's demo database: registrations go to workshops with plenty of
seats, and every count is read before and after. Interface strings may still be untranslated,
so the assertions are about structure, URLs, lang/dir, numbers and names rather than wording.
"""

import re

import pytest

from tests.e2e.axe import assert_no_serious_axe_violations
from workshops import demo

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
LISTING = "/{lang}/ateliers/"
# The browser keeps the form action's "#register" through the redirect (no fragment in it).
CONFIRMATION = r"/{lang}/workshops/registration/[^/]+/(#register)?$"


def workshop_path(lang, slug):
    return f"/{lang}/ateliers/{slug}/"


def title_of(slug, lang):
    spec = next(spec for spec in demo.WORKSHOPS if spec["slug"] == slug)
    return getattr(spec["title"], lang)


def assert_language(page, lang):
    assert page.get_attribute("html", "lang") == lang
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")


def seats_left(page):
    """The seats left, as the workshop page's registration box shows them."""
    text = page.locator("#register .seats--open").inner_text()
    digits = re.sub(r"\D", "", text)
    assert digits, f"no seat count in {text!r}"
    return int(digits)


def open_from_listing(page, site_url, lang, slug):
    page.goto(site_url + LISTING.format(lang=lang))
    assert_language(page, lang)
    link = page.locator(f".card-list .card__title a[href='{workshop_path(lang, slug)}']")
    assert link.inner_text().strip() == title_of(slug, lang)
    link.click()
    page.wait_for_url(site_url + workshop_path(lang, slug))
    assert_language(page, lang)


def open_form(page):
    """The registration form: the workshop page links to its copy with the form (the page
    itself carries no CSRF token, so that it may be cached)."""
    form = page.locator("form.registration-form")
    if form.count() == 0:
        page.locator("#register a[href$='/register/#register']").click()
        page.wait_for_url(re.compile(r"/workshops/\d+/register/#register$"))
    return form


def fill_form(page, *, name, email="", phone="", seats, language, needs=""):
    form = open_form(page)
    form.locator("#id_name").fill(name)
    form.locator("#id_email").fill(email)
    form.locator("#id_phone").fill(phone)
    form.locator("#id_seats").select_option(str(seats))
    form.locator("#id_language").select_option(language)
    form.locator("#id_accessibility_needs").fill(needs)
    return form


def register(page, site_url, lang, slug, *, name, language):
    """Register 2 seats from the open workshop page; check the confirmation page. Returns
    the seats left before."""
    before = seats_left(page)
    email = f"e2e-{lang}@example.org"
    form = fill_form(page, name=name, email=email, seats=2, language=language)
    form.locator("button[type='submit']").click()
    page.wait_for_url(re.compile(re.escape(site_url) + CONFIRMATION.format(lang=lang)))
    assert_language(page, lang)
    h1 = page.locator("main h1")
    assert h1.count() == 1 and h1.inner_text().strip(), "the confirmation page has no h1"
    text = page.locator("main").inner_text()
    assert title_of(slug, lang) in text and email in text
    return before


def back_to_the_workshop(page, site_url, lang, slug):
    """From the confirmation page, back to the workshop: returns the seats left now."""
    page.locator(f"main a[href='{workshop_path(lang, slug)}']").click()
    page.wait_for_url(site_url + workshop_path(lang, slug))
    return seats_left(page)


REGISTRANTS = [("fr", "نادية E2E", "ar"), ("ar", "Nadia E2E", "fr")]


@pytest.mark.parametrize(("lang", "name", "language"), REGISTRANTS, ids=["fr", "ar"])
def test_register_for_a_workshop_from_the_listing(
    page, site_url, artifacts_dir, lang, name, language
):
    open_from_listing(page, site_url, lang, demo.OPEN)
    before = register(page, site_url, lang, demo.OPEN, name=name, language=language)
    page.screenshot(path=artifacts_dir / f"workshop-registration-{lang}.png", full_page=True)
    assert_no_serious_axe_violations(page)
    assert back_to_the_workshop(page, site_url, lang, demo.OPEN) == before - 2


def test_registering_works_without_javascript(new_page, site_url):
    page = new_page(java_script_enabled=False)
    slug = demo.PARTICIPATORY_BUDGET
    open_from_listing(page, site_url, "fr", slug)
    before = register(page, site_url, "fr", slug, name="Sans JS E2E", language="zh-hans")
    assert back_to_the_workshop(page, site_url, "fr", slug) == before - 2


def test_invalid_registration_comes_back_with_the_error_and_keeps_what_was_typed(page, site_url):
    page.goto(site_url + workshop_path("ar", demo.OPEN))
    before = seats_left(page)
    form = fill_form(page, name="نادية خطأ", seats=3, language="ar", needs="كرسي متحرك (e2e)")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        form.locator("button[type='submit']").click()
    assert posted.value.status == 400
    assert re.search(r"/ar/workshops/\d+/register/", page.url), page.url
    assert_language(page, "ar")

    alert = page.locator("#registration-errors[role='alert']")
    assert alert.is_visible()
    assert alert.locator("p").count() == 2, "the notice does not say what is missing"
    assert page.locator("#id_name").input_value() == "نادية خطأ"
    assert page.locator("#id_seats").input_value() == "3"
    assert page.locator("#id_language").input_value() == "ar"
    assert page.locator("#id_accessibility_needs").input_value() == "كرسي متحرك (e2e)"
    assert page.locator("#id_email").input_value() == ""

    page.goto(site_url + workshop_path("ar", demo.OPEN))
    assert seats_left(page) == before, "a refused registration took seats"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_workshop_pages_have_no_serious_axe_violations(page, site_url, artifacts_dir, lang):
    pages = [
        ("workshops", LISTING.format(lang=lang)),
        ("workshops-past", LISTING.format(lang=lang) + "?when=past"),
        ("workshop", workshop_path(lang, demo.NEARLY_FULL)),
        ("workshop-full", workshop_path(lang, demo.FULL)),
    ]
    for name, path in pages:
        response = page.goto(site_url + path)
        assert response.ok, f"{path} answered {response.status}"
        assert_language(page, lang)
        assert page.locator("main h1").count() == 1
        page.screenshot(path=artifacts_dir / f"{name}-{lang}.png", full_page=True)
        assert_no_serious_axe_violations(page)
    # The past tab lists the past workshops, and only them
    page.goto(site_url + LISTING.format(lang=lang) + "?when=past")
    titles = page.locator(".card-list .card__title a").all_inner_texts()
    past = [title_of(s["slug"], lang) for s in demo.WORKSHOPS if s["days"] < 0]
    assert sorted(t.strip() for t in titles) == sorted(past)


def test_arabic_workshop_page_fits_a_phone(new_page, site_url, artifacts_dir):
    page = new_page(viewport=PHONE)
    for path in (workshop_path("ar", demo.NEARLY_FULL), LISTING.format(lang="ar")):
        page.goto(site_url + path)
        assert_language(page, "ar")
        name = "workshop" if path.count("/") > 3 else "workshops"
        page.screenshot(path=artifacts_dir / f"{name}-ar-phone.png", full_page=True)
        sizes = page.evaluate(
            """() => ({scroll: document.documentElement.scrollWidth,
                       client: document.documentElement.clientWidth,
                       body: document.body.scrollWidth})"""
        )
        assert sizes["client"] == PHONE["width"], sizes
        assert sizes["scroll"] <= sizes["client"], f"{path} scrolls sideways on a phone: {sizes}"
        assert sizes["body"] <= sizes["client"], f"{path} body overflows on a phone: {sizes}"
