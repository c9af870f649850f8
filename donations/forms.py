"""The donation form: works without JavaScript, keeps what was typed on error."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home.emails import SingleLineField
from home.money import AmountField, format_money

from .models import MESSAGE_MAX_LENGTH, DisplayChoice

CUSTOM = "custom"


class DonationForm(forms.Form):
    """Amount (a preset or a custom one, in euros), who gives, how it shows, consent."""

    amount_choice = forms.ChoiceField(label=_("Amount"), widget=forms.RadioSelect)
    # Text, never a number input: a French browser reads "5,50" typed there as 550
    custom_amount = AmountField(
        label=_("Other amount (€)"),
        required=False,
        min_cents=0,  # below the smallest gift: clean() says what the smallest is
        help_text=_("For example 5,50 or 1 000."),
    )
    donor_name = SingleLineField(  # shown on the page and in the confirmation's greeting
        label=_("Your name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Needed only if you choose to show your name on the campaign page."),
    )
    donor_email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        required=False,
        # addresses read left to right, also on an Arabic page
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
        help_text=_(
            "To confirm your gift, and for the campaign's news if you ask for it. "
            "Never shown, never shared."
        ),
    )
    display = forms.ChoiceField(
        label=_("On the campaign page"),
        # anonymous first and chosen: showing a name is the donor's choice, never a default
        choices=[
            (choice, DisplayChoice(choice).label)
            for choice in (DisplayChoice.ANONYMOUS, DisplayChoice.NAME, DisplayChoice.HIDE_AMOUNT)
        ],
        initial=DisplayChoice.ANONYMOUS,
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
        self._clean_amount(cleaned)
        if cleaned.get("wants_news") and not cleaned.get("donor_email"):
            if "donor_email" not in self.errors:  # an invalid address already says so
                # Said where the address goes, not only "required": the news needs it.
                self.add_error("donor_email", _("Give your email to receive the campaign's news."))
        display = cleaned.get("display")
        if display and display != DisplayChoice.ANONYMOUS and not cleaned.get("donor_name"):
            if "donor_name" not in self.errors:
                self.add_error(
                    "donor_name", _("Give a name to show, or choose to give anonymously.")
                )
        return cleaned

    def _clean_amount(self, cleaned):
        """Put the gift in cents in ``cleaned["amount_cents"]``, or an error on the amount
        field at fault. An amount typed in "Other amount" is the one meant, even if a
        suggested amount stayed chosen (without JavaScript, typing does not choose it)."""
        choice = cleaned.get("amount_choice")
        typed = self.allow_custom and (self.data.get("custom_amount") or "").strip()
        if typed or choice == CUSTOM:
            field = "custom_amount"
            if "custom_amount" in self.errors:
                return
            cents = cleaned.get("custom_amount")
            if cents is None:
                self.add_error(field, _("Enter the amount you want to give."))
                return
            if "amount_choice" in self.errors:  # "Other amount" typed: no choice needed
                del self.errors["amount_choice"]
            cleaned["amount_choice"] = CUSTOM
        elif choice:
            field, cents = "amount_choice", int(choice) * 100
        else:
            return
        maximum = settings.DONATION_MAX_CENTS
        if cents < 100:
            self.add_error(
                field, _("The smallest gift is %(amount)s.") % {"amount": format_money(100)}
            )
        elif cents > maximum:
            self.add_error(
                field,
                _("Gifts above %(amount)s go through the association directly: please contact us.")
                % {"amount": format_money(maximum)},
            )
        else:
            cleaned["amount_cents"] = cents
