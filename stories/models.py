"""Impact stories: what the money did, told by project leaders and reviewed by staff."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from campaigns.models import CampaignPage, District
from helpers.api import (
    CodeNameField,
    ComputedField,
    ImageField,
    PageLinkField,
    prefetch_links,
    with_image,
)
from helpers.i18n import copied_from_language, localize_pages
from helpers.listing import ListingFilter, filter_and_paginate
from helpers.visibility import private_sections, public_pages
from home.blocks import BodyStreamBlock
from home.models import (
    HERO_IMAGE_TRANSLATION_FIELDS,
    PAGE_TRANSLATABLE_FIELDS,
    BasePage,
    HeroImageMixin,
    ListingPage,
    hero_image_panels,
)
from home.participatory_budget import (
    PARTICIPATORY_BUDGET_TRANSLATION_FIELDS,
    ParticipatoryBudgetMixin,
    participatory_budget_panel,
)
from home.participatory_budget import (
    api_representation as participatory_budget_data,
)

from .blocks import GalleryBlock


class StoryStreamBlock(BodyStreamBlock):
    """The shared blocks (quote, key figures, donation…) plus a photo gallery."""

    gallery = GalleryBlock()


class LeaderProfile(models.Model):
    """What a project leader shows publicly, and the language they read their emails in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leader_profile"
    )
    public_name = models.CharField(
        _("public name"), max_length=100, help_text=_("Shown as the author of their stories.")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("project leader profile")

    def __str__(self):
        return self.public_name


class StoryIndexPage(ListingPage):
    """The stories of one language, newest first, filterable by campaign and district."""

    subpage_types = ["stories.StoryPage"]

    class Meta:
        verbose_name = _("story listing")

    def stories(self):
        """The published stories under this listing, with what the cards show, one query."""
        return (
            public_pages(StoryPage.objects.child_of(self))
            .select_related(
                "hero_image", "district", "campaign", "owner__leader_profile", "alias_of__locale"
            )
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        private = private_sections()
        linked = public_pages(StoryPage.objects.child_of(self), private=private)
        stories, filters = filter_and_paginate(
            request,
            self.stories(),
            [
                ListingFilter(
                    "campaign",
                    _("Campaign"),
                    self.campaigns_of(linked, private),
                    self.filter_by_campaign,
                ),
                ListingFilter(
                    "district",
                    _("District"),
                    self.districts_of(linked),
                    lambda qs, value: qs.filter(district__code=value),
                ),
            ],
            self.per_page,
        )
        stories.object_list = StoryPage.prepare_cards(stories.object_list, self.locale)
        context.update(stories=stories, filters=filters)
        return context

    def campaigns_of(self, stories, private):
        """(slug, title) of the public campaigns ``stories`` tell about, each in this
        listing's language (its translation, else its untranslated copy: the French title),
        once per campaign whatever language each story linked, by title. Two queries."""
        linked = public_pages(Page.objects.filter(pk__in=stories.values("campaign")), private)
        localized = localize_pages(linked, locale=self.locale).values()
        by_key = {page.translation_key: page for page in localized if page is not None}
        return sorted(
            ((page.slug, page.title) for page in by_key.values()),
            key=lambda option: option[1].casefold(),
        )

    @staticmethod
    def filter_by_campaign(stories, slug):
        """The stories about the campaign whose version (in any language) has ``slug``."""
        keys = Page.objects.filter(slug=slug).values("translation_key")
        return stories.filter(campaign__translation_key__in=keys)

    def districts_of(self, stories):
        """(code, name) of the districts of ``stories``, named in this listing's language
        (else in French), by name. One query."""
        codes = District.objects.filter(pk__in=stories.values("district")).values("code")
        names = {}
        for code, name, language in District.objects.filter(
            code__in=codes,
            locale__language_code__in=[self.locale.language_code, settings.LANGUAGE_CODE],
        ).values_list("code", "name", "locale__language_code"):
            if language == self.locale.language_code or code not in names:
                names[code] = name
        return sorted(names.items(), key=lambda option: option[1].casefold())


class StoryPage(HeroImageMixin, ParticipatoryBudgetMixin, BasePage):
    """A story: what a funded project did, with photos, in the leader's own words."""

    introduction = models.TextField(_("introduction"), max_length=500)
    date = models.DateField(_("date"), default=timezone.localdate)
    campaign = models.ForeignKey(
        CampaignPage,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(StoryStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = BasePage.content_panels + [
        FieldPanel("introduction"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("campaign"), FieldPanel("district")]),
        MultiFieldPanel(hero_image_panels(), heading=_("Image")),
        participatory_budget_panel(),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("introduction"),
        SynchronizedField("date"),
        SynchronizedField("campaign"),
        TranslatableField("district"),
        *HERO_IMAGE_TRANSLATION_FIELDS,
        *PARTICIPATORY_BUDGET_TRANSLATION_FIELDS,
        TranslatableField("body"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []
    # The author's name is left out on purpose: the API carries no personal data.
    api_fields = [
        APIField("introduction"),
        APIField("date"),
        APIField("campaign", serializer=PageLinkField()),
        APIField("district", serializer=CodeNameField()),
        APIField("image", serializer=ImageField()),
        APIField(
            "participatory_budget",
            serializer=ComputedField(lambda page, request: participatory_budget_data(page)),
        ),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    @property
    def written_in(self):
        """The ContentLanguage of a copy of a story written in another language (its cards
        say so and mark its text), else None. List with ``select_related("alias_of__locale")``."""
        return copied_from_language(self)

    @staticmethod
    def prepare_cards(stories, locale):
        """Return ``stories`` as a list, each with its campaign and district in ``locale`` (the
        reader's), whatever language the story is written in: ``card_campaign`` (None when
        not public) and ``card_district``. Two queries (three with private sections), whatever
        the number of stories; list them with ``select_related("campaign", "district")``."""

        stories = list(stories)
        campaigns = localize_pages(
            [story.campaign for story in stories if story.campaign_id], locale=locale
        )
        district_keys = {story.district.translation_key for story in stories if story.district_id}
        districts = {}
        if district_keys:
            # In the reader's language, else in French (as the rest of an untranslated page)
            for district in District.objects.filter(
                translation_key__in=district_keys,
                locale__language_code__in=[locale.language_code, settings.LANGUAGE_CODE],
            ):
                if district.locale_id == locale.pk or district.translation_key not in districts:
                    districts[district.translation_key] = district
        for story in stories:
            story.card_campaign = campaigns.get(story.campaign_id)
            story.card_district = (
                districts.get(story.district.translation_key, story.district)
                if story.district_id
                else None
            )
        return stories

    @property
    def author_name(self):
        """The leader's public name, or nothing for a story written by staff."""
        profile = getattr(self.owner, "leader_profile", None) if self.owner_id else None
        return profile.public_name if profile else ""

    @classmethod
    def api_queryset(cls, queryset):
        return with_image(queryset.select_related("campaign", "district"))

    @classmethod
    def api_prefetch(cls, pages):
        prefetch_links(pages, ["campaign"])

    def related_stories(self, count=3):
        """Other published stories of the same language about the same campaign or district."""
        same = models.Q()
        if self.campaign_id:
            same |= models.Q(campaign__translation_key=self.campaign.translation_key)
        if self.district_id:
            same |= models.Q(district__code=self.district.code)
        if not same:
            return StoryPage.objects.none()
        return (
            public_pages(StoryPage.objects.filter(same, locale_id=self.locale_id))
            .exclude(pk=self.pk)
            .select_related("hero_image", "alias_of__locale", "campaign", "district")
            .order_by("-date")[:count]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_stories"] = StoryPage.prepare_cards(self.related_stories(), self.locale)
        # Its campaign (None when not public) and district in the page's language, also for a
        # copy of a story written in another language.
        StoryPage.prepare_cards([self], self.locale)
        context.update(campaign_page=self.card_campaign, district=self.card_district)
        return context


from .proposals import Proposal, ProposalSource, ProposalStatus  # noqa: E402, F401
