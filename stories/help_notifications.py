"""Tell a campaign's leaders that someone offered help online (campaigns.needs.offer_made).

One email per active leader of the campaign, in the leader's language, saying which need
was answered and whether the offer is confirmed or waits, with the link to the need's
offers in the leaders' space. It carries nothing of the helper (no name, no contact, no
note): an email may be forwarded; the leader reads those in the space, signed in.

Each leader's email is a task of its own (``email_leader_of_offer``), so that a mail
server outage retries that one email without sending the others twice.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation

from django_tasks import task

from campaigns.models import CampaignPage
from campaigns.needs import HelpOffer, OfferStatus, offer_made
from helpers.email_retry import email_task
from helpers.emails import render_subject, render_text

from .workflow import LEADERS_GROUP


def campaign_leaders(campaign_key):
    """The active project leaders of the campaign ``campaign_key`` who have an email address,
    each once (every language's page of a campaign names the same leaders)."""
    return (
        get_user_model()
        .objects.filter(
            led_campaigns__translation_key=campaign_key,
            is_active=True,
            groups__name=LEADERS_GROUP,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def leader_language(user):
    profile = getattr(user, "leader_profile", None)
    return profile.language if profile else settings.LANGUAGE_CODE


def campaign_page(campaign_key, language):
    """The campaign's page in ``language``, else its original page."""
    pages = CampaignPage.objects.filter(translation_key=campaign_key)
    return (
        pages.filter(locale__language_code=language).first()
        or pages.filter(alias_of__isnull=True).order_by("pk").first()
    )


@task()
def tell_leaders_of_offer(offer_id):
    """Queue the email of each leader of the campaign of offer ``offer_id``; return how many."""
    item = HelpOffer.objects.filter(pk=offer_id).first()
    if item is None:
        return 0
    leader_ids = list(campaign_leaders(item.campaign_key).values_list("pk", flat=True))
    for user_id in leader_ids:
        email_leader_of_offer.enqueue(offer_id, user_id)
    return len(leader_ids)


@email_task()
def email_leader_of_offer(offer_id, user_id):
    """Email leader ``user_id`` about offer ``offer_id``. Returns True when sent; False when
    the offer is gone or withdrawn since, or the user no longer leads the campaign."""
    item = HelpOffer.objects.select_related("need").filter(pk=offer_id).first()
    if item is None or item.status == OfferStatus.WITHDRAWN:
        return False
    user = (
        campaign_leaders(item.campaign_key)
        .filter(pk=user_id)
        .select_related("leader_profile")
        .first()
    )
    if user is None:
        return False
    language = leader_language(user)
    with translation.override(language):
        campaign = campaign_page(item.campaign_key, language)
        if campaign is None:
            return False
        site = campaign.get_site()
        root = site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        context = {
            "need": item.need,
            "campaign": campaign,
            "quantity": item.quantity,
            "waiting": item.status == OfferStatus.WAITLISTED,
            "offers_url": root + reverse("stories:help_offers", args=[item.need_id]),
        }
        subject = render_subject("stories/email/help_offer_subject.txt", context)
        body = render_text("stories/email/help_offer.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def _on_offer_made(sender, offer, **kwargs):
    tell_leaders_of_offer.enqueue(offer.pk)


def connect():
    offer_made.connect(_on_offer_made, dispatch_uid="stories.tell_leaders_of_offer")
