"""The donation block any page can embed (campaign, story, standard and home pages)."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from helpers import compiled
from helpers.api import absolute, page_link
from helpers.block_previews import preview
from helpers.i18n import localize_pages
from helpers.money import format_money

from .views import MAX_PRESET_EUROS, MAX_PRESETS

DEFAULT_AMOUNTS = [10, 25, 50]


def amount_limits():
    """(how many suggested amounts, largest one in euros) the donation page accepts."""

    return MAX_PRESETS, MAX_PRESET_EUROS


def parse_amounts(text):
    """The whole euros typed in ``text``, in order: "10 25 50", "10, 25, 50 €" → [10, 25, 50].

    Raise ValidationError for anything else ("12,50" is not two amounts), for none, too
    many, the same amount twice, or one out of range."""
    most, largest = amount_limits()
    message = _(
        "Type whole euros between 1 and %(largest)s, separated by spaces, for example "
        "10 25 50 (%(most)s amounts at most, each once)."
    ) % {"largest": largest, "most": most}
    parts = str(text or "").replace("€", " ").replace(";", " ").split()
    amounts = []
    for part in parts:
        part = part.rstrip(",")  # "10, 25, 50": the comma only separates
        if not part.isdigit() or not 1 <= int(part) <= largest or int(part) in amounts:
            raise ValidationError(message, code="invalid")
        amounts.append(int(part))
    if not amounts or len(amounts) > most:
        raise ValidationError(message, code="invalid")
    return amounts


class SuggestedAmountsField(forms.CharField):
    """The suggested amounts typed in one text box, cleaned to a list of whole euros."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return " ".join(str(euros) for euros in value)
        return value

    def clean(self, value):
        return parse_amounts(super().clean(self.prepare_value(value)))


class SuggestedAmountsBlock(blocks.FieldBlock):
    """Suggested amounts in whole euros, typed as one field ("10 25 50") and stored as a
    list of numbers. Reads what earlier versions stored too: the list block's items
    (``[{"type": "item", "value": 10, "id": …}, …]``) and plain lists of numbers."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = SuggestedAmountsField(required=required, help_text=help_text, max_length=60)
        super().__init__(**kwargs)

    def value_for_form(self, value):
        return self.field.prepare_value(value)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return parse_amounts(value)
            except ValidationError:
                return list(DEFAULT_AMOUNTS)
        amounts = []
        for item in value or []:
            euros = item.get("value") if isinstance(item, dict) else item
            if isinstance(euros, int) and euros not in amounts:
                amounts.append(euros)
        return amounts or list(DEFAULT_AMOUNTS)

    def normalize(self, value):
        return self.to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, str):  # as typed, when the editor compares it with the stored one
            value = self.to_python(value)
        return [int(euros) for euros in value or []]

    def get_api_representation(self, value, context=None):
        return self.get_prep_value(value)

    class Meta:
        default = DEFAULT_AMOUNTS
        icon = "pick"


def donation_preview():
    """The first live public campaign (None in an empty database) with the default
    amounts, in the editor's language."""
    return {
        "campaign": preview("campaign"),
        "heading": gettext("Give to this project"),
        "text": gettext("Every euro counts: give what you can, even five euros."),
        "preset_amounts": list(DEFAULT_AMOUNTS),
        "allow_custom_amount": True,
        "button_label": gettext("Give"),
    }


class CampaignChooserBlock(blocks.PageChooserBlock):
    """Wagtail's PageChooserBlock, whose pages are read with a query compiled once per set of
    chosen pages (helpers/compiled.py): a page's body is read again on every render. It is
    Wagtail's block in the migrations (nothing of its definition changes)."""

    canonical_module_path = "wagtail.blocks.PageChooserBlock"

    def bulk_to_python(self, values):
        model = self.model_class
        ids = tuple(sorted({value for value in values if isinstance(value, int)}))
        found = {
            page.pk: page
            for page in compiled.instances(
                ("chosen-pages", model._meta.label, ids),
                lambda: model.objects.filter(pk__in=ids),
            )
        }
        result, seen = [], set()
        for value in values:
            page = found.get(value)
            if page is not None and value in seen:
                page = copy.copy(page)  # one object per place, as Wagtail's block gives
            result.append(page)
            seen.add(value)
        return result


class DonationBlock(blocks.StructBlock):
    """Invites readers to give to a campaign, in their language: the chosen one, else the
    campaign of the page the block sits on.

    The block holds no form token and nothing personal: it links to the campaign's
    donation page with the chosen amount and the block's suggested amounts (which that page
    offers, the chosen one preselected), so the page can be served from a shared cache.
    Outside a live campaign it says why donations are closed.
    """

    campaign = CampaignChooserBlock(
        label=_("Campaign"),
        page_type="campaigns.CampaignPage",
        required=False,
        help_text=_("Empty: this page's campaign."),
    )
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    preset_amounts = SuggestedAmountsBlock(
        label=_("Suggested amounts (€)"),
        help_text=_("Whole euros, separated by spaces: 10 25 50"),
    )
    allow_custom_amount = blocks.BooleanBlock(
        label=_("Let donors choose another amount"), required=False, default=True
    )
    button_label = blocks.CharBlock(
        label=_("Button text"),
        max_length=40,
        default=_("Give"),
        help_text=_("The main button, under the amounts: it opens the donation form."),
    )

    class Meta:
        icon = "pick"
        template = "donations/blocks/donation_block.html"
        label = _("Donation")
        description = _("A call to give to a campaign, with suggested amounts.")
        # the site's stylesheet; drawn without its campaign when none is live
        preview_template = "home/block_preview_donation.html"
        preview_value = staticmethod(donation_preview)

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context=parent_context)
        context["amounts"] = [
            (euros, format_money(euros * 100)) for euros in value["preset_amounts"]
        ]
        return context

    def page_campaign(self, page):
        """``page`` itself when it is a campaign (the page the block sits on), else None."""
        targets = tuple(self.child_blocks["campaign"].target_models)
        return page if isinstance(page, targets) else None

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("campaign")
        if page is None:  # the page being read is the campaign, in the reader's language
            campaign = self.page_campaign((parent_context or {}).get("page"))
        else:
            prefetched = (parent_context or {}).get("localized_pages", {})
            if page.pk in prefetched:
                localized = prefetched[page.pk]
            else:
                localized = localize_pages([page])[page.pk]
            campaign = localized.specific if localized else None  # None: not live, or private
        context["campaign"] = campaign
        context["open"] = bool(campaign and getattr(campaign, "accepts_donations", False))
        if campaign is not None:
            context["donate_url"] = reverse("donations:donate", args=[campaign.translation_key])
        context["amounts"] = [
            (euros, format_money(euros * 100)) for euros in value["preset_amounts"]
        ]
        # carried to the donation page, which offers the same amounts (views.block_choices)
        context["presets"] = ",".join(str(euros) for euros in value["preset_amounts"])
        return context

    def get_api_representation(self, value, context=None):
        """The campaign (in the language being served) with its status, the suggested
        amounts and the address where the donation starts."""

        request = (context or {}).get("request")
        page = value.get("campaign")
        localized = localize_pages([page], specific=True)[page.pk] if page else None
        campaign = localized.specific if localized else None  # None: not live, or private
        link = page_link(campaign, request)
        if campaign is not None:
            link["status"] = campaign.status
            link["accepts_donations"] = campaign.accepts_donations
        return {
            "campaign": link,
            "heading": value.get("heading"),
            "text": value.get("text"),
            "currency": "EUR",
            "preset_amounts": list(value.get("preset_amounts") or []),
            "allow_custom_amount": bool(value.get("allow_custom_amount")),
            "button_label": value.get("button_label"),
            "donate_url": absolute(
                request, reverse("donations:donate", args=[campaign.translation_key])
            )
            if campaign is not None
            else None,
        }
