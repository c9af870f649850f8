"""A leader's story from the space to every language, with the emails, in a real browser.

In French (the demo leader `awa`) and in Arabic (a leader whose language is Arabic, created in
the e2e server's database): the leader writes a story and submits it (the space confirms);
the demo reviewer requests changes in the Wagtail admin; the leader gets an email in their
language, follows its link to the space, fixes the story and resubmits; the reviewer approves
(publishes); the leader gets one "published" email (not one per language) and the story
answers 200 with its text in all five languages.

The e2e server sends emails with Django's console backend: they are read from its log
(runserver.log, next to its database; see tests/e2e/conftest.py, which points
WAGTAILADMIN_BASE_URL, the base of the links in emails, at the server).
"""

import email
import email.policy
import re
import uuid

import pytest

from stories.demo import DEMO_LEADER
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.conftest import SERVER_PREPARATION, manage_shell
from tests.e2e.test_stories import dashboard_action, reviewer_logs_in, story_item

pytestmark = pytest.mark.e2e

LANGUAGES = ["fr", "en", "ar", "pt", "zh-hans"]
PHONE = {"width": 360, "height": 740}
ARABIC_LEADER = {"username": "e2e-samira", "password": "e2e-Samira-Pa55!", "name": "سميرة"}
ARABIC_EMAIL = "samira@e2e.example"
SEPARATOR = "\n" + "-" * 79 + "\n"

CREATE_ARABIC_LEADER = f"""
from django.contrib.auth import get_user_model
from stories.leader_admin import campaign_choices, set_leader_campaigns
from stories.models import LeaderProfile
from stories.workflow import ensure_groups
User = get_user_model()
if not User.objects.filter(username="{ARABIC_LEADER["username"]}").exists():
    user = User.objects.create_user(
        "{ARABIC_LEADER["username"]}", "{ARABIC_EMAIL}", "{ARABIC_LEADER["password"]}"
    )
    user.groups.add(ensure_groups()[0])
    LeaderProfile.objects.create(user=user, public_name="{ARABIC_LEADER["name"]}", language="ar")
    set_leader_campaigns(user, [campaign_choices().first()])
"""


class ServerMail:
    """The emails the e2e server printed to its log since this object was made, whole
    (multipart ones too: a receipt's email carries its PDF)."""

    def __init__(self, pytestconfig):
        self.log = pytestconfig.stash[SERVER_PREPARATION].tmp_dir / "runserver.log"
        self.offset = self.log.stat().st_size

    def to(self, address):
        text = self.log.read_bytes()[self.offset :].decode("utf-8", "replace")
        messages = []
        for chunk in text.split(SEPARATOR):
            # the console backend prints the headers from the first Content-Type line on
            start = re.search(r"^Content-Type: ", chunk, re.M)
            if not start:
                continue
            # As bytes: a str body parsed as 8bit would come back \u-escaped.
            raw = chunk[start.start() :].encode()
            message = email.message_from_bytes(raw, policy=email.policy.default)
            if address in str(message["To"]):
                messages.append(message)
        return messages


@pytest.fixture(scope="module")
def arabic_leader(site_url, pytestconfig):
    manage_shell(pytestconfig, CREATE_ARABIC_LEADER)
    return ARABIC_LEADER


def log_in(page, site_url, lang, account):
    page.goto(f"{site_url}/{lang}/space/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(account["username"])
    form.locator("input[name=password]").fill(account["password"])
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/space/$"))


def status_text(page):
    return page.locator("[role=status]").inner_text()


CASES = {
    "fr": {
        "account": DEMO_LEADER,
        "email": "awa@cocity.example",
        "title": "Le jardin a ouvert",
        "text": "Les voisins sont venus.",
        "fixed": "Cent vingt voisins sont venus planter.",
        "comment": "Combien de voisins sont venus ?",
    },
    "ar": {
        "account": ARABIC_LEADER,
        "email": ARABIC_EMAIL,
        "title": "افتتحت الحديقة",
        "text": "جاء الجيران.",
        "fixed": "جاء مئة وعشرون جارًا للزراعة.",
        "comment": "كم عدد الجيران الذين حضروا؟",
    },
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_leader_story_from_email_to_every_language(
    new_page, site_url, pytestconfig, arabic_leader, lang
):
    case = CASES[lang]
    title = f"{case['title']} {uuid.uuid4().hex[:6]}"
    leader, reviewer, visitor = new_page(), new_page(), new_page()

    # The space is linked from the frame of the public site.
    visitor.goto(f"{site_url}/{lang}/")
    visitor.locator(f"footer a[href='/{lang}/space/']").click()
    visitor.wait_for_url(re.compile(rf"/{lang}/space/login/"))

    # 1. The leader writes the story and submits it: the space says so.
    log_in(leader, site_url, lang, case["account"])
    leader.locator(f"a[href='/{lang}/space/stories/new/']").click()
    form = leader.locator("form.story-form")
    assert form.locator("select[name=language]").input_value() == lang
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=text]").fill(case["text"])
    form.locator("button[name=submit]").click()
    leader.wait_for_url(re.compile(rf"/{lang}/space/$"))
    assert title in status_text(leader)
    assert story_item(leader, title).count() == 1  # once, not once per language
    assert story_item(leader, title).locator(".status--in_review").count() == 1

    # 2. The reviewer requests changes in the Wagtail admin.
    mail = ServerMail(pytestconfig)
    reviewer_logs_in(reviewer, site_url)
    dashboard_action(reviewer, site_url, title, "Request changes")
    modal = reviewer.locator(".modal form")
    modal.locator("textarea[name=comment]").fill(case["comment"])
    with reviewer.expect_navigation():
        modal.locator("button[type=submit]").click()

    # 3. One email, in the leader's language, with the comment and a link to the space.
    (message,) = mail.to(case["email"])
    body = message.get_content()
    assert case["comment"] in body and title in str(message["Subject"])
    assert "/admin/" not in body
    links = re.findall(r"https?://\S+", body)
    assert links == [f"{site_url}/{lang}/space/"], links

    # 4. The leader follows it, fixes the story and resubmits.
    leader.goto(links[0])
    item = story_item(leader, title)
    assert item.locator(".status--changes_requested").count() == 1
    assert case["comment"] in item.inner_text()
    item.locator("a[href$='/edit/']").click()
    form = leader.locator("form.story-form")
    form.locator("textarea[name=text]").fill(case["fixed"])
    form.locator("button[name=submit]").click()
    leader.wait_for_url(re.compile(rf"/{lang}/space/$"))
    assert title in status_text(leader)
    assert story_item(leader, title).locator(".status--in_review").count() == 1

    # 5. The reviewer approves, which publishes: one email to the leader.
    mail = ServerMail(pytestconfig)
    with reviewer.expect_navigation():
        dashboard_action(reviewer, site_url, title, "Approve")
    published = mail.to(case["email"])
    assert len(published) == 1, [str(m["Subject"]) for m in published]
    assert f"{site_url}/{lang}/space/" in published[0].get_content()

    # 6. Readable in all five languages.
    leader.reload()
    item = story_item(leader, title)
    assert item.locator(".status--published").count() == 1
    public_url = item.locator("a:not([href*='/space/'])").get_attribute("href")
    response = visitor.goto(site_url + public_url)
    assert response.ok and visitor.get_attribute("html", "lang") == lang
    versions = visitor.locator(".language-switcher a").evaluate_all(
        "links => links.map(a => [a.hreflang, a.getAttribute('href')])"
    )
    versions = dict(versions)
    assert sorted(versions) == sorted(LANGUAGES), versions
    for code, path in versions.items():
        answer = visitor.request.get(site_url + path)
        assert answer.status == 200, (code, path, answer.status)
        assert case["fixed"] in answer.text() and title in answer.text(), code


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_space_and_gifts_pages_screenshots_and_axe(
    new_page, site_url, artifacts_dir, arabic_leader, lang
):
    for viewport, width in ((PHONE, 360), (None, 1280)):
        page = new_page(viewport=viewport)
        log_in(page, site_url, lang, DEMO_LEADER)
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
        page.screenshot(path=artifacts_dir / f"space-{lang}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, "the space scrolls sideways"
        assert_no_serious_axe_violations(page)
        page.locator(f"a[href^='/{lang}/space/campaigns/'][href$='/gifts/']").first.click()
        page.wait_for_url(re.compile(r"/gifts/$"))
        assert page.locator("main li").count() >= 1
        page.screenshot(path=artifacts_dir / f"space-gifts-{lang}-{width}.png", full_page=True)
        assert_no_serious_axe_violations(page)
