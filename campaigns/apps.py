from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """Campaign pages, districts and categories; featured on the home page, in the demo."""

    name = "campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from donations import admin_forms, ledger
        from helpers import block_previews, demo, featured

        from . import demo as campaigns_demo
        from . import news_demo
        from .featured import live_campaigns_section
        from .models import CampaignPage, closing_time, closing_time_published, preview_campaign
        from .news_emails import news_published

        featured.register("campaigns", live_campaigns_section, order=10)
        # the campaign the donation and call-to-action blocks show in their previews
        block_previews.provide("campaign", preview_campaign)
        # the gifts' admin lists campaign pages (donations/admin_forms.py)
        admin_forms.register_campaign_page_model(CampaignPage)
        # the campaign page keeps its district and category in the frame cache
        from helpers import frame

        from .closing import CampaignClosing
        from .models import Category, District
        from .needs import HelpOffer, Need
        from .payouts import Expense, Payout

        frame.watch(District, Category)
        # and what the campaign page reads of its closing, payouts and expenses (models.py)
        frame.watch(CampaignClosing, Payout, Expense)
        # the needs and help figures of a campaign page are kept with the frame (offers are
        # rare next to page views: a new generation on each is cheap)
        frame.watch(Need, HelpOffer)
        # the ledger tells late gifts from on-time ones by the campaign's closing time
        ledger.register_closing_time(closing_time)
        # match funds may choose campaigns by district and category (donations/matching.py)
        from .match_facts import campaign_facts

        ledger.register_campaign_facts(campaign_facts)
        from . import match_demo

        demo.register("match-funds", match_demo.build, match_demo.reset, order=40)
        page_published.connect(closing_time_published, sender=CampaignPage)
        page_published.connect(news_published, dispatch_uid="campaigns.news_published")
        # closings: the staff's list of offline gifts to give back asks which campaigns failed
        # all or nothing; the demo closes its ended campaigns (after the match funds, 40)
        from donations import returns

        from . import closing_demo
        from .closing import refund_due_keys

        returns.register_refund_due(refund_due_keys)
        # an all-or-nothing campaign's gifts get their tax receipts once it has succeeded
        from donations import tax_receipts

        from .receipt_hold import receipts_held

        tax_receipts.register_receipt_hold(receipts_held)
        demo.register("closings", closing_demo.build, closing_demo.reset, order=50)
        demo.register("campaigns", campaigns_demo.build, campaigns_demo.reset, order=10)
        # after the stories' builder, which makes the garden's leader
        demo.register("campaign-news", news_demo.build, news_demo.reset, order=30)
        # the closed successful campaign's payout and what it bought
        from . import payout_demo

        demo.register("payouts", payout_demo.build, payout_demo.reset, order=60)
        # every key figure (home page, impact page, open data) is this one computation
        from home.figures import register_figures

        from .impact import impact_figures

        register_figures(impact_figures)
        from . import impact_demo

        demo.register("impact", impact_demo.build, order=70)
        from . import participatory_budget_demo

        # after the campaigns (order 10 in campaigns_demo) that it lists
        demo.register("participatory-budget", participatory_budget_demo.build, order=75)
        # ways to help besides money: the needs of a campaign and offers (after the campaigns)
        from . import help_demo, help_personal_data

        demo.register("help", help_demo.build, help_demo.reset, order=35)
        help_personal_data.register()
