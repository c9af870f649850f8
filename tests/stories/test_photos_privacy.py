"""Photos of a story not yet published are served only to the leader who sent them and to
staff, never at a public media URL; published, they are public under a name nobody could
derive from the uploaded one."""

import importlib.util
import re
import sys

from django.conf import settings
from django.core.files.storage import default_storage

import pytest

from stories.models import StoryPage
from tests.stories.helpers import make_leader, photo, story_data, url


def photos_of(story):
    gallery = story.get_latest_revision_as_object().body[-1]
    return [item["image"] for item in gallery.value["images"]]


def served(client, address):
    response = client.get(address)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


@pytest.fixture
def story_in_review(client, leader, campaign, story_index):
    client.force_login(leader)
    data = story_data(
        campaign, photo_1=photo("IMG_4471_garden.jpg"), photo_2=photo("awa-home.png", fmt="PNG")
    )
    assert client.post(url("story_new"), {**data, "submit": "1"}).status_code == 302
    client.logout()
    return StoryPage.objects.get(owner=leader, alias_of__isnull=True)


def private_addresses(image):
    """The original's and two renditions' URLs, as the site hands them out."""
    return [
        image.file.url,
        image.get_rendition("width-480|format-webp").url,
        image.get_rendition("width-480|format-jpeg").url,
    ]


@pytest.mark.django_db
def test_photos_of_a_story_in_review_are_served_to_its_leader_and_staff_only(
    client, django_user_model, admin_user, leader, reviewer, story_in_review
):
    images = photos_of(story_in_review)
    assert len(images) == 2
    addresses = [address for image in images for address in private_addresses(image)]
    for image in images:
        assert image.file.name.startswith("private/original_images/")
        assert image.renditions.count() == 2
        assert all(r.file.name.startswith("private/images/") for r in image.renditions.all())
    for address in addresses:
        # Not a media URL: no web server or bucket hands these files out.
        assert not address.startswith(settings.MEDIA_URL), address
        assert "IMG_4471" not in address and "awa" not in address.lower()

    other_leader = make_leader(django_user_model, "bruno", campaign=None, language="fr")
    for who in (None, other_leader):
        if who:
            client.force_login(who)
        for address in addresses:
            assert served(client, address)[0] == 404, (who, address)
        client.logout()

    for who in (leader, reviewer, admin_user):
        client.force_login(who)
        for image in images:
            status, body = served(client, image.file.url)
            assert status == 200, (who, image.file.url)
            with default_storage.open(image.file.name) as file:
                assert body == file.read()
            response = client.get(image.get_rendition("width-480|format-webp").url)
            assert response.status_code == 200
            assert response["Content-Type"] == "image/webp"
            assert "private" in response["Cache-Control"]
        client.logout()


@pytest.mark.django_db
def test_the_leaders_preview_shows_the_photos_through_the_checking_view(
    client, leader, story_in_review
):
    client.force_login(leader)
    preview = client.get(url("story_preview", story_in_review.pk))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert settings.MEDIA_URL not in html
    photo_urls = set(re.findall(r'"(/[a-z-]+/space/photos/[^"\s,]+)', html))
    photo_urls |= set(re.findall(r"(/[a-z-]+/space/photos/[^\"\s,]+) \d+w", html))
    assert len(photo_urls) >= 4, html
    for address in photo_urls:
        assert served(client, address)[0] == 200, address
    client.logout()
    for address in photo_urls:
        assert served(client, address)[0] == 404, address


@pytest.mark.django_db
def test_published_photos_become_public_under_unguessable_names(
    client, leader, reviewer, story_in_review, django_capture_on_commit_callbacks
):
    images = photos_of(story_in_review)
    private_urls = [address for image in images for address in private_addresses(image)]
    private_files = [image.file.name for image in images]
    with django_capture_on_commit_callbacks(execute=True):
        story_in_review.current_workflow_state.current_task_state.specific.approve(user=reviewer)

    for image in images:
        image.refresh_from_db()
        assert re.fullmatch(r"original_images/[0-9a-f]{32}\.(jpg|png)", image.file.name)
        assert image.file.url == settings.MEDIA_URL + image.file.name
        assert default_storage.exists(image.file.name)
    assert not any(default_storage.exists(name) for name in private_files)
    client.force_login(leader)
    for address in private_urls:
        assert served(client, address)[0] == 404, address
    client.logout()

    page = client.get(StoryPage.objects.get(pk=story_in_review.pk).get_url()).content.decode()
    assert "/space/photos/" not in page
    media = set(re.findall(rf'{settings.MEDIA_URL}[^"\s,]+', page))
    assert len(media) >= 4
    for address in media:
        assert default_storage.exists(address.removeprefix(settings.MEDIA_URL)), address
        assert "/private/" not in address
    api = client.get("/api/v2/images/").json()["items"]
    assert {item["id"] for item in api} == {image.pk for image in images}


@pytest.mark.django_db
def test_unknown_or_public_names_are_not_served_by_the_private_view(client, admin_user):
    client.force_login(admin_user)
    for name in ("original_images/nothing.jpg", "../../cocity/settings/base.py", "x"):
        assert client.get(f"/fr/space/photos/{name}").status_code == 404


@pytest.mark.django_db
def test_the_development_server_never_serves_the_private_media(settings, tmp_path, client):
    """`make run` (DEBUG) serves /media/ itself: not its private/ folder."""
    (tmp_path / "private" / "original_images").mkdir(parents=True)
    (tmp_path / "private" / "original_images" / "secret.jpg").write_bytes(b"private photo")
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "shown.jpg").write_bytes(b"public photo")
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path)
    spec = importlib.util.spec_from_file_location(
        "debug_urls", importlib.util.find_spec("cocity.urls").origin
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the URLs as the dev settings build them
    sys.modules["debug_urls"] = module
    try:
        settings.ROOT_URLCONF = "debug_urls"
        assert served(client, "/media/original_images/shown.jpg") == (200, b"public photo")
        assert served(client, "/media/private/original_images/secret.jpg")[0] == 404
    finally:
        del sys.modules["debug_urls"]
