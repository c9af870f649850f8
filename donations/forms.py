"""The donation form: works without JavaScript, keeps what was typed on error. The tax
receipt's fields (only while the association issues receipts) and the form that gives a
receipt's name and address later (the signed link of the confirmation email)."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helpers.emails import SingleLineField
from helpers.money import AmountField, format_money

from .models import MESSAGE_MAX_LENGTH, DisplayChoice

CUSTOM = "custom"
# The receipt's name and postal address (Donation fields): all needed for a receipt.
RECEIPT_ADDRESS_FIELDS = ("receipt_name", "address_line", "postal_code", "city", "country")
FRANCE = "france"
FRENCH_POSTAL_CODE = re.compile(r"[0-9]{5}")


def receipt_fields():
    """The tax receipt's fields (new each time: a form owns its fields)."""
    return {
        "wants_receipt": forms.BooleanField(
            label=_("I want a tax receipt"),
            required=False,
            help_text=_(
                "To deduct this gift from your income tax in France. The receipt is sent "
                "to your email."
            ),
        ),
        "receipt_yearly": forms.BooleanField(
            label=_("One receipt for all my gifts of the year, in January"),
            required=False,
        ),
        "receipt_name": SingleLineField(
            label=_("First and last name, as for the tax office"),
            max_length=150,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
        ),
        "address_line": SingleLineField(
            label=_("Street address"),
            max_length=200,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "street-address", "dir": "auto"}),
            help_text=_("Number and street"),
        ),
        "postal_code": SingleLineField(
            label=_("Postal code"),
            max_length=20,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "postal-code", "dir": "auto"}),
        ),
        "city": SingleLineField(
            label=_("City"),
            max_length=100,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "address-level2", "dir": "auto"}),
        ),
        "country": SingleLineField(
            label=_("Country"),
            max_length=100,
            required=False,
            initial="France",
            widget=forms.TextInput(attrs={"autocomplete": "country-name", "dir": "auto"}),
        ),
    }


MISSING_MESSAGES = {
    "receipt_name": _("Give the name for the receipt too, or leave the address empty for now."),
    "address_line": _("Give the street address too, or leave the address empty for now."),
    "postal_code": _("Give the postal code too, or leave the address empty for now."),
    "city": _("Give the city too, or leave the address empty for now."),
    "country": _("Give the country too, or leave the address empty for now."),
}
ADDRESS_NEEDED = {
    "receipt_name": _("Give the name the receipt is made out to."),
    "address_line": _("Give your street address: a receipt needs it."),
    "postal_code": _("Give your postal code: a receipt needs it."),
    "city": _("Give your city: a receipt needs it."),
    "country": _("Give your country: a receipt needs it."),
}


def clean_receipt_address(form, cleaned, *, required):
    """Errors on the missing parts of a receipt's name and address. At gift time
    (``required`` False) the address may be left empty, to give later, but not half given
    (the country alone, filled in by default, counts as empty)."""
    given = [name for name in RECEIPT_ADDRESS_FIELDS if cleaned.get(name)]
    if not required and not set(given) - {"country"}:
        return
    messages = ADDRESS_NEEDED if required else MISSING_MESSAGES
    for name in RECEIPT_ADDRESS_FIELDS:
        if not cleaned.get(name) and name not in form.errors:
            form.add_error(name, messages[name])
    postal_code = cleaned.get("postal_code", "")
    if postal_code and (cleaned.get("country") or "").strip().casefold() == FRANCE:
        compact = postal_code.replace(" ", "")
        if not FRENCH_POSTAL_CODE.fullmatch(compact):
            form.add_error("postal_code", _("A French postal code has 5 digits, e.g. 75020."))
        else:
            cleaned["postal_code"] = compact


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

    def __init__(self, *args, presets=(10, 25, 50), allow_custom=True, receipts=False, **kwargs):
        super().__init__(*args, **kwargs)
        # The tax receipt's fields, only while the association issues receipts.
        self.receipts = receipts
        if receipts:  # before the consent, as on the page (the error summary follows it)
            consent = self.fields.pop("consent")
            self.fields.update(receipt_fields())
            self.fields["consent"] = consent
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
        # (an invalid address already says so)
        if (
            cleaned.get("wants_news")
            and not cleaned.get("donor_email")
            and "donor_email" not in self.errors
        ):
            # Said where the address goes, not only "required": the news needs it.
            self.add_error("donor_email", _("Give your email to receive the campaign's news."))
        display = cleaned.get("display")
        if (
            display
            and display != DisplayChoice.ANONYMOUS
            and not cleaned.get("donor_name")
            and "donor_name" not in self.errors
        ):
            self.add_error("donor_name", _("Give a name to show, or choose to give anonymously."))
        if self.receipts:
            self._clean_receipt(cleaned)
        return cleaned

    def _clean_receipt(self, cleaned):
        """With "I want a tax receipt": an email to send it to, and the name and address all
        given or all left for later. Without it, what was typed in them is not kept."""
        if not cleaned.get("wants_receipt"):
            cleaned["receipt_yearly"] = False
            for name in RECEIPT_ADDRESS_FIELDS:
                cleaned[name] = ""
            return
        if not cleaned.get("donor_email") and "donor_email" not in self.errors:
            self.add_error("donor_email", _("Give your email: the tax receipt is sent to it."))
        clean_receipt_address(self, cleaned, required=False)

    def receipt_data(self):
        """The receipt's fields to save on the gift (empty when no receipt was asked for)."""
        if not self.receipts or not self.cleaned_data.get("wants_receipt"):
            return {}
        data = {"wants_receipt": True, "receipt_yearly": self.cleaned_data["receipt_yearly"]}
        if all(self.cleaned_data.get(name) for name in RECEIPT_ADDRESS_FIELDS):
            data.update({name: self.cleaned_data[name] for name in RECEIPT_ADDRESS_FIELDS})
        return data

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


class ReceiptAddressForm(forms.Form):
    """A gift's receipt name and postal address, given after the gift (signed link). Asks
    for an email only when the gift has none (the receipt is sent to it)."""

    def __init__(self, *args, needs_email=False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = receipt_fields()
        del fields["wants_receipt"]
        if needs_email:
            self.fields["donor_email"] = forms.EmailField(
                label=_("Your email"),
                max_length=254,
                widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
                help_text=_("The receipt is sent to it. Never shown, never shared."),
                error_messages={"required": _("Give your email: the tax receipt is sent to it.")},
            )
        for name in RECEIPT_ADDRESS_FIELDS:
            fields[name].required = True
            fields[name].error_messages["required"] = ADDRESS_NEEDED[name]
        self.fields.update(fields)

    def clean(self):
        cleaned = super().clean()
        clean_receipt_address(self, cleaned, required=True)
        return cleaned
