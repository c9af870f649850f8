"""Campaign news in a real browser: donors ask for news when they give, a leader posts news
from the space (in French, and one in Arabic), staff approve it in the Wagtail admin, and each
donor who asked gets exactly one email, in their language, with a working one-click
unsubscribe link.

The e2e server runs with the dev settings: emails go to the console, that is to the server's
log (conftest.py: runserver.log in the server's folder), and tasks run at once (immediate
backend). The emails are read back from that log (test_leader_story.ServerMail).
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from stories.demo import DEMO_ARABIC_LEADER, DEMO_LEADER
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.test_giving import fill_form, open_form_from_block, pay_on_demo_checkout
from tests.e2e.test_leader_story import ServerMail
from tests.e2e.test_stories import dashboard_action, reviewer_logs_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
GARDEN = "jardin-des-couronnes"  # led by the demo leader who writes in French
REPAIR_CAFE = "repair-cafe-belleville"  # led by the one who writes in Arabic
GREETING = {"fr": "Bonjour,", "ar": "مرحبًا،"}  # "Hello," in the catalogues


def give(new_page, site_url, lang, slug, address, wants_news):
    page = new_page()
    page.goto(f"{site_url}/{lang}/campagnes/{slug}/")
    form = open_form_from_block(page, site_url, lang, euros=10)
    box = form.locator("input[name=wants_news]")
    assert not box.is_checked(), "the news box must start unticked"
    fill_form(form, name="E2E", email=address, display="anonymous", message="")
    if wants_news:
        box.check()
    pay_on_demo_checkout(page, site_url, lang)
    page.close()


def leader_logs_in(page, site_url, lang, account):
    page.goto(f"{site_url}/{lang}/space/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(account["username"])
    form.locator("input[name=password]").fill(account["password"])
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/space/$"))


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "bacs.jpg"
    Image.new("RGB", (320, 240), "green").save(path)
    return path


def post_news(page, site_url, lang, slug, title, text, photo=None, alt=""):
    """From the space, write news for the campaign ``slug`` and submit it."""
    page.goto(f"{site_url}/{lang}/campagnes/{slug}/")
    campaign_title = page.locator("main h1").inner_text().strip()
    page.goto(f"{site_url}/{lang}/space/")
    page.locator(f"a[href='/{lang}/space/news/new/']").click()
    form = page.locator("form.news-form")
    assert form.locator("select[name=language]").input_value() == lang
    form.locator("select[name=campaign]").select_option(label=campaign_title)
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=text]").fill(text)
    if photo:
        form.locator("input[name=photo_1]").set_input_files(photo)
        form.locator("input[name=alt_1]").fill(alt)
        form.locator("input[name=consent]").check()
    form.locator("button[name=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/space/$"))
    assert page.locator(".space__messages .notice--success").count() == 1
    item = page.locator(".space-news li", has=page.locator("h3", has_text=title))
    assert item.locator(".status--in_review").count() == 1


@pytest.mark.parametrize(
    ("lang", "slug", "account", "title", "text"),
    [
        ("fr", GARDEN, DEMO_LEADER, "Les bacs sont posés", "Vingt voisins ont posé les bacs."),
        ("ar", REPAIR_CAFE, DEMO_ARABIC_LEADER, "أول أمسية إصلاح", "أصلحنا ثلاثين جهازًا."),
    ],
    ids=["fr", "ar"],
)
def test_a_leader_posts_news_and_each_donor_who_asked_gets_one_email_in_their_language(
    new_page, site_url, pytestconfig, photo, artifacts_dir, lang, slug, account, title, text
):
    mail = ServerMail(pytestconfig)
    run = uuid.uuid4().hex[:6]
    title = f"{title} {run}"
    donors = {
        f"news-fr-{run}@example.org": "fr",
        f"news-ar-{run}@example.org": "ar",
    }
    for address, language in donors.items():
        give(new_page, site_url, language, slug, address, wants_news=True)
    give(new_page, site_url, "fr", slug, f"nonews-{run}@example.org", wants_news=False)
    # the same donor giving again: still one email
    give(new_page, site_url, "ar", slug, f"news-ar-{run}@example.org", wants_news=True)

    leader = new_page()
    leader_logs_in(leader, site_url, lang, account)
    post_news(
        leader,
        site_url,
        lang,
        slug,
        title,
        text,
        photo,
        alt="Des bacs en bois" if lang == "fr" else "طاولة عليها أجهزة",
    )

    reviewer = new_page()
    reviewer_logs_in(reviewer, site_url)
    with reviewer.expect_navigation():
        dashboard_action(reviewer, site_url, title, "Approve")

    news_emails = {}
    for address in [*donors, f"nonews-{run}@example.org"]:
        news_emails[address] = [m for m in mail.to(address) if title in str(m["Subject"])]
    counts = {address: len(messages) for address, messages in news_emails.items()}
    # once each, none for the donor who did not ask
    assert counts == {**dict.fromkeys(donors, 1), f"nonews-{run}@example.org": 0}, counts
    for address, language in donors.items():
        (message,) = news_emails[address]
        # get_content() would garble it: the log is parsed as text, its 8-bit body is UTF-8 already
        body = message.get_payload()
        assert body.startswith(GREETING[language]), body[:200]
        assert text in body  # the original (no translation yet), in every language
        link = urlsplit(re.search(r"<([^>]+)>", str(message["List-Unsubscribe"]))[1])
        assert link.path.startswith(f"/{language}/news/stop/")
        assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
        assert not any(other in body for other in donors if other != address)

    # Published on the campaign page, in both languages, with the news section's link.
    for language in ("fr", "ar"):
        visitor = new_page()
        visitor.goto(f"{site_url}/{language}/campagnes/{slug}/")
        section = visitor.locator("section.campaign-news")
        assert section.locator("a", has_text=title).count() == 1
        assert_no_serious_axe_violations(visitor)
        with visitor.expect_navigation():
            section.locator("a", has_text=title).click()
        assert visitor.locator("h1").inner_text().strip() == title
        assert_no_serious_axe_violations(visitor)

    # The one-click link: a GET only shows the button; the button stops the news.
    (stop,) = news_emails[next(a for a, language in donors.items() if language == lang)]
    link = urlsplit(re.search(r"<([^>]+)>", str(stop["List-Unsubscribe"]))[1])
    visitor = new_page()
    visitor.goto(site_url + link.path)
    assert visitor.get_attribute("html", "lang") == lang
    assert_no_serious_axe_violations(visitor)
    visitor.screenshot(path=artifacts_dir / f"news-unsubscribe-{lang}.png", full_page=True)
    visitor.locator("main form button[type=submit]").click()
    expect(visitor.locator("main [role=status]")).to_have_count(1)
    assert_no_serious_axe_violations(visitor)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_news_form_campaign_news_and_donation_box_screenshots(
    new_page, site_url, artifacts_dir, lang
):
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(viewport=viewport)
        leader_logs_in(page, site_url, lang, DEMO_LEADER)
        page.goto(f"{site_url}/{lang}/space/news/new/")
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
        assert_no_serious_axe_violations(page)
        page.screenshot(path=artifacts_dir / f"news-form-{lang}-{name}.png", full_page=True)
        # sent empty: the errors are next to their fields, still accessible
        page.locator("form.news-form button[name=save]").click()
        expect(page.locator("[role=alert]")).to_have_count(1)
        assert_no_serious_axe_violations(page)
        page.goto(f"{site_url}/{lang}/space/")
        assert_no_serious_axe_violations(page)

        visitor = new_page(viewport=viewport)
        visitor.goto(f"{site_url}/{lang}/campagnes/{GARDEN}/")
        section = visitor.locator("section.campaign-news")
        assert section.count() == 1  # the demo's news
        section.scroll_into_view_if_needed()
        section.screenshot(path=artifacts_dir / f"news-campaign-{lang}-{name}.png")
        visitor.screenshot(
            path=artifacts_dir / f"news-campaign-page-{lang}-{name}.png", full_page=True
        )

        form = open_form_from_block(visitor, site_url, lang)
        form.locator("#id_wants_news").check()
        form.locator("#id_donor_email").fill("")
        visitor.locator("form.donation-form button[type='submit']").click()
        error = visitor.locator("#id_donor_email_error")
        assert error.count() == 1 and error.inner_text().strip()
        assert visitor.locator("#id_wants_news").is_checked(), "the ticked box was lost"
        assert_no_serious_axe_violations(visitor)
        visitor.screenshot(path=artifacts_dir / f"news-donate-{lang}-{name}.png", full_page=True)
