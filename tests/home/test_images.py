"""Uploaded images keep no metadata (GPS, camera, dates, XMP, comments, PNG text), whoever
uploads them, in the original and every rendition; pictures over the pixel cap are refused."""

import re
from io import BytesIO, StringIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from wagtail.images.models import Image

import pytest
from PIL import ExifTags, PngImagePlugin
from PIL import Image as PILImage

from home.images import too_many_pixels_message
from stories.models import StoryPage
from tests.stories.helpers import story_data, url

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
# What must be found nowhere in a stored file: each of these was written by the phone.
TELLTALES = (b"Exif", b"eXIf", b"GPS", b"CameraMaker", b"PhoneModel", b"2024:05:01", b"xmpmeta")
COMMENT = b"chez Awa, 12 rue des Couronnes"


def phone_exif():
    """EXIF as a phone writes it: camera, date taken, GPS position, orientation 6 (the
    picture is stored lying on its side and shown turned 90 degrees clockwise)."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "CameraMaker"
    exif[ExifTags.Base.Model] = "PhoneModel X"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:01 10:20:30"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 7.0)
    return exif


def phone_picture():
    """80 × 60 as stored by the camera: left half blue, right half red."""
    picture = PILImage.new("RGB", (80, 60), "red")
    picture.paste((0, 0, 255), (0, 0, 40, 60))
    return picture


def photo_with_metadata(fmt="JPEG", name=None):
    """A real picture file of ``fmt`` carrying GPS EXIF, XMP and a comment or text chunk."""
    buffer = BytesIO()
    picture = phone_picture()
    if fmt == "JPEG":
        picture.save(buffer, "JPEG", exif=phone_exif(), xmp=XMP, comment=COMMENT)
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", COMMENT.decode())
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        picture.save(buffer, "PNG", pnginfo=info, exif=phone_exif())
    elif fmt == "WEBP":
        picture.save(buffer, "WEBP", exif=phone_exif(), xmp=XMP)
    else:
        picture.convert("P").save(buffer, "GIF", comment=COMMENT)
    data = buffer.getvalue()
    # The fixture itself must carry what the site has to remove.
    assert COMMENT in data or b"GPS" in data
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(
        name or f"IMG_20240501_chez_awa.{extension}", data, content_type=f"image/{fmt.lower()}"
    )


def assert_no_metadata(data, where):
    for telltale in (*TELLTALES, COMMENT):
        assert telltale not in data, f"{telltale!r} found in {where}"
    with PILImage.open(BytesIO(data)) as picture:
        exif = picture.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo), where
        assert not dict(exif), where
        assert not {"exif", "xmp", "comment", "Comment", "XML:com.adobe.xmp"} & set(picture.info)


def stored(name):
    with default_storage.open(name) as file:
        return file.read()


def assert_renditions_clean(image):
    for spec in ("width-40|format-jpeg", "fill-30x30", "width-40|format-webp", "max-50x50"):
        rendition = image.get_rendition(spec)
        assert_no_metadata(stored(rendition.file.name), f"rendition {spec}")


def assert_turned_upright(image):
    """Orientation 6 applied to the pixels: 60 wide, 80 high, the blue half on top."""
    assert (image.width, image.height) == (60, 80)
    with PILImage.open(BytesIO(stored(image.file.name))) as picture:
        assert picture.size == (60, 80)
        top, bottom = (
            picture.convert("RGB").getpixel((30, 10)),
            picture.convert("RGB").getpixel((30, 70)),
        )
    assert top[2] > 200 and top[0] < 60, top
    assert bottom[0] > 200 and bottom[2] < 60, bottom


@pytest.mark.django_db
def test_an_admin_upload_keeps_no_gps_in_the_original_or_its_renditions(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"), {"title": "Fête", "file": photo_with_metadata()}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get(title="Fête")
    original = stored(image.file.name)
    assert_no_metadata(original, "original")
    assert_turned_upright(image)
    assert image.file_size == len(original)
    assert_renditions_clean(image)
    # The stored name says nothing of the uploaded one, and cannot be guessed.
    assert "awa" not in image.file.name.lower() and "20240501" not in image.file.name
    assert re.fullmatch(r"original_images/[0-9a-f]{32}\.jpg", image.file.name), image.file.name


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_every_format_saved_by_any_path_loses_its_metadata(fmt):
    """Factories, scripts, the API: whatever saves an image model with a new file."""
    image = Image(title=fmt)
    image.file = photo_with_metadata(fmt)
    image.save()
    assert_no_metadata(stored(image.file.name), f"{fmt} original")
    assert_renditions_clean(image)
    if fmt in {"JPEG", "PNG", "WEBP"}:
        assert_turned_upright(image)


@pytest.mark.django_db
def test_a_leaders_photo_is_clean_on_the_published_story_and_in_the_api(
    client,
    leader,
    reviewer,
    campaign,
    story_index,
):
    client.force_login(leader)
    data = story_data(campaign, photo_1=photo_with_metadata(), photo_2=photo_with_metadata("PNG"))
    assert client.post(url("story_new"), {**data, "submit": "1"}).status_code == 302
    story = StoryPage.objects.get(owner=leader, alias_of__isnull=True)
    draft = story.get_latest_revision_as_object()
    photos = [item["image"] for item in draft.body[-1].value["images"]]
    for image in photos:
        assert_no_metadata(stored(image.file.name), "leader's original")
        assert_turned_upright(image)

    story.current_workflow_state.current_task_state.specific.approve(user=reviewer)
    client.logout()
    page = client.get(StoryPage.objects.get(pk=story.pk).get_url())
    assert page.status_code == 200
    media = set(re.findall(rf'{settings.MEDIA_URL}[^"\s,]+', page.content.decode()))
    assert len(media) >= 6  # hero and gallery, WebP and JPEG, several widths
    for media_url in media:
        assert_no_metadata(stored(media_url.removeprefix(settings.MEDIA_URL)), media_url)

    listed = client.get("/api/v2/images/").json()["items"]
    assert {item["id"] for item in listed} == {image.pk for image in photos}
    for image in photos:
        download = client.get(f"/api/v2/images/{image.pk}/").json()["meta"]["download_url"]
        assert download.startswith(settings.MEDIA_URL), download
        assert_no_metadata(stored(download.removeprefix(settings.MEDIA_URL)), download)


@pytest.mark.django_db
def test_reencoding_an_existing_original_cleans_it_and_its_renditions(
    django_capture_on_commit_callbacks,
):
    """Images stored before this change: the management command re-encodes them."""
    image = Image(title="old")
    image.file = photo_with_metadata()
    image.save()
    # Put back an original as it was stored before, metadata and all, with a JPEG rendition.
    default_storage.delete(image.file.name)
    default_storage.save(image.file.name, photo_with_metadata())
    Image.objects.filter(pk=image.pk).update(width=80, height=60)
    image.refresh_from_db()
    old_rendition = image.get_rendition("width-40|format-jpeg")
    assert b"CameraMaker" in stored(old_rendition.file.name)  # what the command is for

    output = StringIO()
    call_command("strip_image_metadata", stdout=output)
    assert output.getvalue().startswith("1 image(s) re-encoded")
    image.refresh_from_db()
    assert_no_metadata(stored(image.file.name), "re-encoded original")
    assert_turned_upright(image)
    assert not image.renditions.filter(pk=old_rendition.pk).exists()
    assert_renditions_clean(image)


def pixel_bomb():
    """The finding's bomb: 11 000 × 11 000 pixels (121 million) in a PNG of about 14 KB."""
    buffer = BytesIO()
    PILImage.new("1", (11_000, 11_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 20_000
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_a_pixel_bomb_from_a_leader_is_refused_naming_the_cap_and_keeping_the_rest(
    client,
    leader,
    campaign,
    story_index,
):
    client.force_login(leader)
    fine = photo_with_metadata()
    response = client.post(
        url("story_new"),
        story_data(campaign, title="Mon titre gardé", photo_1=pixel_bomb(), photo_2=fine),
    )
    assert response.status_code == 400
    html = response.content.decode()

    with translation.override("ar"):
        message = str(too_many_pixels_message())
    assert "32" in message and escape(message) in html
    assert "Mon titre gardé" in html  # what was typed comes back
    assert not StoryPage.objects.exists()
    # The good photo was stored (cleaned) and comes back signed in its slot: not sent again.
    kept = Image.objects.get()
    assert 'name="kept_2"' in html and kept.file.name.startswith("private/")
    assert Image.objects.count() == 1  # the bomb was never saved


@pytest.mark.django_db
def test_a_pixel_bomb_is_refused_in_the_admin_and_by_the_model(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"), {"title": "Bombe", "file": pixel_bomb()}
    )
    assert response.status_code == 200  # the form again, with Wagtail's message
    assert "32000000" in response.content.decode()
    image = Image(title="Bombe")
    image.file = pixel_bomb()
    with pytest.raises(ValidationError):
        image.save()
    assert not Image.objects.exists()
