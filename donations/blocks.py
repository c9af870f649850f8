"""The donation block any page can embed (campaign, story, standard and home pages)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.i18n import localize_pages
from home.money import format_money


class DonationBlock(blocks.StructBlock):
    """Invites readers to give to a chosen campaign, in their language.

    The block holds no form token and nothing personal: it links to the campaign's
    donation page with the chosen amount and the block's suggested amounts (which that page
    offers, the chosen one preselected), so the page can be served from a shared cache.
    Outside a live campaign it says why donations are closed.
    """

    campaign = blocks.PageChooserBlock(label=_("Campaign"), page_type="campaigns.CampaignPage")
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    preset_amounts = blocks.ListBlock(
        blocks.IntegerBlock(min_value=1, max_value=5000),
        label=_("Suggested amounts (€)"),
        default=[10, 25, 50],
        min_num=1,
        max_num=6,
    )
    allow_custom_amount = blocks.BooleanBlock(
        label=_("Let donors choose another amount"), required=False, default=True
    )
    button_label = blocks.CharBlock(label=_("Button text"), max_length=40, default=_("Give"))

    class Meta:
        icon = "pick"
        template = "donations/blocks/donation_block.html"
        label = _("Donation")
        description = _("A call to give to a campaign, with suggested amounts.")
        preview_value = {
            "heading": "Soutenez le jardin des Couronnes",
            "text": "Chaque euro compte pour ouvrir le jardin à tout le quartier.",
            "preset_amounts": [10, 25, 50],
            "allow_custom_amount": True,
            "button_label": "Donner",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("campaign")
        campaign = None
        if page is not None:
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
        from home.api import absolute, page_link

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
