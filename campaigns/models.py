"""Campaign pages: listing and campaign, districts and categories (translatable snippets)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.queryset import FakeQuerySet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from donations import ledger
from helpers import compiled, featured, frame
from helpers.api import CodeNameField, ComputedField, ImageField, absolute, with_image
from helpers.lazy import Once
from helpers.listing import ListingFilter, filter_and_paginate
from helpers.money import format_money
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
    ParticipatoryBudgetStage,
    participatory_budget_panel,
)
from home.participatory_budget import (
    api_representation as participatory_budget_data,
)

from . import closing as closings
from . import help_api, payouts
from .admin_forms import CampaignPageForm
from .closing import CampaignClosing, ClosingEmail  # noqa: F401 - models of the app
from .impact import ImpactPage  # noqa: F401 - models of the app
from .needs import HelpFigures, HelpOffer, Need  # noqa: F401 - models of the app
from .news import CampaignNewsPage, NewsDelivery, NewsMailing  # noqa: F401 - models of the app
from .panels import EmbedSnippetsPanel
from .participatory_budget import ParticipatoryBudgetPage  # noqa: F401 - models of the app
from .payouts import Expense, Payout  # noqa: F401 - models of the app


class District(TranslatableMixin, models.Model):
    """A Paris arrondissement or an Île-de-France town."""

    class Kind(models.TextChoices):
        ARRONDISSEMENT = "arrondissement", _("Paris arrondissement")
        TOWN = "town", _("Town")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Used in addresses, e.g. 75020 or montreuil.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("kind")]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("code"),
        SynchronizedField("kind"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Category(TranslatableMixin, models.Model):
    """What a project is about: garden, culture, solidarity…"""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40)

    panels = [FieldPanel("name"), FieldPanel("code")]
    translatable_fields = [TranslatableField("name"), SynchronizedField("code")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self):
        return self.name


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    LIVE = "live", _("Live")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Not funded")
    CLOSED = "closed", _("Closed")


class FundingRule(models.TextChoices):
    KEEP_IT_ALL = "keep_it_all", _("Keep it all: the project receives what was raised")
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing: donors are refunded below the threshold")


class CampaignIndexPage(ListingPage):
    """The campaigns of one language, as cards, filterable without JavaScript."""

    subpage_types = ["campaigns.CampaignPage"]

    class Meta:
        verbose_name = _("campaign listing")

    def campaigns(self):
        """The campaigns under this page that the public may see, with their totals, in one
        query (plus the private sections'). The cards' pictures are kept with the frame
        (home/templatetags/picture_tags.py): their renditions are read only to build one."""
        return (
            public_pages(CampaignPage.objects.child_of(self))
            .select_related("district", "category", "hero_image")
            .annotate(**listing_annotations())
            .order_by("-opens_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # read only when shown: not when the listing's fragment is kept (the template)
        listing = Once(lambda: self._listing(request))
        context.update(campaigns=Once(lambda: listing()[0]), filters=Once(lambda: listing()[1]))
        return context

    def participatory_budget_editions(self):
        """The editions of the Participatory Budget its public campaigns belong to, newest
        first: kept with the frame (helpers/frame.py), per set of private sections."""
        return frame.shared(
            f"pb-editions:{self.pk}:{private_sections().paths}",
            lambda: sorted(
                set(
                    public_pages(CampaignPage.objects.child_of(self))
                    .filter(pb_edition__isnull=False)
                    .values_list("pb_edition", flat=True)
                ),
                reverse=True,
            ),
        )

    def participatory_budget_filters(self):
        """The edition and stage filters, when a campaign of the listing is a Participatory
        Budget project (none otherwise: no empty drop-down)."""
        editions = self.participatory_budget_editions()
        if not editions:
            return []
        return [
            ListingFilter(
                "pb",
                _("Participatory Budget"),
                [(str(edition), str(edition)) for edition in editions],
                lambda qs, value: qs.filter(pb_edition=int(value)),
                strict=True,
            ),
            ListingFilter(
                "pb_stage",
                _("Participatory Budget stage"),
                ParticipatoryBudgetStage.choices,
                lambda qs, value: qs.filter(pb_stage=value),
                strict=True,
            ),
        ]

    def help_filters(self):
        """ "Looking for time or things": campaigns with a need that takes offers, when some
        campaign has needs at all (kept with the frame: Need is watched)."""
        if not frame.shared("campaigns-have-needs", lambda: Need.objects.exists()):
            return []
        return [
            ListingFilter(
                "help",
                _("Ways to help"),
                [("wanted", _("Looking for time or things"))],
                lambda qs, value, now: qs.filter(
                    translation_key__in=Need.objects.taking_offers(now).values("campaign_key")
                ),
                strict=True,
                takes_now=True,
            )
        ]

    def _listing(self, request):
        """(the page of campaigns, the filters) for the visitor's filters and page."""
        return filter_and_paginate(
            request,
            self.campaigns,
            [
                ListingFilter(
                    "status",
                    _("Status"),
                    [(v, label) for v, label in CampaignStatus.choices if v in STATUS_FILTERS],
                    lambda qs, value, now: STATUS_FILTERS[value](qs, now),
                    strict=True,
                    takes_now=True,
                ),
                ListingFilter(
                    "district",
                    _("District"),
                    code_names(District, self.locale_id),
                    lambda qs, value: qs.filter(district__code=value),
                ),
                ListingFilter(
                    "category",
                    _("Category"),
                    code_names(Category, self.locale_id),
                    lambda qs, value: qs.filter(category__code=value),
                ),
                *self.participatory_budget_filters(),
                *self.help_filters(),
            ],
            self.per_page,
            # compiled once per listing, private sections, filters and page (helpers/listing.py)
            key=("campaign-listing", self.path, private_sections().paths),
        )


def code_names(model, locale_id):
    """[(code, name)] of the districts or categories (``model``) of a language, by code: kept
    with the frame (helpers/frame.py; campaigns/apps.py watches both models)."""
    return frame.shared(
        f"code-names:{model._meta.label}:{locale_id}",
        lambda: list(model.objects.filter(locale_id=locale_id).values_list("code", "name")),
    )


def _reached_threshold():
    """Campaigns whose result (what was paid by closes_at) reached the threshold."""
    return models.Q(
        raised_by_close_cents__gte=models.F("goal_cents")
        * models.F("success_threshold_percent")
        / 100
    )


def _ended_open(now, reached):
    """Q: past its closing time, not closed yet (worked out from the tally), ``reached`` its
    threshold or not."""
    threshold = _reached_threshold() if reached else ~_reached_threshold()
    return ~closings.is_closed() & models.Q(closes_at__lte=now) & threshold


# A closed campaign is filtered by its stored result, never by its dates or tally again.
STATUS_FILTERS = {
    "live": lambda qs, now: qs.filter(~closings.is_closed(), opens_at__lte=now, closes_at__gt=now),
    "upcoming": lambda qs, now: qs.filter(~closings.is_closed(), opens_at__gt=now),
    "succeeded": lambda qs, now: qs.filter(
        closings.has_result(closings.ClosingResult.SUCCEEDED) | _ended_open(now, reached=True)
    ),
    "closed": lambda qs, now: qs.filter(
        closings.has_result([closings.ClosingResult.FAILED, closings.ClosingResult.CLOSED])
        | _ended_open(now, reached=False)
    ),
}


def listing_annotations():
    """What a list of campaign pages shows of each, read in its one query: the tally's
    figures (with the sponsors' part) and the stored result of the closed ones."""
    return {
        **ledger.tally_annotations(names=(*ledger.TALLY_FIGURES, "matched_cents")),
        "closing_result": closings.stored_result(),
    }


def closing_time(campaign_key):
    """When the campaign ``campaign_key`` closes (its published pages share closes_at), or
    None if it has no page; the ledger asks it to tell late gifts (see campaigns/apps.py)."""
    pages = CampaignPage.objects.filter(translation_key=campaign_key).order_by("-live", "pk")
    return pages.values_list("closes_at", flat=True).first()


class CampaignPage(HeroImageMixin, ParticipatoryBudgetMixin, BasePage):
    """A civic project raising money: story, budget, donations, progress."""

    # How its progress is drawn, for the pages of the layers below that show a campaign
    # (the donation form and thank-you page: donations/templates/donations/)
    progress_template = "campaigns/includes/progress.html"

    summary = models.TextField(_("summary"), max_length=300)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leaders = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project leaders"),
        blank=True,
        related_name="led_campaigns",
    )
    goal_cents = models.PositiveIntegerField(_("goal (cents)"))
    success_threshold_percent = models.PositiveSmallIntegerField(
        _("success threshold (percentage of the goal)"),
        default=80,
        help_text=_("Co-city counts a campaign as a success from 80 percent of its goal."),
    )
    funding_rule = models.CharField(
        _("funding rule"),
        max_length=20,
        choices=FundingRule.choices,
        default=FundingRule.KEEP_IT_ALL,
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    base_form_class = CampaignPageForm
    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(hero_image_panels(), heading=_("Image")),
        FieldRowPanel([FieldPanel("district"), FieldPanel("category")]),
        participatory_budget_panel(),
        MultiFieldPanel(
            [
                FieldPanel("goal_cents"),
                FieldPanel("success_threshold_percent"),
                FieldPanel("funding_rule"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Funding"),
        ),
        InlinePanel("budget_lines", label=_("Budget: what the money pays for")),
        FieldPanel("leaders"),
        FieldPanel("body"),
    ]
    promote_panels = BasePage.promote_panels + [
        EmbedSnippetsPanel(heading=_("Embed on another website"))
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("summary"),
        *HERO_IMAGE_TRANSLATION_FIELDS,
        *PARTICIPATORY_BUDGET_TRANSLATION_FIELDS,
        TranslatableField("district"),
        TranslatableField("category"),
        SynchronizedField("leaders"),
        SynchronizedField("goal_cents"),
        SynchronizedField("success_threshold_percent"),
        SynchronizedField("funding_rule"),
        SynchronizedField("opens_at"),
        SynchronizedField("closes_at"),
        TranslatableField("budget_lines"),
        TranslatableField("body"),
    ]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = ["campaigns.CampaignNewsPage"]
    api_fields = [
        APIField("summary"),
        APIField("image", serializer=ImageField()),
        APIField("district", serializer=CodeNameField()),
        APIField("category", serializer=CodeNameField()),
        APIField("status"),
        APIField("accepts_donations"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("currency"),
        APIField("goal_cents"),
        APIField("raised_cents", serializer=ComputedField(lambda page, request: page.raised)),
        APIField("donor_count", serializer=ComputedField(lambda page, request: page.donors)),
        APIField("percent_raised"),
        APIField("success_threshold_percent"),
        APIField("threshold_cents"),
        APIField("funding_rule"),
        APIField(
            "participatory_budget",
            serializer=ComputedField(lambda page, request: participatory_budget_data(page)),
        ),
        APIField("display", serializer=ComputedField(lambda page, request: page.api_display())),
        APIField(
            "donate_url",
            serializer=ComputedField(
                lambda page, request: absolute(
                    request, reverse("donations:donate", args=[page.translation_key])
                )
            ),
        ),
        APIField(
            "embed_url",
            serializer=ComputedField(lambda page, request: absolute(request, page.embed_path())),
        ),
        APIField(
            "budget_lines",
            serializer=ComputedField(
                lambda page, request: [
                    {"label": line.label, "amount_cents": line.amount_cents}
                    for line in page.budget_lines.all()
                ]
            ),
        ),
        APIField("help", serializer=ComputedField(help_api.help_data)),
        APIField("needs", serializer=ComputedField(help_api.needs_data)),
        APIField("body"),
    ]
    currency = "EUR"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A campaign must close after it opens.")})
        lines = [line for line in self.budget_lines.all() if not getattr(line, "DELETE", False)]
        total = sum(line.amount_cents or 0 for line in lines)
        if lines and self.goal_cents is not None and total != self.goal_cents:
            raise ValidationError(
                {
                    "goal_cents": _(
                        "The budget lines add up to %(total)s but the goal is %(goal)s: "
                        "they must be equal."
                    )
                    % {"total": format_money(total), "goal": format_money(self.goal_cents)}
                }
            )

    # Totals come from the ledger's tally (annotated by listings, read once otherwise)
    @property
    def totals(self):
        if not hasattr(self, "raised_cents"):
            self._read_figures()
        return self.raised_cents, self.donor_count

    @property
    def raised_by_close(self):
        """Cents paid by closes_at: what decides the result. A gift paid after closing
        counts in ``raised``, never here, so the result never changes after the deadline."""
        if not hasattr(self, "raised_by_close_cents"):
            self._read_figures()
        return self.raised_by_close_cents

    def _read_figures(self):
        """Every figure of the tally (one query, fresh: a gift shows at once), with whether
        the campaign was closed, what was paid out and whether any expense was recorded (for
        money_use): those are staff's and the closing job's records, kept with the frame
        (helpers/frame.py; campaigns/apps.py watches their models), read afresh after any
        change to them (the stored closing itself is read only when there is one)."""
        figures = ledger.money(self.translation_key)
        closing_pk, paid_out_cents, has_expenses = frame.shared(
            f"campaign-records:{self.translation_key}", self._records
        )
        self.money_use_facts = {"paid_out_cents": paid_out_cents, "has_expenses": has_expenses}
        self.raised_cents = figures["raised_cents"]
        self.donor_count = figures["donor_count"]
        self.raised_by_close_cents = figures["raised_by_close_cents"]
        if not hasattr(self, "matched_cents"):
            self.matched_cents = figures["matched_cents"]
        if closing_pk is None:
            self._closing = None  # known not closed: no look-up of its own

    def _records(self):
        """(its stored closing's id or None, cents paid out, whether any expense was
        recorded): one query, compiled once per campaign (helpers/compiled.py)."""
        key = self.translation_key
        rows = compiled.rows(
            ("campaign-records", str(key)),
            lambda: CampaignPage.objects.filter(translation_key=key)
            .annotate(closing_pk=closings.closing_id(), **payouts.money_use_facts())
            .values_list("closing_pk", "paid_out_cents", "has_expenses")[:1],
        )
        return rows[0] if rows else (None, 0, False)

    @property
    def raised(self):
        """Cents raised so far (the ledger's tally)."""
        return self.totals[0]

    @property
    def donors(self):
        """Number of people who gave so far (the ledger's tally)."""
        return self.totals[1]

    @property
    def threshold_cents(self):
        return self.goal_cents * self.success_threshold_percent // 100

    @property
    def percent_raised(self):
        raised, _donors = self.totals
        return min(100, raised * 100 // self.goal_cents) if self.goal_cents else 0

    @property
    def closing(self):
        """The campaign's stored CampaignClosing, or None while it is not closed (read once)."""
        if not hasattr(self, "_closing"):
            self._closing = closings.closing_of(self.translation_key)
        return self._closing

    @property
    def stored_result(self):
        """The result stored when the campaign closed (a ClosingResult value), or None.
        Listings annotate it as ``closing_result``; otherwise it is read once."""
        if hasattr(self, "closing_result"):
            return self.closing_result
        stored = self.closing
        return stored.result if stored else None

    @property
    def outcome(self):
        """What the result is judged on, as stored at closing (else as it stands): a dict of
        goal_cents, threshold_cents, threshold_percent, raised_by_close_cents, reached_goal."""
        stored = self.closing
        if stored is not None:
            goal, threshold, raised = (
                stored.goal_cents,
                stored.threshold_cents,
                stored.raised_by_close_cents,
            )
            percent = closings.threshold_percent(stored)
        else:
            goal, threshold, raised = self.goal_cents, self.threshold_cents, self.raised_by_close
            percent = self.success_threshold_percent
        return {
            "goal_cents": goal,
            "threshold_cents": threshold,
            "threshold_percent": percent,
            "raised_by_close_cents": raised,
            "reached_goal": raised >= goal,
        }

    @cached_property
    def refund_progress(self):
        """How many gifts of a closed campaign were given back (see closing.refund_progress)."""
        return closings.refund_progress(self.translation_key)

    @property
    def matched(self):
        """Cents the sponsors' match funds added (a part of ``raised``); listings annotate
        ``matched_cents``, otherwise it is read once from the ledger."""
        if not hasattr(self, "matched_cents"):
            self._read_figures()
        return self.matched_cents

    @property
    def status(self):
        """Status: draft, upcoming, live, succeeded, failed or closed. Once the campaign is
        closed, its stored result (never worked out again); before, derived from its dates
        and the ledger's tally."""
        if not self.live:
            return CampaignStatus.DRAFT
        now = timezone.now()
        # a campaign is closed only after its closing time: no look-up before (unless a
        # listing annotated the result; see accepts_donations for a closing time moved later)
        if (hasattr(self, "closing_result") or now >= self.closes_at) and self.stored_result:
            return CampaignStatus(self.stored_result)
        if now < self.opens_at:
            return CampaignStatus.UPCOMING
        if now < self.closes_at:
            return CampaignStatus.LIVE
        if self.raised_by_close >= self.threshold_cents:
            return CampaignStatus.SUCCEEDED
        if self.funding_rule == FundingRule.ALL_OR_NOTHING:
            return CampaignStatus.FAILED
        return CampaignStatus.CLOSED

    @property
    def accepts_donations(self):
        """Live, and never closed (staff may move the closing time of a closed campaign
        later: it stays closed)."""
        return self.status == CampaignStatus.LIVE and not self.stored_result

    @property
    def days_left(self):
        return max(0, (self.closes_at - timezone.now()).days)

    @classmethod
    def api_queryset(cls, queryset):
        """Listing of the API: totals, district and category in the same query."""
        return with_image(
            queryset.select_related("district", "category").annotate(**listing_annotations())
        )

    @classmethod
    def api_prefetch(cls, pages):
        """A page of the API's results: the needs and help figures of all its campaigns in
        two queries (campaigns/help_api.py)."""
        help_api.prefetch(pages)

    def api_display(self):
        """The figures as the campaign page shows them, in the active language."""
        return {
            "raised": format_money(self.raised),
            "goal": format_money(self.goal_cents),
            "threshold": format_money(self.threshold_cents),
            "status": str(CampaignStatus(self.status).label),
        }

    def embed_path(self):
        """The embeddable card of this campaign, in the active language."""
        return f"{reverse('campaigns:embed', args=[self.pk])}?lang={get_language()}"

    def recent_donations(self, request, per_page=20):
        """The public list of gifts, paginated (20 a page) from ``?page=N``: the page's gifts
        and how many there are in one query (a window count; Paginator.get_page's rules)."""
        gifts = ledger.public_donations(self.translation_key)
        paginator = Paginator(gifts, per_page)
        asked = request.GET.get("page") or "1"
        if not (isinstance(asked, str) and asked.isdigit() and int(asked) >= 1):
            return paginator.get_page(asked)  # Django's answer to anything else
        number = int(asked)
        start = (number - 1) * per_page
        rows = compiled.instances(  # compiled once per list page (helpers/compiled.py)
            ("listed-gifts", str(self.translation_key), start, per_page),
            lambda: gifts.annotate(listed_count=models.Window(models.Count("pk")))[
                start : start + per_page
            ],
        )
        if not rows:  # an empty list, or a page past the last: the last page
            return paginator.get_page(number)
        paginator.count = rows[0].listed_count  # Paginator.count is a cached_property
        page = paginator.page(number)
        page.object_list = rows
        return page

    RELATED = ("district", "category", "hero_image", "social_image")

    def with_related(self, request=None):
        """The district, the category, the hero and the social images read in one query
        (the page shows them all), kept on this instance. For a live page served to
        ``request``, kept in the frame cache (helpers/frame.py: a new generation whenever a
        page, an image, a district or a category is saved)."""
        if self.pk is None:
            return
        fields = tuple(name for name in self.RELATED if getattr(self, f"{name}_id") is not None)
        if not fields:
            return

        def fetch():
            fetched = CampaignPage.objects.filter(pk=self.pk).select_related(*fields).first()
            if fetched is None:
                return {}
            return {
                name: getattr(fetched, name)
                for name in fields
                if getattr(fetched, f"{name}_id") == getattr(self, f"{name}_id")
            }

        if request is None or getattr(request, "is_preview", False) or not self.live:
            related = fetch()
        else:
            ids = "-".join(str(getattr(self, f"{name}_id")) for name in fields)
            related = frame.shared(f"campaign-related:{self.pk}:{ids}", fetch)
        for name, value in related.items():
            setattr(self, name, value)

    def keep_budget_lines(self, request):
        """The live page's budget lines, kept in the frame cache (helpers/frame.py): they change
        only when the page is saved, which starts a new generation there. A preview or a
        draft reads its own."""
        if getattr(request, "is_preview", False) or not self.live or self.pk is None:
            return
        if "budget_lines" in getattr(self, "_cluster_related_objects", {}):
            return  # lines in memory (a revision being shown)
        lines = frame.shared(f"budget-lines:{self.pk}", lambda: list(self.budget_lines.all()))
        if not hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache = {}
        self._prefetched_objects_cache["budget_lines"] = FakeQuerySet(BudgetLine, lines)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        self.with_related(request)
        self.keep_budget_lines(request)
        # a block of the body that points at this very campaign (the donation block) reads
        # it from localized_pages: let it use this instance and the figures read here
        context["localized_pages"] = {
            pk: self
            if getattr(linked, "translation_key", None) == self.translation_key
            and getattr(linked, "locale_id", None) == self.locale_id
            else linked
            for pk, linked in (context.get("localized_pages") or {}).items()
        }
        # read when the template shows them: not at all when the page's fragments are kept
        # (home/templatetags/fragment_tags.py); the pictures are kept with the frame
        # (home/templatetags/picture_tags.py)
        context["donations"] = Once(lambda: self.recent_donations(request))
        context["needs"] = Once(lambda: self.shown_needs)
        context["featured_sections"] = self.featured_sections(request)
        return context

    @cached_property
    def _help(self):
        """(the needs shown, the help figures), kept with the frame (helpers/frame.py;
        Need and HelpOffer are watched: campaigns/apps.py): two queries after a change, none
        otherwise. A need's date passing shows within the frame's lifetime."""

        def build():
            key = self.translation_key
            return list(Need.objects.of(key).shown()), HelpFigures.for_campaign(key)

        if not self.translation_key:
            return [], HelpFigures()
        return frame.shared(f"campaign-help:{self.translation_key}", build)

    @property
    def shown_needs(self):
        """The needs on the campaign page (campaigns/needs.py NeedQuerySet.shown)."""
        return self._help[0]

    @property
    def has_open_needs(self):
        """True while one of the campaign's needs takes offers."""
        return any(need.taking and not need.is_past for need in self.shown_needs)

    @property
    def help_figures(self):
        """People who help, hours offered, things lent (campaigns/needs.py)."""
        return self._help[1]

    def featured_sections(self, request):
        """The featured sections of the "campaign" slot (the project's stories): for a live
        page, kept in the frame cache per page, scheme, host and language (helpers/frame.py: a
        new generation on every page or image change), so a provider of this slot must show
        only pages and their images."""

        def build():
            return featured.sections_for(self, request, slot="campaign")

        if getattr(request, "is_preview", False) or not self.live:
            return build()
        return frame.part(f"campaign-featured:{self.pk}:{request.scheme}", request, build)


class BudgetLine(TranslatableMixin, Orderable):
    """One line of a campaign's budget: what part of the money pays for."""

    campaign = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(_("what it pays for"), max_length=150)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))

    panels = [FieldPanel("label"), FieldPanel("amount_cents")]
    translatable_fields = [TranslatableField("label"), SynchronizedField("amount_cents")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("budget line")


def closing_time_published(sender, instance, **kwargs):
    """A campaign page was published, maybe with another closing time: the ledger works out
    again which gifts are late and the result, if its tally used another one."""
    ledger.closing_time_changed(instance.translation_key, instance.closes_at)


def preview_campaign():
    """The first live public campaign (closing soonest), in the editor's language when it
    has that version, or None when none is open: the campaign the donation and
    call-to-action blocks show in their previews (helpers/block_previews.py)."""
    campaigns = STATUS_FILTERS["live"](public_pages(CampaignPage.objects.all()), timezone.now())
    campaigns = campaigns.order_by("closes_at", "pk")
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:  # no locale yet (an empty database)
        return campaigns.first()
    return campaigns.filter(locale=locale).first() or campaigns.first()
