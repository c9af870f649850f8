"""The story form on a phone, without JavaScript: photos added one at a time ("Add this
photo" sends the form and shows it again with everything typed and a thumbnail), removed one
at a time, one help text taken from the image settings, a confirmation after saving; and the
leaders' sign-in pages with the right fields."""

import io

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from wagtail.images.models import Image

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from stories.models import StoryPage
from tests.stories.helpers import make_leader, photo, story_data, url

TEXT = "الفقرة الأولى.\n\nالفقرة الثانية."


@pytest.fixture(autouse=True)
def empty_cache():
    """The leaders' rate limit counts in the (local memory) cache: start each test at zero."""
    cache.clear()
    yield
    cache.clear()


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def form_data(response):
    """What a browser sends back for the story form as shown (no file, no button)."""
    form = soup_of(response).select_one("form.story-form")
    data = {}
    for field in form.select("input, textarea, select"):
        name, kind = field.get("name"), field.get("type")
        if not name or kind in ("file", "submit") or field.name == "button":
            continue
        if kind == "checkbox":
            if field.has_attr("checked"):
                data[name] = "on"
        elif field.name == "textarea":
            data[name] = field.get_text().removeprefix("\n")
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "")
        else:
            data[name] = field.get("value", "")
    return data


def thumbnails(response):
    """(src, alt) of the kept photos' thumbnails."""
    return [(img["src"], img["alt"]) for img in soup_of(response).select(".story-photo__thumbnail")]


def empty_slot_inputs(response):
    return [field["name"] for field in soup_of(response).select(".story-photo--new input")]


def stories_of(user):
    return StoryPage.objects.filter(owner=user, alias_of__isnull=True)


@pytest.mark.django_db
def test_a_photo_is_added_without_javascript_and_shown_as_a_private_thumbnail(
    client, leader, campaign
):
    client.force_login(leader)
    first = client.get(url("story_new"))
    # One empty slot, nothing else: no kept photo, no second file input.
    assert empty_slot_inputs(first) == ["photo_1", "alt_1"]
    typed = story_data(campaign, title="", text=TEXT, consent="")
    for name in ("alt_1", "alt_2"):
        typed.pop(name)
    response = client.post(
        url("story_new"),
        {
            **typed,
            "photo_1": photo("IMG_0001.jpg", size=(400, 300)),
            "alt_1": "بذور في الأيدي",
            "add_photo": "1",
        },
    )
    assert response.status_code == 200
    page = soup_of(response)
    # The title is empty and the consent unticked: not said yet (checked on saving).
    assert page.select(".field-error") == [] and not page.select("[role=alert]")
    assert page.select_one("[role=status]").get_text(strip=True)
    # Everything typed comes back, the photo as a thumbnail with the leader's words as alt.
    shown = form_data(response)
    assert shown["text"].replace("\r\n", "\n") == TEXT and shown["language"] == "ar"
    assert shown["alt_1"] == "بذور في الأيدي" and shown["kept_1"]
    [(src, alt)] = thumbnails(response)
    assert alt == "بذور في الأيدي"
    assert empty_slot_inputs(response) == ["photo_2", "alt_2"]
    # Stored privately, served through the view that checks who asks.
    image = Image.objects.get(title="IMG_0001.jpg")
    assert image.file.name.startswith("private/") and src.startswith("/ar/space/photos/")
    thumbnail = client.get(src)
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    with PILImage.open(io.BytesIO(b"".join(thumbnail.streaming_content))) as picture:
        assert picture.size == (192, 192)
    assert not stories_of(leader).exists()

    # Saved: the photo is in the story; the leader is told it is a draft.
    saved = client.post(url("story_new"), {**shown, "title": "بذور", "consent": "on", "save": ""})
    assert saved.status_code == 302 and saved["Location"] == url("space")
    [message] = get_messages(saved.wsgi_request)
    assert "draft" in message.message or "مسودة" in message.message
    story = stories_of(leader).get().get_latest_revision_as_object()
    assert story.hero_image == image and story.hero_image_alt == "بذور في الأيدي"


@pytest.mark.django_db
def test_thumbnails_are_for_their_leader_and_staff_only(
    client, django_user_model, admin_user, leader, reviewer, campaign
):
    client.force_login(leader)
    response = client.post(
        url("story_new"),
        story_data(campaign, photo_1=photo(), alt_1="x", add_photo="1"),
    )
    [(src, _alt)] = thumbnails(response)
    other = make_leader(django_user_model, "bruno", campaign, language="fr")
    for who in (None, other):
        client.logout()
        if who:
            client.force_login(who)
        assert client.get(src).status_code == 404, who
    for who in (leader, reviewer, admin_user):
        client.force_login(who)
        assert client.get(src).status_code == 200, who


@pytest.mark.django_db
def test_photos_are_removed_one_at_a_time_and_keep_their_order(client, leader, campaign):
    client.force_login(leader)
    data = story_data(campaign)
    response = None
    for number, (name, alt) in enumerate(
        [("a.jpg", "الأولى"), ("b.png", "الثانية"), ("c.jpg", "الثالثة")], start=1
    ):
        data = form_data(response) if response else data
        upload = photo(name, fmt="PNG" if name.endswith("png") else "JPEG")
        response = client.post(
            url("story_new"),
            {**data, f"photo_{number}": upload, f"alt_{number}": alt, "add_photo": str(number)},
        )
        assert response.status_code == 200
    assert [alt for _src, alt in thumbnails(response)] == ["الأولى", "الثانية", "الثالثة"]
    page = soup_of(response)
    assert [button["name"] for button in page.select(".story-photo__remove")] == [
        "remove_1",
        "remove_2",
        "remove_3",
    ]

    # "Remove photo 1": the form comes back without it, the others renumbered in order.
    response = client.post(url("story_new"), {**form_data(response), "remove_1": "on"})
    assert response.status_code == 200
    assert [alt for _src, alt in thumbnails(response)] == ["الثانية", "الثالثة"]
    assert empty_slot_inputs(response) == ["photo_3", "alt_3"]
    assert form_data(response)["title"] == "افتتاح الحديقة"
    # A new photo goes after them.
    data = form_data(response)
    response = client.post(
        url("story_new"),
        {**data, "photo_3": photo("d.jpg"), "alt_3": "الرابعة", "add_photo": "3"},
    )
    assert [alt for _src, alt in thumbnails(response)] == ["الثانية", "الثالثة", "الرابعة"]
    client.post(url("story_new"), {**form_data(response), "save": ""})
    gallery = stories_of(leader).get().get_latest_revision_as_object().body[-1].value["images"]
    assert [(item["image"].title, item["alt_text"]) for item in gallery] == [
        ("b.png", "الثانية"),
        ("c.jpg", "الثالثة"),
        ("d.jpg", "الرابعة"),
    ]


@pytest.mark.django_db
@override_settings(STORY_MAX_PHOTOS=2)
def test_no_empty_slot_once_the_story_has_all_its_photos(client, leader, campaign):
    client.force_login(leader)
    response = client.post(
        url("story_new"), story_data(campaign, photo_1=photo(), alt_1="1", add_photo="1")
    )
    response = client.post(
        url("story_new"),
        {**form_data(response), "photo_2": photo(), "alt_2": "2", "add_photo": "2"},
    )
    assert len(thumbnails(response)) == 2
    assert empty_slot_inputs(response) == []
    page = soup_of(response)
    assert not page.select("input[type=file]") and not page.select("button[name=add_photo]")
    with translation.override("ar"):
        expected = translation.ngettext(
            "Your story has %(counter)s photo, the most it can have: remove one to add another.",
            "Your story has %(counter)s photos, the most it can have: remove one to add another.",
            2,
        ) % {"counter": 2}
    assert page.select_one(".story-photos > p.help").get_text() == expected
    # A third file sent anyway (not from this page) is refused, nothing else is lost.
    third = client.post(
        url("story_new"), {**form_data(response), "photo_3": photo(), "alt_3": "3", "save": ""}
    )
    assert third.status_code == 400
    assert len(thumbnails(third)) == 2 and not stories_of(leader).exists()


@pytest.mark.django_db
def test_errors_keep_what_was_typed_and_the_photos(client, leader, campaign):
    client.force_login(leader)
    images_before = Image.objects.count()
    # A file that is not a photo, added: only its own error, in the empty slot.
    bad = SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(
        url("story_new"),
        story_data(campaign, title="", photo_1=bad, alt_1="ملاحظات", add_photo="1"),
    )
    assert response.status_code == 400
    page = soup_of(response)
    errors = page.select(".field-error")
    assert len(errors) == 1 and page.select_one("#id_photo_1_error") is not None
    assert page.select_one("#id_photo_1")["aria-describedby"].split() == [
        "id_photo_1_helptext",
        "id_photo_1_error",
    ]
    assert form_data(response)["alt_1"] == "ملاحظات" and Image.objects.count() == images_before

    # Saved with a good photo in the empty slot but no title: the photo is kept (added),
    # the title's error shows next to it, the text is still there.
    response = client.post(
        url("story_new"),
        story_data(campaign, title="", photo_1=photo("kept.jpg"), alt_1="ملاحظات", save=""),
    )
    assert response.status_code == 400
    page = soup_of(response)
    assert page.select_one("[role=alert]")
    assert page.select_one("#id_title_error").get_text(strip=True)
    assert page.select_one("#id_title")["aria-invalid"] == "true"
    assert [alt for _src, alt in thumbnails(response)] == ["ملاحظات"]
    assert empty_slot_inputs(response) == ["photo_2", "alt_2"]
    data = form_data(response)
    assert data["text"].replace("\r\n", "\n") == TEXT
    # A kept photo without its description: the error is next to its field.
    response = client.post(url("story_new"), {**data, "alt_1": "", "title": "ت", "save": ""})
    assert response.status_code == 400
    assert soup_of(response).select_one("#id_alt_1_error").get_text(strip=True)
    response = client.post(url("story_new"), {**data, "title": "ت", "save": ""})
    assert response.status_code == 302
    assert stories_of(leader).get().get_latest_revision_as_object().hero_image.title == "kept.jpg"


@pytest.mark.django_db
def test_add_this_photo_without_a_file_says_so(client, leader, campaign):
    client.force_login(leader)
    response = client.post(url("story_new"), story_data(campaign, add_photo="1"))
    assert response.status_code == 400
    assert soup_of(response).select_one("#id_photo_1_error").get_text(strip=True)
    assert form_data(response)["title"] == "افتتاح الحديقة"


@pytest.mark.django_db
def test_enter_in_a_text_field_saves_it_never_removes_a_photo(client, leader, campaign):
    """Browsers send the form's first submit button when Enter is pressed in a field."""
    client.force_login(leader)
    response = client.post(
        url("story_new"), story_data(campaign, photo_1=photo(), alt_1="x", add_photo="1")
    )
    first_button = soup_of(response).select_one("form.story-form button[type=submit]")
    assert not first_button.has_attr("name")  # it sends no action: saving
    saved = client.post(url("story_new"), form_data(response))
    assert saved.status_code == 302
    assert stories_of(leader).get().get_latest_revision_as_object().hero_image is not None


@pytest.mark.django_db
def test_one_help_text_about_photos_taken_from_the_settings(client, leader, campaign):
    client.force_login(leader)
    with translation.override("fr"):
        address = reverse("stories:story_new")
    page = client.get(address)
    photo_help = soup_of(page).select_one("#id_photo_1_helptext").get_text()
    # The settings' formats, size and pixels, written as French does (Babel's lists of
    # alternatives, Django's file sizes).
    with translation.override("fr"):
        size = filesizeformat(settings.STORY_PHOTO_MAX_BYTES)
    assert size == "10,0\xa0Mio"
    assert photo_help.startswith("GIF, JPEG, PNG ou WebP, ") and size in photo_help
    assert str(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000) in photo_help
    body = page.content.decode()
    assert "Supported formats" not in body and "Formats supportés" not in body
    assert body.count("10,0") == 1  # said once
    file_input = soup_of(page).select_one("#id_photo_1")
    assert file_input["accept"] == "image/gif,image/jpeg,image/png,image/webp"

    with override_settings(
        STORY_PHOTO_MAX_BYTES=2 * 1024 * 1024, WAGTAILIMAGES_EXTENSIONS=["jpg", "jpeg", "png"]
    ):
        page = client.get(address)
        photo_help = soup_of(page).select_one("#id_photo_1_helptext").get_text()
        assert "2,0" in photo_help and "10,0" not in photo_help
        assert photo_help.startswith("JPEG ou PNG, ")
        big = io.BytesIO()
        PILImage.new("RGB", (10, 10)).save(big, format="PNG")
        too_big = SimpleUploadedFile("grande.png", big.getvalue() + b"\0" * (3 * 1024 * 1024))
        response = client.post(
            address, story_data(campaign, photo_1=too_big, alt_1="x", add_photo="1")
        )
        assert response.status_code == 400
        error = soup_of(response).select_one("#id_photo_1_error").get_text(strip=True)
        assert "2,0" in error, error
        response = client.post(
            address,
            story_data(campaign, photo_1=photo("a.webp", fmt="WEBP"), alt_1="x", add_photo="1"),
        )
        error = soup_of(response).select_one("#id_photo_1_error").get_text(strip=True)
        assert "JPEG ou PNG" in error, error


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_leader_writes_a_story_with_two_photos_in_their_language(
    client, django_user_model, campaign, story_index, language
):
    leader = make_leader(django_user_model, f"leader_{language}", campaign, language=language)
    client.force_login(leader)
    address = url("story_new", language=language)
    page = client.get(address)
    assert soup_of(page).select_one("html")["lang"] == language
    data = {**form_data(page), "title": f"Titre {language}", "text": "Un.\n\nDeux."}
    assert data["language"] == language  # the language the leader reads the site in
    response = client.post(
        address, {**data, "photo_1": photo("un.jpg"), "alt_1": "Un", "add_photo": "1"}
    )
    assert response.status_code == 200 and len(thumbnails(response)) == 1
    assert thumbnails(response)[0][0].startswith(f"/{language}/space/photos/")
    # The second photo comes with "Submit": it is added too.
    data = form_data(response)
    response = client.post(
        address,
        {**data, "photo_2": photo("deux.png", fmt="PNG"), "alt_2": "Deux", "consent": "on"}
        | {"submit": ""},
    )
    assert response.status_code == 302
    story = stories_of(leader).get()
    assert story.locale.language_code == language
    draft = story.get_latest_revision_as_object()
    assert [(i["image"].title, i["alt_text"]) for i in draft.body[-1].value["images"]] == [
        ("un.jpg", "Un"),
        ("deux.png", "Deux"),
    ]
    assert story.current_workflow_state is not None  # submitted for review

    page = client.get(url("story_edit", story.pk, language=language))
    assert page.status_code == 409  # in review: locked


@pytest.mark.django_db
def test_old_posts_with_several_photos_at_once_still_work(client, leader, campaign):
    client.force_login(leader)
    data = story_data(campaign, photo_1=photo("a.jpg"), photo_2=photo("b.jpg"))
    assert client.post(url("story_new"), data).status_code == 302
    gallery = stories_of(leader).get().get_latest_revision_as_object().body[-1].value["images"]
    assert [item["image"].title for item in gallery] == ["a.jpg", "b.jpg"]


@pytest.mark.django_db
def test_editing_shows_the_kept_photos_then_one_empty_slot(client, leader, campaign):
    client.force_login(leader)
    client.post(url("story_new"), story_data(campaign, photo_1=photo("a.jpg"), alt_1="أ"))
    story = stories_of(leader).get()
    response = client.get(url("story_edit", story.pk))
    assert [alt for _src, alt in thumbnails(response)] == ["أ"]
    assert empty_slot_inputs(response) == ["photo_2", "alt_2"]
    # Removing the only photo, then saving, leaves a story without photos.
    response = client.post(url("story_edit", story.pk), {**form_data(response), "remove_1": "on"})
    assert thumbnails(response) == [] and empty_slot_inputs(response) == ["photo_1", "alt_1"]
    assert (
        client.post(url("story_edit", story.pk), {**form_data(response), "save": ""}).status_code
        == 302
    )
    assert stories_of(leader).get().get_latest_revision_as_object().hero_image is None


# The sign-in pages


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_sign_in_fields_have_the_right_autocomplete_and_errors_next_to_them(client, language):
    with translation.override(language):
        login = reverse("stories:login")
        reset = reverse("stories:password_reset")
    page = soup_of(client.get(login))
    assert page.select_one("input[name=username]")["autocomplete"] == "username"
    password = page.select_one("input[name=password]")
    assert password["type"] == "password" and password["autocomplete"] == "current-password"
    response = client.post(login, {"username": "", "password": ""})
    page = soup_of(response)
    for name in ("username", "password"):
        field = page.select_one(f"input[name={name}]")
        assert field["aria-invalid"] == "true"
        error = page.select_one(f"#{field['id']}_error")
        assert error.get_text(strip=True) and error.find_parent(class_="form-field") is not None
        assert field.find_parent(class_="form-field") is error.find_parent(class_="form-field")
    email = soup_of(client.get(reset)).select_one("input[name=email]")
    assert email["autocomplete"] == "email" and email["type"] == "email"


@pytest.mark.django_db
def test_choosing_a_password_asks_for_a_new_password(client, leader):
    with translation.override("fr"):
        address = reverse(
            "stories:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(leader.pk)),
                "token": default_token_generator.make_token(leader),
            },
        )
    page = soup_of(client.get(address, follow=True))
    for name in ("new_password1", "new_password2"):
        field = page.select_one(f"input[name={name}]")
        assert field["type"] == "password" and field["autocomplete"] == "new-password"
