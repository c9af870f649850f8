"""The donation form: works without JavaScript, keeps what was typed on error."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.emails import SingleLineField
from home.money import format_money

from .models import MESSAGE_MAX_LENGTH, DisplayChoice

CUSTOM = "custom"


class DonationForm(forms.Form):
    """Amount (a preset or a custom one, in euros), who gives, how it shows, consent."""

    amount_choice = forms.ChoiceField(label=_("Amount"), widget=forms.RadioSelect)
    custom_amount = forms.DecimalField(
        label=_("Other amount (€)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    donor_name = SingleLineField(  # shown on the page and in the receipt email's greeting
        label=_("Your name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Shown on the campaign page if you choose so."),
    )
    donor_email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        # addresses read left to right, also on an Arabic page
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
        help_text=_(
            "For your receipt and tax certificate, and the campaign's news if you ask for it. "
            "Never shown, never shared."
        ),
    )
    display = forms.ChoiceField(
        label=_("On the campaign page"),
        choices=DisplayChoice.choices,
        initial=DisplayChoice.NAME,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("A message for the project"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wants_news = forms.BooleanField(
        label=_("Send me news of this campaign"),
        required=False,
        help_text=_(
            "A few emails from the project leaders, to your email address above. Each one "
            "has a link to stop them."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice: my data is used only for this gift (and its "
            "news if I ask for it)."
        ),
        error_messages={"required": _("Please confirm you have read the privacy notice.")},
    )

    def __init__(self, *args, presets=(10, 25, 50), allow_custom=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.presets = [int(preset) for preset in presets]
        self.allow_custom = allow_custom
        choices = [(str(euros), format_money(euros * 100)) for euros in self.presets]
        if allow_custom:
            choices.append((CUSTOM, _("Another amount")))
        else:
            del self.fields["custom_amount"]
        self.fields["amount_choice"].choices = choices

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("amount_choice")
        if choice == CUSTOM:
            euros = cleaned.get("custom_amount")
            if euros is None:
                if "custom_amount" not in self.errors:
                    self.add_error("custom_amount", _("Enter the amount you want to give."))
                return cleaned
            cents = int(euros * 100)
        elif choice:
            cents = int(choice) * 100
        else:
            return cleaned
        maximum = settings.DONATION_MAX_CENTS
        if cents < 100:
            self.add_error(
                "custom_amount" if choice == CUSTOM else "amount_choice",
                _("The smallest gift is %(amount)s.") % {"amount": format_money(100)},
            )
        elif cents > maximum:
            self.add_error(
                "custom_amount" if choice == CUSTOM else "amount_choice",
                _("Gifts above %(amount)s go through the association directly: please contact us.")
                % {"amount": format_money(maximum)},
            )
        else:
            cleaned["amount_cents"] = cents
        if cleaned.get("wants_news") and not self.data.get("donor_email", "").strip():
            # Said where the address goes, not only "required": the news needs it.
            self.errors.pop("donor_email", None)
            self.add_error("donor_email", _("Give your email to receive the campaign's news."))
        if cleaned.get("display") != DisplayChoice.ANONYMOUS and not cleaned.get("donor_name"):
            if cleaned.get("display") is not None:
                self.add_error(
                    "donor_name", _("Give a name to show, or choose to give anonymously.")
                )
        return cleaned
