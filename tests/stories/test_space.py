"""The project leaders' space: write, submit, review, resubmit, publish — and what a
leader may never do."""

import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images.models import Image
from wagtail.models import WorkflowState

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from campaigns.factories import CampaignPageFactory
from stories.models import StoryPage
from tests.stories.helpers import make_leader, photo, story_data, url

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_leader_writes_submits_fixes_and_gets_published(
    client, leader, reviewer, campaign, story_index, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    data = story_data(campaign, photo_1=photo(), photo_2=photo("b.png", fmt="PNG"))
    response = client.post(url("story_new"), data)
    assert response.status_code == 302
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    assert story.locale.language_code == "ar" and not story.live
    draft = story.get_latest_revision_as_object()
    assert [b.block_type for b in draft.body] == ["paragraph", "paragraph", "gallery"]
    assert len(draft.body[2].value["images"]) == 2
    assert draft.hero_image_alt == "أطفال يسقون النباتات"

    response = client.post(url("story_submit", story.pk))
    assert response.status_code == 302
    state = story.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(url("story_edit", story.pk)).status_code == 409  # in review: locked

    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.specific.reject(user=reviewer, comment="أضيفوا عدد الزوار")
    space = client.get(url("space")).content.decode()
    assert "أضيفوا عدد الزوار" in space
    assert any("أضيفوا عدد الزوار" in message.body for message in mail.outbox)

    response = client.post(
        url("story_edit", story.pk),
        {**story_data(campaign, text="جاء مئة زائر."), "submit": "1"},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    story.refresh_from_db()
    assert story.live
    public = client.get(story.get_url())
    assert public.status_code == 200 and "جاء مئة زائر." in public.content.decode()
    assert (
        "افتتاح الحديقة"
        in client.get(campaign.get_translation(story.locale).get_url()).content.decode()
    )
    assert "افتتاح الحديقة" in client.get("/ar/stories/feed/").content.decode()
    assert mail.outbox and mail.outbox[0].to == [leader.email]


@pytest.mark.django_db
def test_another_leader_cannot_see_or_touch_a_draft(
    client, django_user_model, leader, campaign, story_index
):
    client.force_login(leader)
    client.post(url("story_new"), story_data(campaign, consent=""))
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    other = make_leader(django_user_model, "bruno", campaign=None, language="fr")
    client.force_login(other)
    for name in ("story_edit", "story_preview"):
        assert client.get(url(name, story.pk)).status_code == 404
    assert client.post(url("story_submit", story.pk)).status_code == 404
    assert client.post(url("story_edit", story.pk), story_data(campaign)).status_code == 404
    assert story.title not in client.get(url("space")).content.decode()
    assert client.get(story.get_url() or "/ar/").status_code in (200, 404)
    # a leader never reaches the Wagtail admin
    assert client.get("/admin/").status_code in (302, 403)
    assert "/admin/login/" in client.get("/admin/").get("Location", "/admin/login/")


@pytest.mark.django_db
def test_a_leader_cannot_pick_a_campaign_that_is_not_theirs(
    client, django_user_model, leader, campaign, story_index
):
    foreign = CampaignPageFactory(parent=campaign.get_parent(), title="Pas à moi")
    client.force_login(leader)
    page = client.get(url("story_new")).content.decode()
    assert "Pas à moi" not in page
    response = client.post(url("story_new"), story_data(foreign))
    assert response.status_code == 400
    assert not StoryPage.objects.exists()


@pytest.mark.django_db
def test_anonymous_and_non_leaders_are_kept_out(client, django_user_model, story_index):
    response = client.get(url("space", language="fr"))
    assert response.status_code == 302 and "/fr/space/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("visitor"))
    assert client.get(url("space", language="fr")).status_code == 403


def text_as_jpeg():
    return SimpleUploadedFile("fake.jpg", b"just some text, not a photo", content_type="image/jpeg")


def too_big():
    buffer = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue() + b"\0" * (12 * 1024 * 1024))


def bomb():
    buffer = io.BytesIO()
    PILImage.new("1", (16_000, 16_000)).save(buffer, format="PNG")
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [text_as_jpeg, too_big, bomb], ids=["text", "12MB", "bomb"])
def test_bad_uploads_are_refused_and_nothing_is_created(client, leader, campaign, bad):
    client.force_login(leader)
    images_before = Image.objects.count()
    response = client.post(url("story_new"), story_data(campaign, photo_1=bad()))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "افتتاح الحديقة" in response.content.decode()  # what was typed is kept
    assert not StoryPage.objects.exists()
    assert Image.objects.count() == images_before


@pytest.mark.django_db
def test_seven_photos_are_refused(client, leader, campaign):
    client.force_login(leader)
    photos = {f"photo_{n}": photo(f"p{n}.jpg") for n in range(1, 8)}
    alts = {f"alt_{n}": "x" for n in range(1, 8)}
    response = client.post(url("story_new"), {**story_data(campaign), **photos, **alts})
    assert response.status_code == 400
    assert not StoryPage.objects.exists()


@pytest.mark.django_db
def test_valid_photos_are_kept_when_the_form_comes_back(client, leader, campaign):
    client.force_login(leader)
    response = client.post(url("story_new"), story_data(campaign, title="", photo_1=photo()))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'name="kept_1"' in body and "<img" in body
    kept = body.split('name="kept_1" value="')[1].split('"')[0]
    response = client.post(url("story_new"), story_data(campaign, kept_1=kept))
    assert response.status_code == 302
    story = StoryPage.objects.get(alias_of__isnull=True)
    assert story.get_latest_revision_as_object().hero_image is not None
    # a forged kept value is ignored
    response = client.post(url("story_new"), story_data(campaign, kept_1="forged", title="B"))
    assert (
        StoryPage.objects.get(title="B", alias_of__isnull=True)
        .get_latest_revision_as_object()
        .hero_image
        is None
    )


@pytest.mark.django_db
def test_payloads_are_escaped_in_the_leaders_story(client, leader, reviewer, campaign):
    client.force_login(leader)
    client.post(
        url("story_new"),
        story_data(campaign, title=f"T {XSS}", text=f"P {XSS}", alt_1=XSS, photo_1=photo()),
    )
    story = StoryPage.objects.get(alias_of__isnull=True)
    client.post(url("story_submit", story.pk))
    story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    story.refresh_from_db()
    for address in (
        story.get_url(),
        url("space"),
        url("story_preview", story.pk),
        "/ar/stories/feed/",
    ):
        html = client.get(address).content.decode()
        assert "<script>alert" not in html, address
        assert "<img src=x" not in html, address


def form_fields(html):
    """What a browser would send back for the story form, unchanged (no files)."""
    form = BeautifulSoup(html, "html.parser").select_one("form.story-form")
    data = {}
    for field in form.select("input, textarea, select"):
        name, kind = field.get("name"), field.get("type")
        if not name or kind in ("file", "submit") or field.name == "button":
            continue
        if kind == "checkbox":
            if field.has_attr("checked"):
                data[name] = "on"
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "")
        else:
            data[name] = field.get("value", "")
    return data


def gallery_of(story):
    draft = StoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    galleries = [block.value for block in draft.body if block.block_type == "gallery"]
    return (
        [(photo["image"].title, photo["alt_text"]) for photo in galleries[0]["images"]]
        if (galleries)
        else []
    )


@pytest.mark.django_db
def test_editing_a_story_keeps_its_photos_and_can_remove_or_replace_one(client, leader, campaign):
    client.force_login(leader)
    client.post(
        url("story_new"),
        story_data(campaign, photo_1=photo("one.jpg"), photo_2=photo("two.png", fmt="PNG")),
    )
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    assert gallery_of(story) == [
        ("one.jpg", "أطفال يسقون النباتات"),
        ("two.png", "الحديقة من الأعلى"),
    ]

    # Opened again and sent back unchanged but for the text: both photos stay, with their alt.
    page = client.get(url("story_edit", story.pk)).content.decode()
    assert page.count("<img") >= 2 and 'name="remove_1"' in page
    data = form_fields(page)
    assert data["title"] == "افتتاح الحديقة" and data["alt_2"] == "الحديقة من الأعلى"
    assert data["consent"] == "on"  # given once for these photos, it stays given
    data.update(text="نص جديد.")
    assert client.post(url("story_edit", story.pk), data).status_code == 302
    assert [title for title, _ in gallery_of(story)] == ["one.jpg", "two.png"]

    # Remove the second photo, replace the first with a new file.
    data = form_fields(client.get(url("story_edit", story.pk)).content.decode())
    data.update(
        consent="on",
        remove_2="on",
        alt_1="صورة جديدة",
        photo_1=photo("new.webp", fmt="WEBP"),
        save="1",  # "remove_2" alone is the "Remove photo 2" button: the form comes back
    )
    assert client.post(url("story_edit", story.pk), data).status_code == 302
    assert gallery_of(story) == [("new.webp", "صورة جديدة")]
    story.refresh_from_db()
    assert story.get_latest_revision_as_object().hero_image.title == "new.webp"


@pytest.mark.django_db
def test_a_kept_photo_signed_for_another_leader_is_ignored(
    client, django_user_model, leader, campaign
):
    client.force_login(leader)
    page = client.post(url("story_new"), story_data(campaign, title="", photo_1=photo()))
    kept = form_fields(page.content.decode())["kept_1"]
    assert kept
    other = make_leader(django_user_model, "bruno", campaign)
    client.force_login(other)
    client.post(url("story_new"), story_data(campaign, title="Volée", kept_1=kept))
    assert (
        StoryPage.objects.get(title="Volée", alias_of__isnull=True)
        .get_latest_revision_as_object()
        .hero_image
        is None
    )
