"""The campaign news form of the leaders' space: plain text and a few photos with alt text.

The text helpers and the signed "kept photo" fields are the story form's (stories/forms.py).
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helpers.emails import SingleLineField

from .forms import PhotoField, leader_campaign_choices, photo_help_text, text_to_paragraphs

NEWS_MAX_PHOTOS = 3


class NewsForm(forms.Form):
    """Language, campaign (the leader's own only), title, text, up to three photos."""

    language = forms.ChoiceField(label=_("Language of the news"), choices=settings.LANGUAGES)
    campaign = forms.ChoiceField(label=_("Campaign"))
    title = SingleLineField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("What is new"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Your donors receive it by email. Leave an empty line between two paragraphs."),
    )
    consent = forms.BooleanField(
        label=_("The people who can be recognised in the photos agreed to their publication."),
        required=False,
    )

    def __init__(self, *args, user, kept_photos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = leader_campaign_choices(user)
        self.kept_photos = kept_photos or {}
        for number in range(1, NEWS_MAX_PHOTOS + 1):
            # formats, size and pixels checked, in the story form's words
            self.fields[f"photo_{number}"] = PhotoField(
                label=_("Photo %(number)s") % {"number": number}, required=False
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

    def photo_help(self):
        """The one help text about photos (formats, size, pixels from the settings)."""
        return photo_help_text()

    def photo_slots(self):
        """(photo, alt, kept, remove fields, kept image) for each slot."""
        return [
            (
                self[f"photo_{number}"],
                self[f"alt_{number}"],
                self[f"kept_{number}"],
                self[f"remove_{number}"],
                self.kept_photos.get(number),
            )
            for number in range(1, NEWS_MAX_PHOTOS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        has_photo = False
        for number in range(1, NEWS_MAX_PHOTOS + 1):
            if cleaned.get(f"remove_{number}"):
                self.kept_photos.pop(number, None)
            if f"photo_{number}" in self.errors:
                continue
            if cleaned.get(f"photo_{number}") or number in self.kept_photos:
                has_photo = True
                if not cleaned.get(f"alt_{number}"):
                    self.add_error(f"alt_{number}", _("Say in a few words what this photo shows."))
        if has_photo and not cleaned.get("consent"):
            self.add_error("consent", _("Please confirm that the people in the photos agreed."))
        return cleaned

    def paragraphs(self):
        return text_to_paragraphs(self.cleaned_data["text"])
