"""The registration form: works without JavaScript, keeps what was typed on error."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.contact import (
    NO_CONTACT_MESSAGE,
    clean_phone_number,
    email_field,
    lacks_contact,
    name_field,
    phone_field,
)

from .models import MAX_SEATS_PER_REGISTRATION


def _seats_message():
    # Built when shown, in the reader's language (not once, when the module is imported)
    return gettext("Choose between 1 and %(max)s seats.") % {"max": MAX_SEATS_PER_REGISTRATION}


class RegistrationForm(forms.Form):
    """Name, email and/or phone, seats (1–5), preferred language, accessibility needs."""

    name = name_field()
    email = email_field(help_text=_("For your confirmation and the link to cancel."))
    phone = phone_field()
    seats = forms.TypedChoiceField(
        label=_("Seats"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, MAX_SEATS_PER_REGISTRATION + 1)],
        initial=1,
        help_text=_("You and the people coming with you (5 at most)."),
        error_messages={"invalid_choice": lazy(_seats_message, str)()},
    )
    language = forms.ChoiceField(label=_("Language for our messages"), choices=settings.LANGUAGES)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wheelchair, sign language, childcare… tell us and we will prepare."),
    )

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if lacks_contact(self, cleaned):
            raise forms.ValidationError(NO_CONTACT_MESSAGE)
        return cleaned
