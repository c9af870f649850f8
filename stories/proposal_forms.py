"""Forms of the proposals: propose a project (leaders' space and public form), and the
leader's draft campaign (title, summary, text, budget lines)."""

import contextlib

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import District
from helpers.emails import SingleLineField
from helpers.i18n import active_locale
from helpers.money import AmountField, amount_to_cents
from home.contact import (
    NO_CONTACT_MESSAGE,
    clean_phone_number,
    email_field,
    lacks_contact,
    name_field,
    phone_field,
)

from .forms import text_to_paragraphs

OTHER_DISTRICT = "other"
MAX_BUDGET_LINES = 20


def district_choices():
    """The districts, named in the reader's language where translated, then "other"."""
    locale = active_locale()
    names = {}
    for district in District.objects.filter(
        locale__language_code__in={settings.LANGUAGE_CODE, locale.language_code}
    ).select_related("locale"):
        if district.code not in names or district.locale_id == locale.pk:
            names[district.code] = district.name
    return [
        ("", _("Choose…")),
        *sorted(names.items(), key=lambda item: item[0]),
        (OTHER_DISTRICT, _("Another place, or I don't know")),
    ]


def district_for(code):
    """The default-language District of ``code`` (None for "other")."""
    if not code or code == OTHER_DISTRICT:
        return None
    return District.objects.filter(code=code, locale__language_code=settings.LANGUAGE_CODE).first()


class ProposalForm(forms.Form):
    """What a leader fills in from their space: the project itself."""

    title = SingleLineField(
        label=_("Name of the project"),
        max_length=120,
        help_text=_("A few words, e.g. “A repair café in the Couronnes community hall”."),
    )
    district = forms.ChoiceField(label=_("District"), help_text=_("Where the project takes place."))
    purpose = forms.CharField(
        label=_("What is it for?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who it helps and what will change. Write as you speak."),
    )
    budget = AmountField(
        label=_("Rough budget (€)"),
        help_text=_("An estimate is enough, e.g. 1 500 or 750,50."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_languages = SingleLineField(
        label=_("Other languages"),
        max_length=200,
        required=False,
        help_text=_("E.g. Wolof, Tamil, Romanian."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices()

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("languages")
            and not cleaned.get("other_languages")
            and "languages" not in self.errors
            and "other_languages" not in self.errors
        ):
            self.add_error(
                "languages", _("Tick at least one language, or write the ones you speak.")
            )
        return cleaned

    def proposal_fields(self):
        """The Proposal fields this form fills in."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "district": district_for(data["district"]),
            "purpose": data["purpose"].strip(),
            "budget_cents": data["budget"],
            "languages": list(data["languages"]),
            "other_languages": data["other_languages"],
        }


class PublicProposalForm(ProposalForm):
    """The public form, for residents without an account: the project, who they are and how
    to reach them (an email or a phone number, at least one), consent to be contacted."""

    name = name_field()
    email = email_field(
        help_text=_("To answer you, and to create your space if the project goes ahead.")
    )
    phone = phone_field()
    consent = forms.BooleanField(
        label=_(
            "I agree that the association's team contacts me about this project. My details "
            "are used for nothing else."
        ),
        error_messages={"required": _("Please agree to be contacted: we need it to answer.")},
    )

    field_order = ["name", "email", "phone"]

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if lacks_contact(self, cleaned):
            self.add_error("email", NO_CONTACT_MESSAGE)
        return cleaned

    def proposal_fields(self):
        data = self.cleaned_data
        return {
            **super().proposal_fields(),
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "contact_consent": data["consent"],
        }


# The leader's draft campaign


class CampaignDraftForm(forms.Form):
    """Title, summary, text and budget lines of a draft campaign. Lines are numbered fields
    (``label_<n>``, ``amount_<n>``, ``lines`` says how many), so that "Add a line" and
    "Remove" are plain submit buttons: no JavaScript needed."""

    title = SingleLineField(label=_("Title"), max_length=120)
    summary = SingleLineField(
        label=_("Summary"),
        max_length=300,
        help_text=_("One or two sentences, shown on the campaign's card."),
    )
    text = forms.CharField(
        label=_("Presentation of the project"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Write as you speak. Leave an empty line between two paragraphs."),
    )
    lines = forms.IntegerField(
        min_value=0, max_value=MAX_BUDGET_LINES, widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, line_count=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_count = max(0, min(line_count, MAX_BUDGET_LINES))
        for number in range(self.line_count):
            label, amount = f"label_{number}", f"amount_{number}"
            self.fields[label] = SingleLineField(
                label=_("What it pays for (line %(number)s)") % {"number": number + 1},
                max_length=150,
                error_messages={"required": _("Say what this amount pays for.")},
            )
            self.fields[amount] = AmountField(
                label=_("Amount in € (line %(number)s)") % {"number": number + 1},
                error_messages={"required": _("Give the amount of this line.")},
            )
            if self.is_bound and not any(
                str(self.data.get(name, "")).strip() for name in (label, amount)
            ):
                # A line left empty is ignored, not an error
                self.fields[label].required = self.fields[amount].required = False

    def budget_lines(self):
        """(label field, amount field) for each line."""
        return [
            (self[f"label_{number}"], self[f"amount_{number}"]) for number in range(self.line_count)
        ]

    def clean(self):
        cleaned = super().clean()
        lines = []
        for number in range(self.line_count):
            label, amount = cleaned.get(f"label_{number}"), cleaned.get(f"amount_{number}")
            if label and amount is not None:
                lines.append((label, amount))
        if not lines and not self.errors:
            raise ValidationError(_("Give at least one budget line."), code="no_lines")
        cleaned["budget"] = lines
        return cleaned

    def paragraphs(self):
        return text_to_paragraphs(self.cleaned_data["text"])


def raw_lines(data):
    """The budget lines as typed (label, amount: strings) in the form's ``data``."""
    try:
        count = int(data.get("lines", 0))
    except (TypeError, ValueError):
        count = 0
    count = max(0, min(count, MAX_BUDGET_LINES))
    return [(data.get(f"label_{n}", ""), data.get(f"amount_{n}", "")) for n in range(count)]


def lines_data(data, lines):
    """``data`` (a QueryDict or dict) with its budget lines replaced by ``lines``."""
    new = {key: value for key, value in data.items() if not key.startswith(("label_", "amount_"))}
    for number, (label, amount) in enumerate(lines):
        new[f"label_{number}"] = label
        new[f"amount_{number}"] = amount
    new["lines"] = str(len(lines))
    return new


def running_total(lines):
    """The sum in cents of the lines whose amount reads well (for "Goal: …" while editing)."""
    total = 0
    for _label, amount in lines:
        with contextlib.suppress(ValidationError):  # the form says what is wrong with it
            total += amount_to_cents(amount) if str(amount).strip() else 0
    return total
