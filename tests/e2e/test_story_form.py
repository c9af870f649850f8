"""The story form on a phone in Chromium, in French and Arabic, with JavaScript off: photos
added one at a time, kept as thumbnails, removed; the form's height measured at 360 px; the
optional preview when JavaScript is on; the sign-in page's fields alike. axe-core runs inside
the page, so the accessibility checks use pages with JavaScript on (it would wait forever in a
page without it).

Screenshots (360 and 1280 px) go to test-artifacts/story-form-*.png and login-*.png.
"""

import re

import pytest
from PIL import Image, ImageDraw

from stories.demo import DEMO_LEADER
from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# The empty form at 360 px measured 2,812 px (fr) before it showed one photo slot at a time.
MAX_FORM_HEIGHT = 1_600


@pytest.fixture
def photos(tmp_path):
    paths = []
    for name, colour in (("potager.jpg", "seagreen"), ("fresque.png", "darkorange")):
        path = tmp_path / name
        picture = Image.new("RGB", (800, 600), colour)
        ImageDraw.Draw(picture).ellipse((200, 100, 600, 500), fill="gold")
        picture.save(path)
        paths.append(path)
    return paths


def log_in(page, site_url, lang):
    page.goto(f"{site_url}/{lang}/space/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(DEMO_LEADER["username"])
    form.locator("input[name=password]").fill(DEMO_LEADER["password"])
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert re.search(r"/space/$", page.url), page.url


def form_height(page):
    return page.locator("form.story-form").bounding_box()["height"]


def thumbnail_alts(page):
    return page.locator(".story-photo__thumbnail").evaluate_all("imgs => imgs.map(i => i.alt)")


WIDER_THAN_THE_SCREEN = """() => Array.from(document.querySelectorAll("body *"))
    .filter(e => {
        const box = e.getBoundingClientRect();
        return box.right > innerWidth + 1 || box.left < -1;
    })
    .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`).slice(0, 8)"""


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (
        f"the page scrolls sideways ({width} px): {page.evaluate(WIDER_THAN_THE_SCREEN)}"
    )


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_photos_are_added_one_at_a_time_without_javascript_on_a_phone(
    new_page, site_url, photos, artifacts_dir, lang
):
    page = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(page, site_url, lang)
    page.goto(f"{site_url}/{lang}/space/stories/new/")
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    height = form_height(page)
    print(f"\nstory form, empty, 360 px, {lang}: {height:.0f} px")
    assert height < MAX_FORM_HEIGHT, f"the empty form is {height:.0f} px high on a phone"
    assert page.locator("input[type=file]").count() == 1
    page.screenshot(path=artifacts_dir / f"story-form-{lang}-360.png", full_page=True)
    assert_no_sideways_scroll(page)

    # Labels above their fields; the file picker and buttons are big enough to touch.
    title = page.locator("#id_title").bounding_box()
    label = page.locator("label[for=id_title]").bounding_box()
    assert label["y"] + label["height"] <= title["y"]
    for target in ("#id_photo_1", "button[name=add_photo]", "button[name=submit]"):
        assert page.locator(target).bounding_box()["height"] >= 44, target

    form = page.locator("form.story-form")
    form.locator("#id_title").fill(f"Le potager {lang}")
    form.locator("#id_text").fill("Nous avons planté.\n\nLes voisins sont venus.")
    form.locator("#id_photo_1").set_input_files(photos[0])
    form.locator("#id_alt_1").fill("Des salades en rangs")
    with page.expect_navigation():
        form.locator("button[name=add_photo]").click()
    # Everything typed is there, the photo as a thumbnail, no error, a new empty slot.
    assert form.locator("#id_title").input_value() == f"Le potager {lang}"
    assert "Les voisins sont venus." in form.locator("#id_text").input_value()
    assert thumbnail_alts(page) == ["Des salades en rangs"]
    assert page.locator(".field-error").count() == 0
    assert page.locator(".story-photo__thumbnail").evaluate("img => img.naturalWidth") == 192
    assert form.locator("input[type=file]").get_attribute("name") == "photo_2"

    form.locator("#id_photo_2").set_input_files(photos[1])
    form.locator("#id_alt_2").fill("Une fresque orange")
    with page.expect_navigation():
        form.locator("button[name=add_photo]").click()
    assert thumbnail_alts(page) == ["Des salades en rangs", "Une fresque orange"]
    page.screenshot(path=artifacts_dir / f"story-form-{lang}-360-two-photos.png", full_page=True)
    assert_no_sideways_scroll(page)

    with page.expect_navigation():
        form.locator("button[name=remove_1]").click()
    assert thumbnail_alts(page) == ["Une fresque orange"]
    assert form.locator("#id_title").input_value() == f"Le potager {lang}"

    # Saving without the consent: the error is next to the box, the photo still there.
    with page.expect_navigation():
        form.locator(".story-form__actions button[name=save]").click()
    assert page.locator("#id_consent_error .field-error").is_visible()
    assert thumbnail_alts(page) == ["Une fresque orange"]
    form.locator("#id_consent").check()
    with page.expect_navigation():
        form.locator(".story-form__actions button[name=save]").click()
    assert re.search(rf"/{lang}/space/$", page.url), page.url
    assert page.locator("main", has_text=f"Le potager {lang}").count() == 1


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_story_form_is_accessible_empty_with_photos_and_with_errors(
    new_page, site_url, photos, artifacts_dir, lang, viewport
):
    """axe-core runs in the page, so these pages have JavaScript on (the flow is the same)."""
    page = new_page(viewport=viewport)
    log_in(page, site_url, lang)
    page.goto(f"{site_url}/{lang}/space/stories/new/")
    assert_no_serious_axe_violations(page)
    form = page.locator("form.story-form")
    form.locator("#id_photo_1").set_input_files(photos[0])
    form.locator("#id_alt_1").fill("Des salades en rangs")
    with page.expect_navigation():
        form.locator("button[name=add_photo]").click()
    assert thumbnail_alts(page) == ["Des salades en rangs"]
    assert_no_serious_axe_violations(page)
    with page.expect_navigation():
        form.locator("button[name=submit]").click()  # no title, no text, no consent
    assert page.locator("main [role=alert]").is_visible()
    for field_id in ("id_title", "id_text", "id_consent"):
        field = page.locator(f"#{field_id}")
        assert field.get_attribute("aria-invalid") == "true", field_id
        assert f"{field_id}_error" in field.get_attribute("aria-describedby").split()
    assert thumbnail_alts(page) == ["Des salades en rangs"]
    page.screenshot(
        path=artifacts_dir / f"story-form-errors-{lang}-{viewport['width']}.png", full_page=True
    )
    assert_no_serious_axe_violations(page)


def test_with_javascript_the_chosen_photo_is_previewed(new_page, site_url, photos, artifacts_dir):
    page = new_page(viewport=PHONE)
    log_in(page, site_url, "fr")
    page.goto(f"{site_url}/fr/space/stories/new/")
    preview = page.locator(".story-photo__preview")
    assert preview.is_hidden()
    page.locator("#id_photo_1").set_input_files(photos[0])
    preview.wait_for(state="visible")
    # The picture is drawn: its centre is the gold disc of the test photo.
    centre = preview.evaluate(
        "canvas => Array.from(canvas.getContext('2d').getImageData(96, 96, 1, 1).data)"
    )
    assert centre[0] > 200 and centre[1] > 180 and centre[2] < 80, centre
    page.screenshot(path=artifacts_dir / "story-form-fr-360-preview.png", full_page=True)


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_sign_in_fields_look_alike_and_pages_are_accessible(
    new_page, site_url, artifacts_dir, lang, viewport
):
    page = new_page(viewport=viewport)
    page.goto(f"{site_url}/{lang}/space/login/")
    username = page.locator("input[name=username]").bounding_box()
    password = page.locator("input[name=password]").bounding_box()
    assert password["height"] == username["height"] >= 44
    assert password["width"] == username["width"]
    page.screenshot(path=artifacts_dir / f"login-{lang}-{viewport['width']}.png", full_page=True)
    assert_no_serious_axe_violations(page)
    # A wrong password: said in the alert at the top, the username kept.
    page.fill("input[name=username]", DEMO_LEADER["username"])
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.locator("main [role=alert]").is_visible()
    assert page.locator("input[name=username]").input_value() == DEMO_LEADER["username"]
    assert_no_serious_axe_violations(page)
    page.goto(f"{site_url}/{lang}/space/password/reset/")
    assert page.locator("input[name=email]").bounding_box()["height"] >= 44
    assert_no_serious_axe_violations(page)
