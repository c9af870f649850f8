"""Admin forms for donations: recording an offline gift (and the tax receipt its donor
asked for), filtering the ledger, the tax receipts' settings.

Campaigns are CampaignPage pages found through ``wagtail.models.Page`` (by content type), so
this module does not import the campaigns app; a donation stores the pages' translation_key.
"""

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

import django_filters
from PIL import Image

from . import tax_receipts
from .models import Donation, DonationSource, DonationStatus, TaxReceiptSettings

DONOR_DETAILS_PERMISSION = "donations.view_donor_details"
MIN_AMOUNT = Decimal("1")
MAX_AMOUNT = Decimal("100000")


def default_language():
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


# The campaign page type, given by the campaigns app when it is ready (campaigns/apps.py):
# campaigns sit above donations, which never import them.
_campaign_page_model = None


def register_campaign_page_model(model):
    global _campaign_page_model
    _campaign_page_model = model


def campaign_pages():
    """Every campaign page, as plain Page rows (live or draft, every locale); none before
    the campaigns app registers its page type."""
    if _campaign_page_model is None:
        return Page.objects.none()
    return Page.objects.exact_type(_campaign_page_model)


def campaign_choices():
    """(translation_key, title) of the campaigns in the default locale, in one query."""
    pages = (
        campaign_pages()
        .filter(locale__language_code=default_language())
        .order_by("title", "pk")
        .values_list("translation_key", "title", "live")
    )
    return [
        (str(key), title if live else _("%(title)s (draft)") % {"title": title})
        for key, title, live in pages
    ]


def campaign_titles(keys):
    """{translation_key: title} for ``keys`` (an iterable or a ``values()`` queryset), in one
    query; the default locale's title wins, another locale's is used if it has none."""
    rows = (
        campaign_pages()
        .filter(translation_key__in=keys)
        .values_list("translation_key", "title", "locale__language_code")
    )
    language = default_language()
    titles = {}
    for key, title, page_language in rows:
        if key not in titles or page_language == language:
            titles[key] = title
    return titles


def choose_campaign(form):
    """Fill a staff form's ``campaign`` choice field (an entry stored with a ``campaign_key``):
    every campaign by title, the entry's own kept selectable even if its page is gone, and
    preselected when editing. Used by the offline gifts' form and the payouts' forms."""
    choices = campaign_choices()
    current = form.instance.campaign_key
    if current and str(current) not in {value for value, _label in choices}:
        choices.append((str(current), _("Unknown campaign %(key)s") % {"key": current}))
    form.fields["campaign"].choices = [("", "---------")] + choices
    if current:
        form.initial.setdefault("campaign", str(current))


RECEIPT_ADDRESS_FIELDS = ("receipt_name", "address_line", "postal_code", "city", "country")
RECEIPT_FIELDS = ("wants_receipt", "receipt_yearly", *RECEIPT_ADDRESS_FIELDS)
RECEIPT_FIELD_MESSAGES = {
    "receipt_name": _("A tax receipt needs the donor's legal name (first name and surname)."),
    "address_line": _("A tax receipt needs the donor's street address (number and street)."),
    "postal_code": _("A tax receipt needs the donor's postal code."),
    "city": _("A tax receipt needs the donor's city."),
    "country": _("A tax receipt needs the donor's country."),
}


def euros_to_cents(amount):
    return int((amount * 100).to_integral_value())


class OfflineDonationForm(WagtailAdminModelForm):
    """A gift staff received outside the website: cash, cheque or bank transfer.

    ``save()`` only builds the donation: the view stores it with ``ledger.save_offline``,
    which marks it paid and offline and updates the campaign's tally.
    """

    campaign = forms.ChoiceField(label=_("Campaign"))
    amount = forms.DecimalField(
        label=_("Amount (€)"),
        min_value=MIN_AMOUNT,
        max_value=MAX_AMOUNT,
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    class Meta:
        model = Donation
        fields = [
            "received_on",
            "offline_method",
            "donor_name",
            "donor_email",
            "display",
            "message",
            "evidence",
            *RECEIPT_FIELDS,
        ]
        field_permissions = {"donor_email": DONOR_DETAILS_PERMISSION}

    field_order = ["campaign", "amount", *Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_campaign(self)
        if self.instance.amount_cents:
            self.initial.setdefault("amount", Decimal(self.instance.amount_cents) / 100)
        else:
            self.initial.setdefault("received_on", timezone.localdate())
            self.initial.setdefault("country", "France")
        for name in ("received_on", "offline_method", "evidence"):
            self.fields[name].required = True
        self.fields["wants_receipt"].help_text = _(
            "The donor asked for a tax receipt: give their legal name and full postal address."
        )

    def receipt_fields(self):
        """The "Tax receipt" part of the form (the template shows it apart)."""
        return [self[name] for name in RECEIPT_FIELDS if name in self.fields]

    def receipts_offered(self):
        return tax_receipts.receipts_offered()

    def receipt_settings_url(self):
        setting = TaxReceiptSettings.load()
        return reverse("wagtailsettings:edit", args=["donations", "taxreceiptsettings", setting.pk])

    def current_receipt(self):
        """The valid receipt covering the gift being edited: {"number", "url"} or None."""
        if not self.instance.pk:
            return None
        receipt = tax_receipts.valid_receipt_of(self.instance)
        if receipt is None:
            return None
        return {
            "number": receipt.number,
            "url": reverse("donations_tax_receipts:inspect", args=[receipt.pk]),
        }

    def gift_fields(self):
        return [field for field in self.visible_fields() if field.name not in RECEIPT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        for name in RECEIPT_ADDRESS_FIELDS:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].strip()
        if cleaned.get("wants_receipt"):
            for name in RECEIPT_ADDRESS_FIELDS:
                if name in self.fields and not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, RECEIPT_FIELD_MESSAGES[name])
        elif cleaned.get("receipt_yearly"):
            self.add_error(
                "receipt_yearly",
                _("Tick “asked for a tax receipt” too, or untick one receipt for the year."),
            )
        return cleaned

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise forms.ValidationError(_("A gift cannot be received in the future."))
        return received_on

    def save(self, commit=False):
        """Return the unsaved donation. Saving is ``donations.ledger.save_offline``'s job."""
        if commit:
            raise ValueError("Save offline gifts with donations.ledger.save_offline().")
        donation = super().save(commit=False)
        donation.campaign_key = uuid.UUID(self.cleaned_data["campaign"])
        donation.amount_cents = euros_to_cents(self.cleaned_data["amount"])
        return donation


class DonationFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=DonationStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    source = django_filters.MultipleChoiceFilter(
        label=_("Source"), choices=DonationSource.choices, widget=forms.CheckboxSelectMultiple
    )
    campaign_key = django_filters.ChoiceFilter(
        label=_("Campaign"), choices=campaign_choices, empty_label=_("All")
    )
    paid_late = django_filters.BooleanFilter(label=_("Paid after closing"))
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Donation
        fields = ["status", "source", "campaign_key", "paid_late", "created_at"]


# Settings → Tax receipt details

SIGNATURE_MAX_BYTES = 1024 * 1024
SIGNATURE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
SIGNATURE_EXTENSIONS = {"PNG": ("png",), "JPEG": ("jpg", "jpeg")}


def receipt_settings_missing_message(names):
    """ "Fill in … before turning receipts on", naming the details by their labels."""
    labels = [str(TaxReceiptSettings._meta.get_field(name).verbose_name) for name in names]
    return _("Fill in %(fields)s before turning tax receipts on.") % {"fields": ", ".join(labels)}


class PrivateFileInput(forms.ClearableFileInput):
    """The stored file's name without a link: the signature is in private storage, which
    no address serves (the receipt's PDF embeds it)."""

    template_name = "donations/admin/widgets/private_file_input.html"


class TaxReceiptSettingsForm(WagtailAdminModelForm):
    """The association's details that every receipt prints (Wagtail builds the fields from
    TaxReceiptSettings): the signature must be a small PNG or JPEG image, and receipts are
    turned on only once every required detail is filled in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "signature" in self.fields:
            self.fields["signature"].help_text = _(
                "A PNG or JPEG image of 1 MB at most, printed on every receipt."
            )
            self.fields["signature"].widget = PrivateFileInput(
                attrs={"accept": "image/png,image/jpeg"}
            )

    def clean_signature(self):
        signature = self.cleaned_data.get("signature")
        upload = self.files.get(self.add_prefix("signature"))
        if not signature or upload is None:
            return signature  # unchanged or cleared
        if upload.size > SIGNATURE_MAX_BYTES:
            # params, not %: the message is translated when shown, as the form's others are
            raise forms.ValidationError(
                _("The signature image must be 1 MB or less (this file is %(size)s)."),
                params={"size": filesizeformat(upload.size)},
            )
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
        except Exception:
            image_format = None
        finally:
            upload.seek(0)
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if image_format not in SIGNATURE_FORMATS or extension not in SIGNATURE_EXTENSIONS.get(
            image_format, ()
        ):
            raise forms.ValidationError(
                _("The signature must be a PNG or JPEG image (a .png, .jpg or .jpeg file).")
            )
        return signature

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("enabled"):
            missing = [
                name
                for name in TaxReceiptSettings.REQUIRED
                if name in self.fields
                and name not in self.errors
                and not self._filled(name, cleaned.get(name))
            ]
            if missing:
                raise forms.ValidationError(receipt_settings_missing_message(missing))
        return cleaned

    def _filled(self, name, value):
        if name == "signature":
            # an upload, or the stored file kept (False when cleared)
            return bool(value) or (value is None and bool(self.instance.signature))
        return bool(value.strip() if isinstance(value, str) else value)
