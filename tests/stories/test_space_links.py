"""Walk every link and form of the leaders' space, as a leader who writes in French (whose
stories have copies in the four other languages) and as one who writes in Arabic: no answer
is a server error, each story is listed once, a URL naming a copy goes to the story."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

import pytest

from stories.models import StoryIndexPage, StoryPage
from stories.workflow import assign_to_story_listing
from tests.stories.helpers import make_leader, story_data, url

LANGUAGES = ["fr", "en", "ar", "pt", "zh-hans"]


class SpaceParser(HTMLParser):
    """The links and forms of a page (forms with their fields' default values)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "button", "textarea", "select"):
            name = attrs.get("name")
            kind = attrs.get("type", "submit" if tag == "button" else "text")
            if not name and tag != "button":
                return
            if kind == "submit" or tag == "button":
                if name:
                    self._form["buttons"].append((name, attrs.get("value", "1")))
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"][name] = attrs.get("value", "on")
            elif kind != "file":
                self._form["fields"].setdefault(name, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(response):
    parser = SpaceParser()
    parser.feed(response.content.decode())
    return parser


def is_space(path):
    return "/space/" in path and "/logout/" not in path


def walk(client, start):
    """GET every link reachable from ``start`` inside the space (and the public pages it
    links to), then send every form found on the way, the submissions after the rest and
    logging out last; follow what they redirect to. Return {request: status}."""
    seen, statuses, forms = set(), {}, []
    queue = [start]

    def visit():
        while queue:
            address = queue.pop(0)
            if address in seen:
                continue
            seen.add(address)
            response = client.get(address)
            statuses[f"GET {address}"] = response.status_code
            if response.status_code in (301, 302):
                target = urlsplit(urljoin(address, response["Location"]))
                if target.netloc in ("", "testserver"):
                    queue.append(target._replace(scheme="", netloc="").geturl())
                continue
            if not is_space(address) or response.status_code != 200:
                continue
            page = parse(response)
            for link in page.links:
                if urlsplit(link).netloc or link.startswith(("mailto:", "tel:", "#")):
                    continue
                queue.append(urljoin(address, link).split("#")[0])
            for form in page.forms:
                action = urljoin(address, form["action"] or address)
                if form["method"] == "post" and ("/logout/" in action or is_space(action)):
                    forms.append((action, form))

    visit()
    order = {"edit": 0, "new": 0, "submit": 1, "logout": 2}
    forms.sort(
        key=lambda item: max(
            [rank for word, rank in order.items() if f"/{word}/" in item[0]] or [0]
        )
    )
    for action, form in forms:
        for button in form["buttons"] or [None]:
            data = dict(form["fields"])
            if button:
                data[button[0]] = button[1]
            key = f"POST {action} {sorted(data)}"
            if key in statuses:
                continue
            sent = client.post(action, data)
            statuses[key] = sent.status_code
            if sent.status_code in (301, 302):
                queue.append(urljoin(action, sent["Location"]))
        visit()
    return statuses


def assert_no_server_error(statuses, everywhere=True):
    errors = {address: status for address, status in statuses.items() if status >= 500}
    assert not errors, errors
    if not everywhere:
        return
    # The walk went everywhere: the story forms (opened and sent), submissions, previews.
    for wanted in ("GET /edit/", "POST /edit/", "POST /submit/", "GET /preview/", "/stories/new/"):
        method, part = wanted.split(" ") if " " in wanted else ("", wanted)
        assert any(address.startswith(method) and part in address for address in statuses), wanted


def listed_story_ids(client, language):
    """The story ids the space links to (edit or preview), with how many entries."""
    page = parse(client.get(url("space", language=language)))
    ids = []
    for link in page.links:
        parts = link.strip("/").split("/")
        if "stories" in parts and parts[-1] == "preview":
            ids.append(int(parts[-2]))
    return ids


def write(client, leader, campaign, language, title, submit=False):
    client.force_login(leader)
    data = story_data(campaign, language=language, consent="", title=title)
    if submit:
        data["submit"] = "1"
    assert client.post(url("story_new", language=language), data).status_code == 302
    return StoryPage.objects.get(owner=leader, title=title, alias_of__isnull=True)


@pytest.fixture
def workflows(story_index):
    for index in StoryIndexPage.objects.all():
        assign_to_story_listing(index)


@pytest.fixture
def french_leader(client, django_user_model, campaign, workflows, reviewer):
    """A leader writing in French: a draft, one in review, one with changes requested, one
    published and translated into English — each with copies in the 4 other languages."""
    leader = make_leader(django_user_model, "awa", campaign, language="fr")
    write(client, leader, campaign, "fr", "Brouillon")
    write(client, leader, campaign, "fr", "En relecture", submit=True)
    changes = write(client, leader, campaign, "fr", "À reprendre", submit=True)
    changes.current_workflow_state.current_task_state.specific.reject(
        user=reviewer, comment="Plus de photos"
    )
    published = write(client, leader, campaign, "fr", "Publiée", submit=True)
    published.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    client.force_login(reviewer)
    english = Locale.objects.get(language_code="en")
    with translation.override("en"):
        client.post(f"/admin/localize/submit/page/{published.pk}/", {"locales": [english.pk]})
    Translation.objects.get(source__object_id=published.translation_key).save_target(
        user=reviewer, publish=True
    )
    client.force_login(leader)
    return leader


@pytest.mark.django_db
def test_french_leader_sees_each_story_once_with_its_languages(client, french_leader):
    stories = StoryPage.objects.filter(owner=french_leader, alias_of__isnull=True)
    originals = stories.filter(locale__language_code="fr")
    assert originals.count() == 4
    assert StoryPage.objects.filter(alias_of__in=originals).count() >= 4 * 3
    for language in LANGUAGES:
        ids = listed_story_ids(client, language)
        assert sorted(ids) == sorted(originals.values_list("pk", flat=True)), language
    space = client.get(url("space", language="en")).content.decode()
    assert 'lang="fr"' in space and "Written in French." in space
    assert "Translated into English." in space  # the wagtail-localize translation
    assert space.count("Translated into") == 1  # copies are not translations


@pytest.mark.django_db
def test_french_leader_walks_every_link_and_form(client, french_leader):
    assert_no_server_error(walk(client, url("space", language="fr")))
    client.force_login(french_leader)  # the walk logged out last
    # Everything is in review now: walked again from the Arabic space
    assert_no_server_error(walk(client, url("space", language="ar")), everywhere=False)


@pytest.mark.django_db
def test_urls_naming_a_copy_go_to_the_story(client, french_leader, django_user_model, campaign):
    originals = StoryPage.objects.filter(
        owner=french_leader, alias_of__isnull=True, locale__language_code="fr"
    )
    draft = originals.get(title="Brouillon")
    copies = Page.objects.filter(alias_of=draft)
    assert copies.count() == 4
    for copy in copies:
        for name in ("story_edit", "story_preview"):
            response = client.get(url(name, copy.pk, language="fr"))
            assert response.status_code == 302
            assert response["Location"] == url(name, draft.pk, language="fr")
        response = client.post(url("story_submit", copy.pk, language="fr"))
        assert response.status_code == 302
        assert response["Location"] == url("story_submit", draft.pk, language="fr")
        # Following it with a GET sends nothing (a submission is a POST).
        assert client.get(response["Location"]).status_code == 302
        draft.refresh_from_db()
        assert draft.current_workflow_state is None
    # Edit a copy (what answered 500): now the story's own form, and saving works.
    response = client.post(
        url("story_edit", copies[0].pk, language="fr"),
        story_data(campaign, language="fr", consent="", title="Brouillon 2"),
    )
    assert response.status_code == 302
    response = client.post(
        response["Location"], story_data(campaign, language="fr", consent="", title="Brouillon 2")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.get_latest_revision_as_object().title == "Brouillon 2"

    # The English translation of the published story: the reviewers' work, not the leader's.
    published = originals.get(title="Publiée")
    english = published.get_translation(Locale.objects.get(language_code="en"))
    assert english.alias_of_id is None
    response = client.get(url("story_edit", english.pk, language="en"))
    assert response.status_code == 302
    assert response["Location"] == url("story_edit", published.pk, language="en")

    # Another leader: the copies and the stories do not exist for them.
    other = make_leader(django_user_model, "lea", campaign, language="fr")
    client.force_login(other)
    for page in [draft, copies[0], english]:
        for name in ("story_edit", "story_preview"):
            assert client.get(url(name, page.pk, language="fr")).status_code == 404
        assert client.post(url("story_submit", page.pk, language="fr")).status_code == 404


@pytest.mark.django_db
def test_arabic_leader_walks_every_link_and_form(client, leader, campaign, workflows, reviewer):
    write(client, leader, campaign, "ar", "مسودة")
    sent = write(client, leader, campaign, "ar", "قصة في المراجعة", submit=True)
    sent.current_workflow_state.current_task_state.specific.reject(user=reviewer, comment="صور")
    client.force_login(leader)
    ids = listed_story_ids(client, "ar")
    assert len(ids) == len(set(ids)) == 2
    assert_no_server_error(walk(client, url("space", language="ar")))
    client.force_login(leader)
    assert_no_server_error(walk(client, url("space", language="fr")), everywhere=False)


@pytest.mark.django_db
def test_submit_says_so_on_the_space(client, leader, campaign, workflows):
    story = write(client, leader, campaign, "ar", "قصتي")
    response = client.post(url("story_submit", story.pk), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="status"' in html and "قصتي" in html.split('role="status"')[1].split("</div>")[0]
    # Submitting again says it is already with the team, and changes nothing.
    response = client.post(url("story_submit", story.pk), follow=True)
    status = response.content.decode().split('role="status"')[1].split("</div>")[0]
    with translation.override("ar"):
        expected = translation.gettext("“%(title)s” is already with the team.") % {"title": "قصتي"}
    assert expected in status


@pytest.mark.django_db
def test_demo_leader_space(client, demo_site):
    awa = get_user_model().objects.get(username="awa")
    client.force_login(awa)
    originals = StoryPage.objects.filter(owner=awa, alias_of__isnull=True)
    ids = listed_story_ids(client, "fr")
    assert len(ids) == len(set(ids))
    assert Page.objects.filter(pk__in=ids, alias_of__isnull=False).count() == 0
    assert set(ids) <= set(originals.values_list("pk", flat=True))
    assert_no_server_error(walk(client, url("space", language="fr")))


@pytest.mark.django_db
def test_the_space_is_linked_from_every_page_frame(client, demo_site):
    """One page of each type in each language, and the 404 page: the frame links to the
    space; anonymous visitors following it reach the leaders' login."""
    by_type = {}
    for page in demo_site.filter(alias_of__isnull=True).select_related("locale"):
        by_type.setdefault((page.content_type_id, page.locale.language_code), page)
    assert len(by_type) >= 5 * 4
    for (_type, language), page in by_type.items():
        response = client.get(page.url)
        if response.status_code != 200:
            continue  # private sections answer a login or 404 of their own
        space = url("space", language=language)
        assert f'href="{space}"' in response.content.decode(), page.url
    for language in LANGUAGES:
        response = client.get(f"/{language}/no-such-page/")
        assert response.status_code == 404
        assert f'href="{url("space", language=language)}"' in response.content.decode()
        login = client.get(url("space", language=language))
        assert login.status_code == 302
        with translation.override(language):
            assert login["Location"].startswith(reverse("stories:login"))
