"""A leader lists a need from the space, on a phone, without JavaScript, in French and in
Arabic; residents see it on the campaign page; the leader closes it again.

The demo's leaders: Awa writes in French, Nour in Arabic. Each run adds a need with its own
title and closes it at the end (a closed need nobody answered leaves the campaign page).
"""

import re
import uuid

import pytest

from stories.demo import DEMO_ARABIC_LEADER, DEMO_LEADER
from tests.e2e.screens import shoot_and_check
from tests.e2e.test_leader_story import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
CASES = {
    "fr": {"account": DEMO_LEADER, "title": "Repeindre le portail", "place": "Devant l'école"},
    "ar": {"account": DEMO_ARABIC_LEADER, "title": "طلاء البوابة", "place": "أمام المدرسة"},
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_leader_lists_a_need_from_a_phone_and_residents_see_it(
    new_page, site_url, artifacts_dir, lang
):
    case = CASES[lang]
    title = f"{case['title']} {uuid.uuid4().hex[:4]}"
    leader = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(leader, site_url, lang, case["account"])

    leader.locator("main a[href*='/space/campaigns/'][href$='/help/']").first.click()
    leader.wait_for_url(re.compile(rf"/{lang}/space/campaigns/\d+/help/$"))
    assert leader.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    needs_url = leader.url
    with leader.expect_navigation():
        leader.locator("main a[href$='/help/new/']").click()
    # what was typed stays when something is wrong
    form = leader.locator("main form.help-need-form")
    form.locator("input[name=kind][value=task]").check()
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=wanted]").fill("6")
    form.locator("input[name=place]").fill(case["place"])
    form.locator("input[name=hours]").fill("douze")
    with leader.expect_navigation():
        form.locator("button[type=submit]").click()
    assert leader.locator("[role=alert]").is_visible()
    assert form.locator("input[name=title]").input_value() == title
    form.locator("input[name=hours]").fill("2,5")
    with leader.expect_navigation():
        form.locator("button[type=submit]").click()
    assert leader.url == needs_url
    card = leader.locator("main li.need", has_text=title)
    assert card.count() == 1
    # the pictures and axe in a page with JavaScript (axe is a script)
    phone = new_page(viewport=PHONE)
    log_in(phone, site_url, lang, case["account"])
    phone.goto(needs_url)
    shoot_and_check(phone, str(artifacts_dir / f"help-space-needs-{lang}-360.png"))
    phone.goto(needs_url + "new/")
    shoot_and_check(phone, str(artifacts_dir / f"help-space-need-form-{lang}-360.png"))

    # the campaign page shows it, in the language it was written in, with a way to offer
    with leader.expect_navigation():
        leader.locator("main a[href$='#help']").first.click()
    public = leader.locator("#help .need", has_text=title)
    assert public.count() == 1
    written = public.locator(".need__title")
    if lang == "ar":
        assert written.get_attribute("lang") in (None, "ar")
    assert public.locator(".need__action a").count() == 1

    # closed again: it takes no offer and leaves the page (nobody answered it)
    leader.goto(needs_url)
    with leader.expect_navigation():
        leader.locator("main li.need", has_text=title).locator("form button").click()
    assert "need--closed" in (
        leader.locator("main li.need", has_text=title).get_attribute("class") or ""
    )
    desktop = new_page()
    log_in(desktop, site_url, lang, case["account"])
    desktop.goto(needs_url)
    shoot_and_check(desktop, str(artifacts_dir / f"help-space-needs-{lang}-1280.png"))
