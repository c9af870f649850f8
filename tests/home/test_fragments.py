"""Parts of pages kept in the shared cache for the renders the page cache does not serve
(home/templatetags/fragment_tags.py): signed-in readers and requests with credentials.

A gift renders its campaign's funding panel and list of gifts again at once, but not the
story beside it; a change of the page does; a preview never uses nor fills them; a part that
holds a CSRF token is never kept; each language and each page of a list has its own copy;
and a render whose parts are kept runs only the frame's few queries."""

from django.db import connection
from django.middleware.csrf import CsrfViewMiddleware
from django.template import Template
from django.template.context import RequestContext
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

import pytest

from campaigns.models import BudgetLine, CampaignIndexPage, CampaignPage
from cocity import page_cache
from donations import ledger
from helpers.money import format_money
from helpers.visibility import public_pages
from home.models import HomePage
from tests.home.test_page_cache_tags import campaigns_a_and_b, fr, pay, shared_fund

CREDENTIALS = {"HTTP_AUTHORIZATION": "Bearer reader"}  # never served by the page cache


@pytest.fixture
def fragments_on(settings):
    """The page cache and the fragments on (the suite runs without them), on the suite's
    local-memory cache (emptied before and after each test by tests/conftest.py)."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    page_cache._known_tags.clear()
    yield settings
    page_cache._known_tags.clear()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "fragment-editor", "fragments@example.org", "x", is_staff=True
    )
    client = Client()
    client.force_login(user)
    return client


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert response.get("X-Page-Cache") != "hit", url  # rendered, never the page cache
    return response.content.decode()


@pytest.mark.django_db
def test_a_gift_renders_the_funding_again_at_once_and_keeps_the_story(
    editor, demo_site, fragments_on, django_capture_on_commit_callbacks
):
    a, _b = campaigns_a_and_b()
    line = BudgetLine.objects.filter(campaign=a).first()
    assert line is not None
    assert line.label in get(editor, a.url)
    raised_before = ledger.tally(a.translation_key)[0]

    # changed behind the signals: only what renders the story again can show it
    BudgetLine.objects.filter(pk=line.pk).update(label="Ligne changée en coulisses")
    with django_capture_on_commit_callbacks(execute=True):
        pay(a, 4_321, "Donatrice Fragment")

    html = get(editor, a.url)
    raised = ledger.tally(a.translation_key)[0]
    assert raised > raised_before
    assert format_money(raised, "fr") in html, html[html.find("progress__figures") :][
        :300
    ]  # at once
    assert "Donatrice Fragment" in html  # the list of gifts
    assert line.label in html and "Ligne changée en coulisses" not in html  # the story kept

    page_cache.purge({page_cache.page_tag(a.translation_key)})  # what a publish purges
    html = get(editor, a.url)
    assert "Ligne changée en coulisses" in html
    assert "Donatrice Fragment" in html


@pytest.mark.django_db
def test_each_language_and_each_list_page_has_its_own_copy(editor, demo_site, fragments_on):
    a, _b = campaigns_a_and_b()
    english = public_pages(
        CampaignPage.objects.filter(translation_key=a.translation_key, locale__language_code="en")
    ).get()
    with translation.override("fr"):
        give_fr = gettext("Give to this project")
    with translation.override("en"):
        give_en = gettext("Give to this project")
    assert give_fr != give_en
    for _ in range(2):  # the second time from the kept fragments
        french_html, english_html = get(editor, a.url), get(editor, english.url)
        assert give_fr in french_html and give_en not in french_html
        assert give_en in english_html and give_fr not in english_html

    index = fr(CampaignIndexPage).get()
    for _ in range(2):
        every = get(editor, index.url)
        live_only = get(editor, index.url + "?status=succeeded")
        assert every.count('class="card') > live_only.count('class="card')


@pytest.mark.django_db
def test_a_preview_neither_uses_nor_fills_the_fragments(editor, demo_site, fragments_on):
    a, _b = campaigns_a_and_b()
    get(editor, a.url)  # the live page's fragments are kept
    draft = CampaignPage.objects.get(pk=a.pk)
    draft.summary = "Un résumé qui n'est pas encore publié"
    preview = draft.make_preview_request()
    if hasattr(preview, "render"):
        preview.render()
    assert "Un résumé qui n&#x27;est pas encore publié" in preview.content.decode()
    assert "pas encore publié" not in get(editor, a.url)


@pytest.mark.django_db
def test_a_part_that_holds_a_csrf_token_is_never_kept(demo_site, fragments_on):
    page = fr(HomePage).get()

    def render(source, text):
        request = RequestFactory().get(page.url)
        CsrfViewMiddleware(lambda request: None).process_request(request)
        template = Template("{% load fragment_tags %}" + source)
        return template.render(RequestContext(request, {"page": page, "text": text}))

    form = "{% fragment 'form' %}{{ text }} {% csrf_token %}{% endfragment %}"
    first, second = render(form, "premier"), render(form, "second")
    assert first.startswith("premier") and second.startswith("second")  # rendered each time
    assert first != second.replace("second", "premier")  # each reader's own token
    plain = "{% fragment 'plain' %}{{ text }}{% endfragment %}"
    assert render(plain, "premier") == render(plain, "second") == "premier"  # kept


@pytest.mark.django_db
def test_a_render_whose_parts_are_kept_runs_only_the_frames_queries(demo_site, fragments_on):
    """With credentials (never the page cache) and the frame cache on (helpers/frame.py, as in
    production), a warm render of each page reads little more than the page itself; from
    scratch they run 6 (campaign page), 3 (index) and 7 (home) under the production
    settings: tests/home/test_query_budget.py."""
    fragments_on.FRAME_CACHE_SECONDS = 300
    a, _b = campaigns_a_and_b()
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    for url in (a.url, fr(CampaignIndexPage).get().url, fr(HomePage).get().url):
        for _ in range(2):  # renditions made on the first (a new frame generation), then warm
            get(client, url, **CREDENTIALS)
        with CaptureQueriesContext(connection) as queries:
            get(client, url, **CREDENTIALS)
        assert len(queries) <= 4, (url, [query["sql"][:90] for query in queries])


@pytest.mark.django_db
def test_with_fragments_off_every_render_starts_from_scratch(editor, demo_site, fragments_on):
    fragments_on.FRAGMENT_CACHE_SECONDS = 0
    a, _b = campaigns_a_and_b()
    line = BudgetLine.objects.filter(campaign=a).first()
    get(editor, a.url)
    BudgetLine.objects.filter(pk=line.pk).update(label="Ligne changée en coulisses")
    assert "Ligne changée en coulisses" in get(editor, a.url)


@pytest.mark.django_db
def test_a_match_on_another_campaign_renders_the_funding_panel_again(
    editor, demo_site, fragments_on, django_capture_on_commit_callbacks
):
    a, b = campaigns_a_and_b()
    shared_fund(a, b, "Fonds partagé des fragments")
    assert format_money(500_000, "fr") in get(editor, b.url)
    with django_capture_on_commit_callbacks(execute=True):
        pay(a, 4_000, "Donatrice Appariée")
    assert format_money(496_000, "fr") in get(editor, b.url)
