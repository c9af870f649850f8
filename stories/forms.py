"""The story form of the project leaders' space: plain text and up to six photos."""

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField

from home.emails import SingleLineField
from home.i18n import localize_pages
from home.images import too_many_pixels_message

from .access import leader_campaigns

PHOTO_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
KEPT_PHOTO_SALT = "stories.kept-photo"
KEPT_PHOTO_MAX_AGE = 3 * 24 * 3600  # seconds: a form left open over a weekend still works


def text_to_paragraphs(text):
    """Plain text → escaped paragraphs (a blank line separates two paragraphs)."""
    blocks = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def paragraphs_to_html(paragraphs):
    return [f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs]


class StoryForm(forms.Form):
    """Language, campaign (the leader's own only), title, text, photos with alt text."""

    language = forms.ChoiceField(label=_("Language of the story"), choices=settings.LANGUAGES)
    campaign = forms.ChoiceField(label=_("Campaign"))
    title = SingleLineField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("Your story"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Write as you speak. Leave an empty line between two paragraphs."),
    )
    consent = forms.BooleanField(
        label=_("The people who can be recognised in the photos agreed to their publication."),
        required=False,
    )

    def __init__(self, *args, user, kept_photos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        campaigns = list(leader_campaigns(user))
        # Each campaign under its title in the leader's reading language, where it has one.
        localized = localize_pages(campaigns)
        self.fields["campaign"].choices = [
            (str(page.translation_key), (localized.get(page.id) or page).title)
            for page in campaigns
        ]
        self.kept_photos = kept_photos or {}
        for number in range(1, settings.STORY_MAX_PHOTOS + 1):
            self.fields[f"photo_{number}"] = WagtailImageField(
                label=_("Photo %(number)s") % {"number": number}, required=False
            )
            # Wagtail checks WAGTAILIMAGES_MAX_IMAGE_PIXELS; say it in the leader's words. The
            # message is complete: Wagtail's "%" with its own figures leaves it as it is.
            self.fields[f"photo_{number}"].error_messages["file_too_many_pixels"] = (
                too_many_pixels_message().replace("%", "%%")
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=_("What the photo %(number)s shows") % {"number": number},
                required=False,
                max_length=250,
                help_text=_("For people who cannot see it: one sentence is enough."),
            )
            self.fields[f"kept_{number}"] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            self.fields[f"remove_{number}"] = forms.BooleanField(
                label=_("Remove this photo"), required=False
            )

    def photo_slots(self):
        """(photo, alt, kept, remove fields, kept image) for each of the six slots."""
        return [
            (
                self[f"photo_{number}"],
                self[f"alt_{number}"],
                self[f"kept_{number}"],
                self[f"remove_{number}"],
                self.kept_photos.get(number),
            )
            for number in range(1, settings.STORY_MAX_PHOTOS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        extra = [
            name
            for name in self.files
            if not name.startswith("photo_")
            or not name[6:].isdigit()
            or not 1 <= int(name[6:]) <= settings.STORY_MAX_PHOTOS
        ]
        if extra:
            raise forms.ValidationError(
                _("A story can have at most %(count)s photos.")
                % {"count": settings.STORY_MAX_PHOTOS}
            )
        has_photo = False
        for number in range(1, settings.STORY_MAX_PHOTOS + 1):
            if cleaned.get(f"remove_{number}"):
                self.kept_photos.pop(number, None)
            photo = cleaned.get(f"photo_{number}")
            if photo and photo.name.rsplit(".", 1)[-1].lower() not in PHOTO_EXTENSIONS:
                self.add_error(f"photo_{number}", _("Please send a JPEG, PNG or WebP photo."))
                continue
            if photo and photo.size > settings.STORY_PHOTO_MAX_BYTES:
                self.add_error(f"photo_{number}", _("This photo is larger than 10 MB."))
                continue
            if photo or number in self.kept_photos:
                has_photo = True
                if not cleaned.get(f"alt_{number}"):
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
