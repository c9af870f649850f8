"""Stories in a real browser: a leader writes in Arabic, a reviewer works in the Wagtail admin.

The whole review loop of issue 4, as the two people do it: the demo leader logs in to their
space in Arabic, writes a story with two photos and submits it; the demo reviewer asks for
changes from the Wagtail dashboard with a comment; the leader reads the comment, edits and
resubmits; the reviewer approves; the story is then public in Arabic, on its campaign page and
in the Arabic feed.
"""

import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from stories.demo import DEMO_LEADER, DEMO_REVIEWER
from tests.e2e.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def photos(tmp_path):
    paths = []
    for name, colour in (("jardin.jpg", "green"), ("recolte.png", "orange")):
        path = tmp_path / name
        Image.new("RGB", (320, 240), colour).save(path)
        paths.append(path)
    return paths


def leader_logs_in(page, site_url):
    page.goto(f"{site_url}/ar/space/login/")
    assert page.get_attribute("html", "dir") == "rtl"
    form = page.locator("main form")
    form.locator("input[name=username]").fill(DEMO_LEADER["username"])
    form.locator("input[name=password]").fill(DEMO_LEADER["password"])
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/space/$"))


def reviewer_logs_in(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    page.fill("input[name=username]", DEMO_REVIEWER["username"])
    page.fill("input[name=password]", DEMO_REVIEWER["password"])
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def dashboard_action(page, site_url, title, action):
    """Open the reviewer's dashboard and click ``action`` in the row of the story ``title``."""
    page.goto(f"{site_url}/admin/")
    row = page.locator("tr", has=page.locator("td.title a", has_text=title))
    assert row.count() == 1, f"{title!r} is not awaiting review on the dashboard"
    row.locator("button[aria-label=Actions]").click()
    row.locator("[data-workflow-action-url]", has_text=re.compile(rf"^\s*{action}\s*$")).click()


def story_item(page, title):
    return page.locator(".space__stories > li", has=page.locator("h3", has_text=title))


def test_leader_and_reviewer_take_a_story_from_draft_to_public_in_arabic(
    new_page, site_url, photos, artifacts_dir
):
    title = f"حديقتنا تزهر {uuid.uuid4().hex[:6]}"
    leader = new_page()
    reviewer = new_page()

    # 1. The leader writes the story, with two photos, and submits it.
    leader_logs_in(leader, site_url)
    assert_no_serious_axe_violations(leader)
    leader.locator("a[href='/ar/space/stories/new/']").click()
    form = leader.locator("form.story-form")
    assert form.locator("select[name=language]").input_value() == "ar"  # the leader's language
    campaign_name = form.locator("select[name=campaign] option").first.inner_text().strip()
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=text]").fill("فتحت الحديقة أبوابها.\n\nجاء الجيران.")
    form.locator("input[name=photo_1]").set_input_files(photos[0])
    form.locator("input[name=alt_1]").fill("أطفال يسقون النباتات")
    form.locator("button[name=add_photo]").click()  # photos go one at a time
    form.locator("input[name=photo_2]").set_input_files(photos[1])
    form.locator("input[name=alt_2]").fill("سلة من الطماطم")
    form.locator("input[name=consent]").check()
    assert_no_serious_axe_violations(leader)
    form.locator("button[name=submit]").click()
    leader.wait_for_url(re.compile(r"/ar/space/$"))
    assert story_item(leader, title).locator(".status--in_review").count() == 1

    # 2. The reviewer asks for changes, with a comment, from the Wagtail dashboard.
    reviewer_logs_in(reviewer, site_url)
    dashboard_action(reviewer, site_url, title, "Request changes")
    comment = "أضيفوا عدد الزوار من فضلكم"
    modal = reviewer.locator(".modal form")
    modal.locator("textarea[name=comment]").fill(comment)
    with reviewer.expect_navigation():
        modal.locator("button[type=submit]").click()
    reviewer.goto(f"{site_url}/admin/")
    assert reviewer.locator("td.title a", has_text=title).count() == 0

    # 3. The leader sees the comment, edits the story (photos kept) and resubmits.
    leader.reload()
    item = story_item(leader, title)
    assert item.locator(".status--changes_requested").count() == 1
    assert comment in item.inner_text()
    item.locator("a[href$='/edit/']").click()
    form = leader.locator("form.story-form")
    assert form.locator(".story-photo__thumbnail").count() == 2, "the two photos were not kept"
    form.locator("textarea[name=text]").fill("فتحت الحديقة أبوابها.\n\nجاء مئة وعشرون زائرا.")
    form.locator("button[name=submit]").click()
    leader.wait_for_url(re.compile(r"/ar/space/$"))
    assert story_item(leader, title).locator(".status--in_review").count() == 1

    # 4. The reviewer approves: approval publishes.
    with reviewer.expect_navigation():
        dashboard_action(reviewer, site_url, title, "Approve")
    reviewer.goto(f"{site_url}/admin/")
    assert reviewer.locator("td.title a", has_text=title).count() == 0

    # 5. Public in Arabic, with both photos described, on the campaign page and in the feed.
    leader.reload()
    item = story_item(leader, title)
    assert item.locator(".status--published").count() == 1
    public_url = item.locator("a:not([href*='/space/'])").get_attribute("href")
    visitor = new_page()
    response = visitor.goto(site_url + public_url)
    assert response.ok and visitor.get_attribute("html", "lang") == "ar"
    assert visitor.locator("h1").inner_text().strip() == title
    assert "جاء مئة وعشرون زائرا." in visitor.locator("main").inner_text()
    alts = visitor.locator("main img").evaluate_all("images => images.map(i => i.alt)")
    assert "أطفال يسقون النباتات" in alts and "سلة من الطماطم" in alts, alts
    visitor.screenshot(path=artifacts_dir / "story-published-ar.png", full_page=True)
    assert_no_serious_axe_violations(visitor)

    with visitor.expect_navigation():
        visitor.locator("main a", has_text=campaign_name).first.click()
    assert visitor.locator("main a", has_text=title).count() >= 1, "not on the campaign page"

    feed = visitor.request.get(f"{site_url}/ar/stories/feed/")
    assert feed.ok and title in feed.text()


def test_leaders_space_pages_are_axe_clean_in_french_and_arabic(new_page, site_url):
    page = new_page()
    leader_logs_in(page, site_url)
    for lang in ("fr", "ar"):
        for path in ("space/", "space/stories/new/"):
            response = page.goto(f"{site_url}/{lang}/{path}")
            assert response.ok and page.get_attribute("html", "lang") == lang
            assert_no_serious_axe_violations(page)
        # The form sent empty comes back with errors, still accessible.
        page.locator("form.story-form button[name=save]").click()
        expect(page.locator("[role=alert]")).to_have_count(1)
        assert_no_serious_axe_violations(page)
