"""Campaign news: what a project leader tells the donors, reviewed like stories.

A CampaignNewsPage is a child of its campaign page, in the language the leader wrote it in
(with copies in the other languages). Published news shows on the campaign page and is
emailed once to the donors who asked for it (campaigns/news_emails.py): ``NewsMailing``
records that a news item was sent out (once per news, whatever its translations and
re-publications), ``NewsDelivery`` each address it went to.
"""

import re
from html import unescape

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from helpers.visibility import public_pages
from home.blocks import CaptionedImageBlock, ParagraphBlock
from home.models import PAGE_TRANSLATABLE_FIELDS, BasePage

NEWS_ON_CAMPAIGN_PAGE = 3  # the newest ones; "all news" shows up to NEWS_LISTED_MAX
NEWS_LISTED_MAX = 100
EXCERPT_LENGTH = 220


class NewsStreamBlock(blocks.StreamBlock):
    """Paragraphs and photos with their alternative text: what the leader's form writes."""

    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()


class CampaignNewsPage(BasePage):
    """News of a campaign, written by one of its leaders for the donors."""

    date = models.DateField(_("date"), default=timezone.localdate)
    body = StreamField(NewsStreamBlock(), verbose_name=_("body"))

    content_panels = BasePage.content_panels + [FieldPanel("date"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        SynchronizedField("date"),
        TranslatableField("body"),
    ]
    parent_page_types = ["campaigns.CampaignPage"]
    subpage_types = []
    # The author is left out on purpose: the API carries no personal data.
    api_fields = [APIField("date"), APIField("body")]

    class Meta:
        verbose_name = _("campaign news")
        verbose_name_plural = _("campaign news")

    def excerpt(self, length=EXCERPT_LENGTH):
        """The start of the first paragraph as plain text (read from the raw body: no
        query, whatever the photos)."""
        for block in self.body.raw_data:
            if block["type"] == "paragraph":
                text = " ".join(unescape(re.sub(r"<[^>]+>", " ", block["value"])).split())
                if len(text) > length:
                    text = text[: length - 1].rsplit(" ", 1)[0] + "…"
                return text
        return ""

    @property
    def copied_language(self):
        """For a language copy (alias): the language its text is written in, and that
        language's direction, e.g. ("ar", "rtl"); None for a page with its own text."""
        if not self.alias_of_id:
            return None
        code = self.alias_of.locale.language_code
        return code, "rtl" if get_language_info(code)["bidi"] else "ltr"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaign_page"] = self.get_parent().specific
        return context


def campaign_news(campaign_page, show_all=False):
    """The public news of ``campaign_page`` (in its language), newest first: a list of at
    most NEWS_ON_CAMPAIGN_PAGE (NEWS_LISTED_MAX with ``show_all``), and whether there are
    more than that. One query (plus the private sections', once per request)."""
    limit = NEWS_LISTED_MAX if show_all else NEWS_ON_CAMPAIGN_PAGE
    news = list(
        public_pages(CampaignNewsPage.objects.child_of(campaign_page))
        .select_related("alias_of__locale")
        .order_by("-date", "-pk")[: limit + 1]
    )
    return news[:limit], len(news) > limit


class NewsMailing(models.Model):
    """A news item was sent to the donors: once per news (its translation_key)."""

    news_key = models.UUIDField(_("news"), unique=True)
    campaign_key = models.UUIDField(_("campaign"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("news mailing")

    def __str__(self):
        return f"{self.news_key} ({self.created_at:%Y-%m-%d})"


class NewsDelivery(models.Model):
    """One address a news item went to (lowercased): never twice."""

    news_key = models.UUIDField(_("news"))
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("news delivery")
        verbose_name_plural = _("news deliveries")
        constraints = [
            models.UniqueConstraint(fields=["news_key", "email"], name="one_delivery_per_address")
        ]

    def __str__(self):
        return f"{self.news_key} → {self.email}"
