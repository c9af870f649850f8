"""Uploaded images: no hidden personal data, no pixel bombs, private until published.

- Every image saved with a new file (project leaders' space, Wagtail admin, factories, scripts)
  is re-encoded by :func:`strip_uploaded_image` (a ``pre_save`` handler on Wagtail's image
  model): EXIF (GPS, camera, dates), XMP, IPTC, comments and PNG text chunks are dropped, the
  EXIF orientation is applied to the pixels first, the colour profile is kept. Renditions are
  made from that clean original, so they have nothing to copy.
- The stored file gets a random name: a public media URL says nothing about the uploaded name
  and cannot be guessed.
- Photos a project leader uploads are private (:func:`new_private_image`): their original and
  renditions live under ``private/`` in the media storage, whose URLs go through a view that
  serves them to their uploader and to staff (``settings.PRIVATE_MEDIA_URL_NAME``). When a
  page using them is published they move to the public media (:func:`publish_page_images`).
  Production must not serve ``<media>/private/`` directly (docs/deployment.md).
"""

import mimetypes
import posixpath
import secrets
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.utils.file import hash_filelike

from PIL import Image as PILImage
from PIL import ImageOps

PRIVATE_PREFIX = "private/"
# A stored name starting with this marker belongs under PRIVATE_PREFIX, renditions included
# (Wagtail names a rendition after its original's file name).
PRIVATE_MARKER = "private-"

# Pillow's format → (format to save, file extension). Anything else is refused.
SAVED_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "MPO": ("JPEG", "jpg"),  # phones' multi-picture JPEGs: the main picture only
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
    "GIF": ("GIF", "gif"),
}
JPEG_QUALITY = 90  # re-encoding an original: close to the upload, renditions compress further


def max_pixels():
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def too_many_pixels_message():
    """The translated refusal of a picture above the pixel cap, naming the cap."""
    megapixels = max_pixels() // 1_000_000
    # A 3:2 photo at the cap, as a reader can check it in their phone's settings.
    width = int((max_pixels() * 3 / 2) ** 0.5)
    return _(
        "This photo has too many pixels: at most %(megapixels)s million (for example "
        "%(width)s × %(height)s). Please send a smaller copy."
    ) % {"megapixels": megapixels, "width": width, "height": max_pixels() // width}


def reencode_without_metadata(file):
    """Return ``(bytes, extension)``: the picture in ``file`` saved again in its own format
    with none of its metadata, its EXIF orientation applied and its colour profile kept.

    Raises ValidationError for a file Pillow cannot read, a format outside SAVED_FORMATS, or
    more pixels than WAGTAILIMAGES_MAX_IMAGE_PIXELS (forms check these first, with the same
    limits; this guards every other way in).
    """
    file.seek(0)
    try:
        source = PILImage.open(file)
        source_format = source.format
        if source_format not in SAVED_FORMATS:
            raise ValidationError(_("Please send a JPEG, PNG, WebP or GIF image."))
        if source.width * source.height * getattr(source, "n_frames", 1) > max_pixels():
            raise ValidationError(too_many_pixels_message())
        output_format, extension = SAVED_FORMATS[source_format]
        options = {}
        if source.info.get("icc_profile"):
            options["icc_profile"] = source.info["icc_profile"]
        if getattr(source, "n_frames", 1) > 1 and output_format in {"GIF", "WEBP"}:
            # Animations keep their frames and timing; they carry no orientation.
            picture = source
            options.update(save_all=True, loop=source.info.get("loop", 0))
            if "duration" in source.info:
                options["duration"] = source.info["duration"]
        else:
            picture = ImageOps.exif_transpose(source)
        if "transparency" in source.info and picture.mode in {"P", "L", "RGB"}:
            options["transparency"] = source.info["transparency"]
        if output_format == "JPEG":
            options.update(quality=JPEG_QUALITY, comment=b"")  # Pillow copies the comment
        elif output_format == "WEBP":
            # method 0: the fastest encoder, half the CPU of the default for the same size.
            options.update(quality=JPEG_QUALITY, method=0)
        elif output_format == "PNG":
            # zlib's fastest level: a 12-million-pixel photo in 1 s instead of 5 s.
            options["compress_level"] = 1
        elif output_format == "GIF":
            options["comment"] = b""  # Pillow would copy the frames' comments otherwise
        output = BytesIO()
        # Only what is passed here is written: no exif=, xmp=, pnginfo=, comment text.
        picture.save(output, output_format, **options)
    except PILImage.DecompressionBombError as error:
        raise ValidationError(too_many_pixels_message()) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("This file is not an image we can read.")) from error
    return output.getvalue(), extension


def strip_uploaded_image(sender, instance, raw=False, **kwargs):
    """``pre_save`` of the image model: re-encode a new file without metadata under a random
    name (private if ``instance.keep_private``); file size and hash follow the new bytes."""
    file = instance.file
    if raw or not file or getattr(file, "_committed", True):
        return
    data, extension = reencode_without_metadata(file)
    marker = PRIVATE_MARKER if getattr(instance, "keep_private", False) else ""
    # Assigning the file also sets width and height, which the orientation may have swapped.
    instance.file = ContentFile(data, name=f"{marker}{secrets.token_hex(16)}.{extension}")
    instance.file_size = len(data)
    instance.file_hash = hash_filelike(BytesIO(data))


def has_metadata(file):
    """True if the picture in ``file`` carries EXIF, XMP, IPTC, a comment or PNG text."""
    file.seek(0)
    with PILImage.open(file) as picture:
        return bool(
            picture.getexif()
            or {"exif", "xmp", "comment", "photoshop", "XML:com.adobe.xmp"} & set(picture.info)
            or getattr(picture, "text", None)
        )


def strip_stored_image(image):
    """Re-encode an image stored before uploads were cleaned, if it carries metadata: a new
    random name (private stays private), its renditions deleted. Returns True if it did.

    Raises ValidationError (as reencode_without_metadata) for a file it cannot re-encode.
    """
    with image.open_file() as file:
        if not has_metadata(file):
            return False
        data, extension = reencode_without_metadata(file)
    old_name = image.file.name
    marker = PRIVATE_MARKER if is_private(old_name) else ""
    image.file.save(f"{marker}{secrets.token_hex(16)}.{extension}", ContentFile(data), save=False)
    with PILImage.open(BytesIO(data)) as picture:
        image.width, image.height = picture.size  # the orientation may have swapped them
    image.file_size = len(data)
    image.file_hash = hash_filelike(BytesIO(data))
    image.save()
    image.renditions.all().delete()  # Wagtail deletes their files once committed
    storage = image.file.storage
    transaction.on_commit(lambda: storage.delete(old_name))
    return True


def new_private_image(upload, title, user):
    """Save ``upload`` (an uploaded file) as a private image of ``user``: served only to them
    and to staff until a page using it is published. Returns the saved image."""
    image = get_image_model()(title=title[:255], uploaded_by_user=user)
    image.keep_private = True
    image.file = upload
    image.save()
    return image


def is_private(name):
    return name.startswith(PRIVATE_PREFIX)


def image_for_private_file(name):
    """The image whose original or rendition is stored as ``name`` (a private name), or None."""
    if not is_private(name):
        return None
    Image = get_image_model()
    image = Image.objects.filter(file=name).first()
    if image is None:
        rendition = (
            Image.get_rendition_model().objects.filter(file=name).select_related("image").first()
        )
        image = rendition.image if rendition else None
    return image


def may_see_private_image(user, image):
    """True for the user who uploaded ``image`` and for staff (anyone who may use the Wagtail
    admin: the reviewers of a story must see its photos, as must editors choosing images)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return image.uploaded_by_user_id == user.pk or user.has_perm("wagtailadmin.access_admin")


def content_type(name):
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def make_public(image):
    """Move a private image's original to the public media under its own random name, and
    drop its renditions (they are made again, public, when next asked for)."""
    name = image.file.name
    if not is_private(name):
        return
    storage = image.file.storage
    directory, base = posixpath.split(name.removeprefix(PRIVATE_PREFIX))
    public_name = posixpath.join(directory, base.removeprefix(PRIVATE_MARKER))
    with storage.open(name) as private_file:
        public = storage.save(public_name, private_file)
    type(image).objects.filter(pk=image.pk).update(file=public)
    image.file.name = public
    image.renditions.all().delete()  # Wagtail deletes their files once committed
    # The old file goes once the new name is committed; a rollback keeps it in use.
    transaction.on_commit(lambda: storage.delete(name))


def publish_page_images(sender, instance, **kwargs):
    """``page_published``: the private images the published page uses become public."""

    Image = get_image_model()
    image_type = ReferenceIndex._get_base_content_type(Image)
    # Read from the page itself: the reference index is updated by a task, maybe later.
    ids = {
        object_id
        for content_type_id, object_id, *_path in ReferenceIndex._extract_references_from_object(
            instance.specific
        )
        if content_type_id == image_type.pk
    }
    for image in Image.objects.filter(pk__in=ids, file__startswith=PRIVATE_PREFIX):
        make_public(image)


class PrivateMediaMixin:
    """For the default media storage: names carrying PRIVATE_MARKER are stored under
    PRIVATE_PREFIX, and their URL is the permission-checking view's, never the media URL."""

    def generate_filename(self, filename):
        filename = super().generate_filename(filename)
        if posixpath.basename(filename).startswith(PRIVATE_MARKER) and not is_private(filename):
            filename = PRIVATE_PREFIX + filename
        return filename

    def url(self, name):
        if name and is_private(name):
            return reverse(
                settings.PRIVATE_MEDIA_URL_NAME, kwargs={"name": name.removeprefix(PRIVATE_PREFIX)}
            )
        return super().url(name)


# Loaded as the default storage, possibly while the models load: wagtail.models and the image
# permission policy are imported inside the functions above that need them.
class MediaStorage(PrivateMediaMixin, FileSystemStorage):
    """The media folder (MEDIA_ROOT) with private names kept behind the view."""
