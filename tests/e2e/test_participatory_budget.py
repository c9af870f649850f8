"""A campaign that is also a Paris Participatory Budget project, in a browser at 360 and
1280 px, in French and Arabic: the note under the title (edition, stage, the city's page) and
the listing filtered by edition and stage. Axe-clean, no sideways scrolling; screenshots
under test-artifacts/ (pb-<name>-<lang>-<width>.png)."""

import pytest

from tests.e2e.screens import shoot_and_check

pytestmark = pytest.mark.e2e

WIDTHS = [360, 1280]
STAGE = {"fr": "En cours de réalisation", "ar": "قيد الإنجاز"}
EDITION = {"fr": "Budget participatif de Paris 2024", "ar": "الميزانية التشاركية لباريس 2024"}


def check_and_shoot(page, artifacts_dir, name, lang, width):
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    shoot_and_check(page, artifacts_dir / f"pb-{name}-{lang}-{width}.png")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_project_says_so_and_the_listing_filters_by_edition_and_stage(
    new_page, site_url, artifacts_dir, lang, width
):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(f"{site_url}/{lang}/campagnes/jardin-des-couronnes/")
    note = page.locator(".campaign__header .pb-note")
    assert note.is_visible()
    assert EDITION[lang] in note.inner_text()
    assert note.locator(".pb-note__stage").inner_text().strip() == STAGE[lang]
    # under the title, before the money
    title_box = page.locator("h1").bounding_box()
    assert note.bounding_box()["y"] > title_box["y"]
    check_and_shoot(page, artifacts_dir, "campaign", lang, width)

    page.goto(f"{site_url}/{lang}/campagnes/")
    page.select_option("#filter-pb", "2024")
    page.select_option("#filter-pb_stage", "building")
    with page.expect_navigation():
        page.locator(".filters button[type=submit]").click()
    assert "pb=2024" in page.url and "pb_stage=building" in page.url
    cards = page.locator(".card")
    assert cards.count() == 1
    assert "jardin-des-couronnes" in cards.first.locator(".card__title a").get_attribute("href")
    check_and_shoot(page, artifacts_dir, "listing", lang, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_participatory_budget_workshop_names_its_edition(
    new_page, site_url, artifacts_dir, lang, width
):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(f"{site_url}/{lang}/ateliers/budget-participatif/")
    note = page.locator(".page-header .pb-note")
    assert note.is_visible()
    assert EDITION[lang].replace("2024", "2027") in note.inner_text()
    check_and_shoot(page, artifacts_dir, "workshop", lang, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_projects_page_groups_them_by_edition(new_page, site_url, artifacts_dir, lang, width):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(f"{site_url}/{lang}/")
    # linked from the footer of every page
    with page.expect_navigation():
        page.locator("footer a[href$='/budget-participatif/']").first.click()
    headings = page.locator("main section h2")
    assert headings.count() == 2  # 2025, then 2024
    assert "2025" in headings.nth(0).inner_text() and "2024" in headings.nth(1).inner_text()
    assert page.locator("main section .card").count() == 2
    check_and_shoot(page, artifacts_dir, "projects", lang, width)
