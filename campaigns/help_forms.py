"""The offer of help (residents, without an account or JavaScript) and the need (staff and
leaders): both keep what was typed on error."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.text import capfirst
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

from . import offers
from .needs import Need, NeedKind


class HelpOfferForm(forms.Form):
    """Name, email and/or phone, how many, availability, a note, language for our messages."""

    name = name_field()
    email = email_field(help_text=_("For your confirmation and the link to withdraw."))
    phone = phone_field()
    quantity = forms.TypedChoiceField(label=_("How many"), coerce=int, initial=1)
    availability = forms.CharField(
        label=_("When you are available"),
        required=False,
        max_length=300,
        help_text=_("E.g. “Saturday mornings”, “evenings after 6 pm”."),
    )
    note = forms.CharField(
        label=_("A note for the project team"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you can do or bring, a question, something we should know."),
    )
    language = forms.ChoiceField(label=_("Language for our messages"), choices=settings.LANGUAGES)

    def __init__(self, *args, need, **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need
        most = need.max_per_offer
        field = self.fields["quantity"]
        field.choices = [(n, str(n)) for n in range(1, most + 1)]
        if need.kind == NeedKind.TASK:
            field.label = _("How many people (you included)")
            field.help_text = gettext("You and the people coming with you (%(max)s at most).") % {
                "max": most
            }
        else:
            field.label = _("How many items")
            self.fields["availability"].label = _("When you can lend or bring it")
        field.error_messages["invalid_choice"] = gettext(
            "Choose a number between 1 and %(max)s."
        ) % {"max": most}

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if lacks_contact(self, cleaned):
            raise forms.ValidationError(NO_CONTACT_MESSAGE)
        return cleaned

    def save(self, staff=None, source=None):
        """Make the offer (campaigns/offers.py; OffersClosed when the need takes none):
        ``staff``, the staff member or leader who took it for someone."""
        data = self.cleaned_data
        fields = ("name", "email", "phone", "language", "quantity", "availability", "note")
        return offers.offer(
            self.need, **{name: data[name] for name in fields}, staff=staff, source=source
        )


class NeedForm(forms.ModelForm):
    """A need, as staff (admin) and leaders (their space) write it."""

    class Meta:
        model = Need
        fields = [
            "kind",
            "title",
            "description",
            "language",
            "wanted",
            "starts_at",
            "place",
            "hours",
            "is_open",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    # read as text: a number field in French turns "1,5" into 15
    hours = forms.CharField(
        label=capfirst(Need._meta.get_field("hours").verbose_name),
        help_text=Need._meta.get_field("hours").help_text,
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = NeedKind.choices  # two radio buttons, no empty one
        self.fields["starts_at"].input_formats = [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%d/%m/%Y %H:%M",
        ]
        if self.instance.hours is not None and not self.is_bound:
            self.initial["hours"] = str(self.instance.hours.normalize())

    def clean_hours(self):
        text = self.cleaned_data["hours"].strip().replace(",", ".")
        if not text:
            return None
        try:
            hours = Decimal(text)
        except InvalidOperation:
            hours = None
        if hours is None or not hours.is_finite() or not Decimal("0.5") <= hours <= 100:
            raise forms.ValidationError(_("Give the hours as a number between 0.5 and 100."))
        return hours.quantize(Decimal("0.1"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == NeedKind.THING:
            cleaned["hours"] = None
        return cleaned

    def clean_wanted(self):
        wanted = self.cleaned_data["wanted"]
        taken = self.instance.taken if self.instance.pk else 0
        if wanted < taken:
            raise forms.ValidationError(
                _("%(taken)s are already confirmed: ask fewer only after some withdraw.")
                % {"taken": taken}
            )
        return wanted
