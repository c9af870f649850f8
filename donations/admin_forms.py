"""Admin forms for donations: recording an offline gift, filtering the ledger.

Campaigns are CampaignPage pages found through ``wagtail.models.Page`` (by content type), so
this module does not import the campaigns app; a donation stores the pages' translation_key.
"""

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

import django_filters

from .models import Donation, DonationSource, DonationStatus

DONOR_DETAILS_PERMISSION = "donations.view_donor_details"
MIN_AMOUNT = Decimal("1")
MAX_AMOUNT = Decimal("100000")


def default_language():
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def campaign_pages():
    """Every CampaignPage, as plain Page rows (live or draft, every locale)."""
    return Page.objects.filter(
        content_type__app_label="campaigns", content_type__model="campaignpage"
    )


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
        for name in ("received_on", "offline_method", "evidence"):
            self.fields[name].required = True

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
