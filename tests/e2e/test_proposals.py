"""Proposing a project, in a real browser, in French and in Arabic.

A demo leader (`awa` reads French, `nour` Arabic) proposes a project from the space; the demo
admin accepts it in the Wagtail admin (a draft campaign page is created for the leader); the
leader writes the campaign page (text, budget lines added without JavaScript, "5,50"-style
amounts) and submits it; the admin approves it (publishes); the campaign page answers 200 to
the public. On the way, each new page is checked with axe and screenshotted at 360 and
1280 px (test-artifacts/proposal-*.png).
"""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stories.demo import DEMO_ARABIC_LEADER, DEMO_LEADER
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.conftest import DESKTOP, _server_environment

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
LEADERS = {"fr": DEMO_LEADER, "ar": DEMO_ARABIC_LEADER}
# The demo admin's password, as the e2e server's environment gives it to `load_demo`
ADMIN_PASSWORD = _server_environment(Path())["DEMO_ADMIN_PASSWORD"]


def leader_logs_in(page, site_url, lang):
    leader = LEADERS[lang]
    page.goto(f"{site_url}/{lang}/space/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(leader["username"])
    form.locator("input[name=password]").fill(leader["password"])
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/space/$"))


def admin_logs_in(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def approve_from_dashboard(page, site_url, title):
    """Click "Approve" in a dashboard row of the page ``title`` awaiting review (the admin
    sees it in two panels, "Awaiting your review" first)."""
    page.goto(f"{site_url}/admin/")
    approve = page.locator("[data-workflow-action-url]", has_text=re.compile(r"^\s*Approve\s*$"))
    rows = page.locator("tr", has=page.locator("td.title a", has_text=title)).filter(has=approve)
    assert rows.count() >= 1, f"{title!r} is not awaiting review on the dashboard"
    row = rows.first
    row.locator("button[aria-label=Actions]").click()
    row.locator("[data-workflow-action-url]", has_text=re.compile(r"^\s*Approve\s*$")).click()


def shoot(page, artifacts_dir, name, lang):
    """Full-page screenshots at 360 and 1280 px of what ``page`` shows."""
    for label, viewport in (("360", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} scrolls sideways at {label} px ({width})"
        page.screenshot(path=artifacts_dir / f"proposal-{name}-{lang}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_leader_proposes_staff_accept_the_leader_writes_staff_publish(
    new_page, site_url, artifacts_dir, lang
):
    title = f"{'Atelier couture' if lang == 'fr' else 'ورشة خياطة'} {uuid.uuid4().hex[:6]}"
    leader = new_page()
    staff = new_page()

    # 1. The leader proposes a project from the space.
    leader_logs_in(leader, site_url, lang)
    assert leader.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    leader.locator(f"a[href='/{lang}/space/proposals/new/']").click()
    form = leader.locator("form.proposal-form")
    form.locator("button[type=submit]").click()  # empty: errors next to the fields
    expect(leader.locator("[role=alert]")).to_have_count(1)
    assert leader.locator("#id_budget_error").count() == 1
    assert_no_serious_axe_violations(leader)
    form = leader.locator("form.proposal-form")
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=district]").select_option(index=1)
    form.locator("textarea[name=purpose]").fill(
        "Apprendre à coudre entre voisines." if lang == "fr" else "نتعلم الخياطة معا."
    )
    form.locator("input[name=budget]").fill("1 200,50")
    form.locator(f"input[name=languages][value={lang}]").check()
    form.locator("input[name=other_languages]").fill("Wolof")
    shoot(leader, artifacts_dir, "space-form", lang)
    form.locator("button[type=submit]").click()
    leader.wait_for_url(re.compile(r"/propose-a-project/thanks/"))
    assert_no_serious_axe_violations(leader)
    leader.goto(f"{site_url}/{lang}/space/")
    assert title in leader.locator(".space__proposals").inner_text()

    # 2. Staff accept it in the admin: a draft campaign page for the leader.
    admin_logs_in(staff, site_url)
    staff.goto(f"{site_url}/admin/proposals/?q={title.split()[-1]}")
    staff.locator("td a", has_text=title).first.click()
    staff.locator("select[name=status]").select_option("accepted")
    with staff.expect_navigation():
        staff.locator("button.action-save, button[type=submit]:has-text('Save')").first.click()
    assert "accepted" in staff.locator(".messages").inner_text().lower()

    # 3. The leader writes the campaign page: lines added without JavaScript, then submits.
    leader.goto(f"{site_url}/{lang}/space/")
    draft = leader.locator(".space__campaign-draft", has=leader.locator("h4", has_text=title))
    assert draft.count() == 1
    shoot(leader, artifacts_dir, "space-section", lang)
    assert_no_serious_axe_violations(leader)
    draft.locator("a[href$='/edit/']").click()
    form = leader.locator("form.campaign-form")
    form.locator("input[name=summary]").fill(
        "Un atelier de couture ouvert à toutes." if lang == "fr" else "ورشة خياطة مفتوحة للجميع."
    )
    form.locator("input[name=label_0]").fill("Machines" if lang == "fr" else "آلات خياطة")
    form.locator("input[name=amount_0]").fill("1 200")
    form.locator("button[name=add_line]").click()
    form = leader.locator("form.campaign-form")
    # the button posts the form and the page comes back with one more line: wait for it
    expect(form.locator("input[name=label_1]")).to_have_count(1)
    assert form.locator("input[name=label_0]").input_value() in ("Machines", "آلات خياطة")
    form.locator("input[name=label_1]").fill("Café" if lang == "fr" else "قهوة")
    form.locator("input[name=amount_1]").fill("5,50")
    form.locator("button[name=save]").click()
    leader.wait_for_url(re.compile(r"\?saved=1$"))
    goal = leader.locator(".budget-lines__goal").inner_text()
    assert re.search(r"1[\s\u202f\u00a0.,]?205[.,]50|١", goal), goal
    assert_no_serious_axe_violations(leader)
    shoot(leader, artifacts_dir, "campaign-form", lang)
    leader.locator("form.campaign-form button[name=submit]").click()
    leader.wait_for_url(re.compile(r"/submitted/$"))
    assert_no_serious_axe_violations(leader)
    leader.goto(f"{site_url}/{lang}/space/")
    draft = leader.locator(".space__campaign-draft", has=leader.locator("h4", has_text=title))
    assert draft.locator(".status--in_review").count() == 1

    # 4. Staff approve it (publish) from the dashboard.
    with staff.expect_navigation():
        approve_from_dashboard(staff, site_url, title)

    # 5. Public, in the leader's language.
    leader.reload()
    draft = leader.locator(".space__campaign-draft", has=leader.locator("h4", has_text=title))
    assert draft.locator(".status--published").count() == 1
    public_url = draft.locator("a:not([href*='/space/'])").get_attribute("href")
    visitor = new_page()
    response = visitor.goto(site_url + public_url)
    assert response.status == 200
    assert title in visitor.locator("h1").inner_text()
    other = "ar" if lang == "fr" else "fr"
    response = visitor.goto(site_url + public_url.replace(f"/{lang}/", f"/{other}/", 1))
    assert response.status == 200


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_public_form_by_phone_is_accessible(new_page, site_url, artifacts_dir, lang):
    page = new_page()
    response = page.goto(f"{site_url}/{lang}/propose-a-project/")
    assert response.status == 200 and page.get_attribute("html", "lang") == lang
    assert_no_serious_axe_violations(page)
    shoot(page, artifacts_dir, "public-form", lang)
    form = page.locator("form.proposal-form")
    form.locator("input[name=name]").fill("Moussa K." if lang == "fr" else "موسى")
    form.locator("input[name=phone]").fill("not a phone")
    form.locator("input[name=title]").fill("Atelier vélo")
    form.locator("button[type=submit]").click()
    expect(page.locator("#id_phone_error")).to_have_count(1)
    assert page.locator("input[name=title]").input_value() == "Atelier vélo"
    assert_no_serious_axe_violations(page)
    shoot(page, artifacts_dir, "public-form-errors", lang)
    form = page.locator("form.proposal-form")
    form.locator("input[name=phone]").fill("06 12 34 56 78")
    form.locator("select[name=district]").select_option("other")
    form.locator("textarea[name=purpose]").fill("Réparer les vélos du quartier.")
    form.locator("input[name=budget]").fill("800")
    form.locator("input[name=other_languages]").fill("Soninké")
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/propose-a-project/thanks/\?contact=phone$"))
    assert_no_serious_axe_violations(page)
