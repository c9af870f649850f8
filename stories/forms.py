"""The story form of the project leaders' space: plain text and photos added one at a time.

Photos come one per "slot" (``photo_N``, ``alt_N``; a photo already sent travels back signed
in ``kept_N``, ``remove_N`` drops it), up to settings.STORY_MAX_PHOTOS. The page shows the
photos kept so far and one empty slot: see story_views.py for the "Add this photo" step.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField
from wagtail.images.models import Image
from wagtail.images.utils import get_allowed_image_extensions

from babel import Locale
from babel.lists import format_list

from helpers.emails import SingleLineField
from helpers.i18n import localize_pages
from home.images import max_pixels, new_private_image, too_many_pixels_message

from .access import leader_campaigns

KEPT_PHOTO_SALT = "stories.kept-photo"
KEPT_PHOTO_MAX_AGE = 3 * 24 * 3600  # seconds: a form left open over a weekend still works

# What people call each extension of WAGTAILIMAGES_EXTENSIONS, and its media type (the file
# picker's `accept`: an explicit list makes phones convert HEIC pictures to JPEG).
IMAGE_FORMATS = {
    "jpg": ("JPEG", "image/jpeg"),
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "webp": ("WebP", "image/webp"),
    "gif": ("GIF", "image/gif"),
    "avif": ("AVIF", "image/avif"),
    "heic": ("HEIC", "image/heic"),
}

# The accepted extensions, for forms that check them themselves (stories/news_forms.py);
# PhotoField below does it with the words of the help text.
PHOTO_EXTENSIONS = frozenset(get_allowed_image_extensions())


def photo_max_bytes():
    """The largest photo file a leader may send: STORY_PHOTO_MAX_BYTES, or Wagtail's upload
    limit (WAGTAILIMAGES_MAX_UPLOAD_SIZE) if that is lower."""
    limits = (
        settings.STORY_PHOTO_MAX_BYTES,
        getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None),
    )
    return min(limit for limit in limits if limit)


def photo_formats():
    """``(names, media types)`` of the accepted formats (WAGTAILIMAGES_EXTENSIONS), each once."""
    names, types = [], []
    for extension in get_allowed_image_extensions():
        name, media_type = IMAGE_FORMATS.get(extension, (extension.upper(), f"image/{extension}"))
        if name not in names:
            names.append(name)
            types.append(media_type)
    return names, types


def photo_formats_text():
    """The accepted formats as the reader's language lists alternatives: "JPEG, PNG ou GIF"."""
    locale = Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
    return format_list(photo_formats()[0], style="or", locale=locale)


def photo_help_text():
    """The one help text about photos: formats, file size and pixels, from the settings."""
    return _("%(formats)s, up to %(size)s and %(megapixels)s million pixels per photo.") % {
        "formats": photo_formats_text(),
        "size": filesizeformat(photo_max_bytes()),
        "megapixels": max_pixels() // 1_000_000,
    }


def photo_format_message():
    return _("Please send a photo in %(formats)s format.") % {"formats": photo_formats_text()}


def photo_size_message():
    return _("This photo is larger than %(size)s.") % {"size": filesizeformat(photo_max_bytes())}


def text_to_paragraphs(text):
    """Plain text → escaped paragraphs (a blank line separates two paragraphs)."""
    blocks = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def paragraphs_to_html(paragraphs):
    return [f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs]


class PhotoField(WagtailImageField):
    """Wagtail's image field (formats, size and pixels checked from the settings) speaking
    with the words of the story form's one help text, and without Wagtail's own help."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.help_text = ""
        self.max_upload_size = photo_max_bytes()
        self.widget.attrs["accept"] = ",".join(photo_formats()[1])
        # Wagtail applies "%" with its own figures to some messages: ours are complete.
        wrong_format = photo_format_message()
        too_large = photo_size_message()
        self.error_messages.update(
            invalid_image=wrong_format,
            invalid_image_extension=wrong_format,
            invalid_image_known_format=wrong_format.replace("%", "%%"),
            file_too_large=too_large.replace("%", "%%"),
            file_too_large_unknown_size=too_large,
            file_too_many_pixels=too_many_pixels_message().replace("%", "%%"),
        )


class StoryForm(forms.Form):
    """Language, campaign (the leader's own only), title, text, photos with alt text."""

    language = forms.ChoiceField(label=_("Language of the story"), choices=settings.LANGUAGES)
    campaign = forms.ChoiceField(label=_("Campaign"))
    title = SingleLineField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("Your story"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write as you speak. Leave an empty line between two paragraphs."),
    )
    consent = forms.BooleanField(
        label=_("The people who can be recognised in the photos agreed to their publication."),
        required=False,
    )

    def __init__(self, *args, user, kept_photos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["campaign"].choices = leader_campaign_choices(user)
        self.kept_photos = kept_photos or {}
        self.max_photos = settings.STORY_MAX_PHOTOS
        for number in range(1, self.max_photos + 1):
            self.fields[f"photo_{number}"] = PhotoField(
                label=_("Photo %(number)s") % {"number": number}, required=False
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=_("What the photo %(number)s shows") % {"number": number},
                # A kept photo needs its description (a new one too: see clean).
                required=number in self.kept_photos,
                error_messages={"required": _("Say in a few words what this photo shows.")},
                max_length=250,
            )
            self.fields[f"kept_{number}"] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            self.fields[f"remove_{number}"] = forms.BooleanField(
                label=_("Remove photo %(number)s") % {"number": number}, required=False
            )

    def kept_slots(self):
        """The photos kept so far, in order: dicts of number, image and the slot's fields."""
        return [
            {
                "number": number,
                "image": self.kept_photos[number],
                "alt": self[f"alt_{number}"],
                "kept": self[f"kept_{number}"],
                "remove": self[f"remove_{number}"],
            }
            for number in sorted(self.kept_photos)
        ]

    def empty_slot(self):
        """The slot where the next photo goes (number, file and alt fields, the file's help
        being the one help text about photos), or None when the story has all its photos."""
        free = [n for n in range(1, self.max_photos + 1) if n not in self.kept_photos]
        if not free:
            return None
        photo, alt = self[f"photo_{free[0]}"], self[f"alt_{free[0]}"]
        # On the bound fields: only this slot shows the help (and is described by it).
        photo.help_text = photo_help_text()
        alt.help_text = _("For people who cannot see it: one sentence is enough.")
        return {"number": free[0], "photo": photo, "alt": alt}

    def clean(self):
        cleaned = super().clean()
        extra = [
            name
            for name in self.files
            if not name.startswith("photo_")
            or not name[6:].isdigit()
            or not 1 <= int(name[6:]) <= self.max_photos
        ]
        if extra:
            raise forms.ValidationError(
                _("A story can have at most %(count)s photos.") % {"count": self.max_photos}
            )
        has_photo = False
        for number in range(1, self.max_photos + 1):
            if cleaned.get(f"remove_{number}"):
                self.kept_photos.pop(number, None)
                self.errors.pop(f"alt_{number}", None)  # a removed photo needs no description
            if f"photo_{number}" in self.errors:
                continue
            if cleaned.get(f"photo_{number}") or number in self.kept_photos:
                has_photo = True
                if not cleaned.get(f"alt_{number}") and f"alt_{number}" not in self.errors:
                    self.add_error(f"alt_{number}", _("Say in a few words what this photo shows."))
        if has_photo and not cleaned.get("consent"):
            self.add_error("consent", _("Please confirm that the people in the photos agreed."))
        return cleaned

    def paragraphs(self):
        return text_to_paragraphs(self.cleaned_data["text"])


def sign_kept_photo(image, user):
    return signing.dumps({"image": image.pk, "user": user.pk}, salt=KEPT_PHOTO_SALT)


def unsign_kept_photo(value, user):
    """The image id this user was handed back (an earlier attempt, or the story being
    edited), or None if forged or older than KEPT_PHOTO_MAX_AGE."""
    try:
        data = signing.loads(value, salt=KEPT_PHOTO_SALT, max_age=KEPT_PHOTO_MAX_AGE)
    except signing.BadSignature:
        return None
    return data["image"] if data.get("user") == user.pk else None


def kept_photos_from(data, user, count):
    """The photos handed back signed in ``data`` (an earlier attempt of the form, or the
    page being edited), by slot number 1..``count``; a forged or foreign signature is
    ignored. The signature, bound to this user, is the permission: the server only signs
    the leader's own uploads and the photos already in the page they are editing."""

    ids = {}
    for number in range(1, count + 1):
        image_id = unsign_kept_photo(data.get(f"kept_{number}", ""), user)
        if image_id:
            ids[number] = image_id
    images = Image.objects.in_bulk(ids.values())
    return {number: images[pk] for number, pk in ids.items() if pk in images}


def keep_valid_photos(form, user, count):
    """After a failed submission, store the photos (slots 1..``count``) that were fine so
    the leader does not send them again; their ids travel back signed in hidden fields."""
    data = form.data.copy()
    for number in range(1, count + 1):
        photo = form.cleaned_data.get(f"photo_{number}") if hasattr(form, "cleaned_data") else None
        if photo and f"photo_{number}" not in form.errors:
            image = new_private_image(photo, photo.name[:200], user)
            form.kept_photos[number] = image
            data[f"kept_{number}"] = sign_kept_photo(image, user)
    form.data = data


def leader_campaign_choices(user):
    """(translation key, title) of the campaigns ``user`` leads, each under its title in the
    reading language where it has one."""
    campaigns = list(leader_campaigns(user))
    localized = localize_pages(campaigns)
    return [
        (str(page.translation_key), (localized.get(page.id) or page).title) for page in campaigns
    ]
