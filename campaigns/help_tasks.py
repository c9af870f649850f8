"""Emails to helpers, in the language they chose, sent after their offer is saved."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from helpers.email_retry import email_task
from helpers.emails import render_subject, render_text
from helpers.visibility import public_pages

from .help_links import withdraw_token
from .models import CampaignPage
from .needs import HelpOffer, OfferEmail


def campaign_page(campaign_key, language):
    """The campaign page of ``campaign_key`` the public may see, in ``language``, else in any
    language (None when private or unpublished: the email would link to a closed page)."""
    pages = public_pages(CampaignPage.objects.filter(translation_key=campaign_key))
    return pages.filter(locale__language_code=language).first() or pages.first()


@email_task()
def send_offer_email(offer_id, kind):
    """Email the helper: "confirmed", "waitlisted" or "promoted" (a place became free), with
    the link to withdraw. Returns True when sent."""
    item = HelpOffer.objects.select_related("need").filter(pk=offer_id).first()
    if item is None or not item.email or kind not in OfferEmail.values:
        return False
    kind = OfferEmail(kind)
    if item.status != kind.status:
        return False  # changed since (withdrawn, promoted): this email would be wrong
    with translation.override(item.language):
        campaign = campaign_page(item.campaign_key, item.language)
        if campaign is None:
            return False
        site = campaign.get_site()
        path = reverse("help:withdraw", kwargs={"token": withdraw_token(item)})
        context = {
            "offer": item,
            "need": item.need,
            "campaign": campaign,
            "campaign_url": campaign.get_full_url(),
            "withdraw_url": (site.root_url if site else "") + path,
            "kind": kind,
        }
        subject = render_subject("campaigns/email/help_subject.txt", context)
        body = render_text("campaigns/email/help_offer.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [item.email])
    message.send()
    return True
