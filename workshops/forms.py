"""The registration form: works without JavaScript, keeps what was typed on error."""

import re

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.emails import SingleLineField

from .models import MAX_SEATS_PER_REGISTRATION

PHONE_CHARACTERS = re.compile(r"^\+?[0-9 .()\-]{6,30}$")


def _seats_message():
    # Built when shown, in the reader's language (not once, when the module is imported)
    return gettext("Choose between 1 and %(max)s seats.") % {"max": MAX_SEATS_PER_REGISTRATION}


class RegistrationForm(forms.Form):
    """Name, email and/or phone, seats (1–5), preferred language, accessibility needs."""

    name = SingleLineField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
        help_text=_("For your confirmation and the link to cancel."),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("If you have no email: the team will call you."),
    )
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
        phone = " ".join(self.cleaned_data.get("phone", "").split())
        if phone and not PHONE_CHARACTERS.match(phone):
            raise forms.ValidationError(_("Enter a phone number, e.g. 06 12 34 56 78."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            raise forms.ValidationError(
                _("Give an email address or a phone number, so that we can reach you.")
            )
        return cleaned
