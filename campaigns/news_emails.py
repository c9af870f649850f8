"""Email published campaign news to the donors who asked for it, once, in their language.

On the first publication of a news item (not its language copies, translations or later
re-publications: ``NewsMailing`` is unique per news), a task is queued. It emails every
distinct address that asked for news on a paid gift to the campaign and has not unsubscribed
since, in the language of their latest such gift: the news in that language when a live
translation exists, else in its original language with a line saying so. Each address is
recorded in ``NewsDelivery`` before its email goes, so a task run twice sends nothing twice.
Each email names only its reader and carries a one-click unsubscribe link (RFC 8058).
"""

import logging
import re
from html import unescape

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language_info

from wagtail.models import Page

from django_tasks import task

from donations.models import Donation, DonationStatus
from donations.unsubscribe import unsubscribe_url
from helpers.emails import render_subject, render_text
from helpers.visibility import public_pages

from .news import CampaignNewsPage, NewsDelivery, NewsMailing

logger = logging.getLogger(__name__)


def recipients(campaign_key):
    """{lowercased email: language of their latest paid gift that asked for news}."""
    gifts = (
        Donation.objects.filter(
            campaign_key=campaign_key, status=DonationStatus.PAID, wants_news=True
        )
        .exclude(donor_email="")
        .order_by("paid_at", "pk")
        .values_list("donor_email", "language")
    )
    latest = {}
    for email, language in gifts:
        latest[email.strip().lower()] = language  # later gifts overwrite earlier ones
    return latest


def _paragraphs(news):
    """The news's paragraphs as plain text, and the alt text of its photos."""
    paragraphs, photos = [], []
    for block in news.body.raw_data:
        if block["type"] == "paragraph":
            html = re.sub(r"<br\s*/?>", "\n", block["value"])
            for part in re.split(r"</p>\s*<p[^>]*>", html):
                text = unescape(re.sub(r"<[^>]+>", "", part)).strip()
                if text:
                    paragraphs.append(text)
        elif block["type"] == "image" and block["value"].get("alt_text"):
            photos.append(block["value"]["alt_text"])
    return paragraphs, photos


def _base_url(page):
    site = page.get_site()
    return (site.root_url if site else settings.WAGTAILADMIN_BASE_URL).rstrip("/")


class Edition:
    """What the donors reading ``language`` get: the news (translated or original), its
    address on the site, the campaign's title, all in that language where they exist."""

    def __init__(self, source, campaign, language):
        # An email may reach anyone: it links only to versions the public may see.
        versions = public_pages(
            Page.objects.filter(
                translation_key=source.translation_key, locale__language_code=language
            )
        )
        translated = public_pages(
            CampaignNewsPage.objects.filter(
                translation_key=source.translation_key,
                locale__language_code=language,
                alias_of__isnull=True,
            )
        ).first()
        self.language = language
        self.news = translated or source
        self.translated = translated is not None
        self.source_language_name = get_language_info(source.locale.language_code)["name_local"]
        shown = versions.first() or source
        self.url = shown.get_full_url()
        localized_campaign = public_pages(
            Page.objects.filter(
                translation_key=campaign.translation_key, locale__language_code=language
            )
        ).first()
        self.campaign_title = (localized_campaign or campaign).title
        self.paragraphs, self.photos = _paragraphs(self.news)

    def message(self, email, campaign_key, base_url):
        """The EmailMessage of this edition for ``email`` (its own unsubscribe link)."""
        stop_url = base_url + unsubscribe_url(email, campaign_key, self.language)
        context = {
            "news": self.news,
            "campaign_title": self.campaign_title,
            "translated": self.translated,
            "source_language_name": self.source_language_name,
            "paragraphs": self.paragraphs,
            "photos": self.photos,
            "news_url": self.url,
            "unsubscribe_url": stop_url,
        }
        with translation.override(self.language):
            subject = render_subject("campaigns/email/news_subject.txt", context)
            body = render_text("campaigns/email/news.txt", context)
        return EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [email],
            headers={
                "List-Unsubscribe": f"<{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


@task()
def send_news(news_id):
    """Email the news ``news_id`` (the published original) to its campaign's donors who asked
    for it and did not get it yet. Returns the number of emails sent."""
    source = CampaignNewsPage.objects.filter(pk=news_id).select_related("locale").first()
    if source is None or not source.live:
        return 0
    campaign = source.get_parent().specific
    already = set(
        NewsDelivery.objects.filter(news_key=source.translation_key).values_list("email", flat=True)
    )
    base_url = _base_url(source)
    editions = {}
    sent = 0
    for email, language in recipients(campaign.translation_key).items():
        if email in already:
            continue
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        if language not in editions:
            editions[language] = Edition(source, campaign, language)
        message = editions[language].message(email, campaign.translation_key, base_url)
        try:
            with transaction.atomic():
                delivery = NewsDelivery.objects.create(
                    news_key=source.translation_key, email=email, language=language
                )
        except IntegrityError:  # another run of this task took it
            continue
        try:
            message.send()
        except Exception:
            # Not sent: forget the delivery so that running the task again sends it.
            delivery.delete()
            raise
        sent += 1
    NewsMailing.objects.filter(news_key=source.translation_key).update(finished_at=timezone.now())
    return sent


def news_published(sender, instance, **kwargs):
    """``page_published``: the first publication of a news item queues its mailing."""
    if not isinstance(instance, CampaignNewsPage) or instance.alias_of_id is not None:
        return
    campaign = instance.get_parent()
    _mailing, created = NewsMailing.objects.get_or_create(
        news_key=instance.translation_key,
        defaults={"campaign_key": campaign.translation_key},
    )
    if created:
        page_id = instance.pk
        transaction.on_commit(lambda: send_news.enqueue(page_id))
