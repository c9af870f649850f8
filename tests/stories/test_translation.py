"""Reviewers translate an approved story into the other languages with wagtail-localize."""

from django.utils import translation as django_translation

from wagtail.models import Locale
from wagtail_localize.models import Translation

import pytest

from stories.models import StoryPage
from tests.stories.helpers import story_data, url

ENGLISH = {
    "افتتاح الحديقة": "The garden opens",
    "الفقرة الأولى.": "The first paragraph.",
    "الفقرة الثانية.": "The second paragraph.",
}


@pytest.mark.django_db
def test_a_reviewer_translates_an_approved_story_into_english(
    client, leader, reviewer, campaign, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    client.post(url("story_new"), story_data(campaign, consent=""))
    story = StoryPage.objects.get(owner=leader, locale__language_code="ar")
    client.post(url("story_submit", story.pk))
    with django_capture_on_commit_callbacks(execute=True):
        story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    story.refresh_from_db()
    english_locale = Locale.objects.get(language_code="en")
    # Written in ar; the other languages have a copy of it (shown with a notice).
    copy = story.get_translation(english_locale)
    assert copy.alias_of_id == story.pk

    # A leader may not start a translation; the reviewer may ("Translate this page").
    submit_url = f"/admin/localize/submit/page/{story.pk}/"
    assert client.post(submit_url, {"locales": [english_locale.pk]}).status_code in (302, 403)
    assert not Translation.objects.exists()
    client.force_login(reviewer)
    with django_translation.override("en"):
        response = client.post(submit_url, {"locales": [english_locale.pk]})
    assert response.status_code == 302, response.content.decode()[:500]
    english = story.get_translation(english_locale)
    # The copy becomes the translation, a draft the reviewer edits.
    assert english.pk == copy.pk and english.alias_of_id is None
    assert english.has_unpublished_changes
    job = Translation.objects.get(source__object_id=story.translation_key)
    assert job.target_locale == english_locale

    # The reviewer fills in the strings (what the translation editor saves) and publishes.
    po = job.export_po()
    for entry in po:
        entry.msgstr = ENGLISH.get(entry.msgid, entry.msgid)
    job.import_po(po)
    with django_capture_on_commit_callbacks(execute=True):
        job.save_target(user=reviewer, publish=True)

    english.refresh_from_db()
    assert english.live and english.title == "The garden opens"
    page = client.get(english.get_url()).content.decode()
    assert '<html lang="en"' in page and "The second paragraph." in page
    assert "الفقرة الثانية." not in page
    # The Arabic original is untouched.
    assert "الفقرة الثانية." in client.get(story.get_url()).content.decode()
