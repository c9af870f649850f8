"""How a visitor without an account gives their name and a way to reach them (an email, or
a phone number when they have none): the fields, the phone check, the "one of the two" rule.
Shared by the workshop registration form and the public project proposal form."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helpers.emails import SingleLineField

PHONE_CHARACTERS = re.compile(r"^\+?[0-9 .()\-]{6,30}$")
NO_CONTACT_MESSAGE = _("Give an email address or a phone number, so that we can reach you.")


def name_field():
    return SingleLineField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def email_field(help_text):
    """The optional email; ``help_text`` says what it is used for."""
    return forms.EmailField(
        label=_("Your email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
        help_text=help_text,
    )


def phone_field():
    return forms.CharField(
        label=_("Your phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("If you have no email: the team will call you."),
    )


def clean_phone_number(value):
    """The phone number with its spaces tidied, or a ValidationError."""
    phone = " ".join((value or "").split())
    if phone and not PHONE_CHARACTERS.match(phone):
        raise ValidationError(_("Enter a phone number, e.g. 06 12 34 56 78."))
    return phone


def lacks_contact(form, cleaned):
    """True when neither an email nor a phone number was given (and neither field has an
    error of its own already)."""
    return (
        not cleaned.get("email")
        and not cleaned.get("phone")
        and "email" not in form.errors
        and "phone" not in form.errors
    )
