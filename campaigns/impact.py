"""The impact page: what the money did, computed from the ledger (docs/operations.md,
"Impact figures"), and what residents gave besides money.

Campaigns funded, success rate over closed campaigns, money by year and by district, online
and offline, matched by sponsors, people who gave; people who help, hours offered, things
lent or given (confirmed offers of help, campaigns/needs.py): one computation
(``impact_figures``) read by this page, the home page's key figures and open data, so no
figure is typed by hand.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Least
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wagtail.api import APIField

from donations import ledger
from donations.models import Dispute, DisputeStatus, Donation, DonationSource, DonationStatus
from helpers import compiled, frame
from helpers.api import ComputedField
from helpers.visibility import private_sections, public_pages
from home import figures
from home.models import ListingPage

from .closing import CampaignClosing, ClosingResult
from .needs import HelpFigures


@dataclass(frozen=True)
class PublicCampaign:
    """What the figures need of one campaign the public may see."""

    district: object  # the district's translation key, None without a district
    district_name: str  # in the reader's language, else French
    district_code: str
    district_name_fr: str
    result: str  # stored at closing (ClosingResult), None while not closed
    closes_at: object
    donor_count: int  # the campaign's tally: people who gave to it


def public_campaigns():
    """{campaign key: PublicCampaign} of the campaigns the public may see, in one query
    (plus the private sections, remembered per request), compiled once per language and
    set of private sections (helpers/compiled.py). A campaign read in several languages
    counts once (its translation key); untranslated copies (aliases) are left out."""
    # campaigns.models imports this module
    from .models import CampaignPage, District  # noqa: PLC0415

    def district_name(language):
        names = District.objects.filter(
            translation_key=OuterRef("district__translation_key"), locale__language_code=language
        )
        return Subquery(names.values("name")[:1])

    language = get_language() or settings.LANGUAGE_CODE
    private = private_sections()

    def build():
        closing = CampaignClosing.objects.filter(campaign_key=OuterRef("translation_key"))
        return (
            public_pages(CampaignPage.objects.filter(alias_of__isnull=True), private)
            .annotate(
                name_here=district_name(language),
                name_fr=Coalesce(district_name(settings.LANGUAGE_CODE), F("district__name")),
                result=Subquery(closing.values("result")[:1]),
                **ledger.tally_annotations(names=["donor_count"]),
            )
            .order_by("translation_key", "pk")
            .values_list(
                "translation_key",
                "district__translation_key",
                "name_here",
                "district__code",
                "name_fr",
                "result",
                "closes_at",
                "donor_count",
            )
        )

    campaigns = {}
    rows = compiled.rows(("impact:campaigns", language, private.paths), build)
    for key, district, name, code, name_fr, result, closes_at, donors in rows:
        if key not in campaigns:
            campaigns[key] = PublicCampaign(
                district, name or name_fr, code or "", name_fr or "", result, closes_at, donors
            )
    return campaigns


def gift_year():
    """The year a gift counts in, in Paris: the day it was received for a gift recorded by
    staff, else the day it was paid."""
    paris = timezone.get_default_timezone()
    return Coalesce(
        ExtractYear("received_on"),
        ExtractYear("paid_at", tzinfo=paris),
        ExtractYear("created_at", tzinfo=paris),
    )


def counted_gifts(campaign_keys):
    """The gifts (and matches) that count in the campaigns ``campaign_keys``: paid, each
    annotated with ``remaining`` (its amount net of refunds) and ``lost`` (what lost
    disputes took out of it, at most what remains: the ledger's rule)."""
    lost = (
        Dispute.objects.filter(donation=OuterRef("pk"), status=DisputeStatus.LOST)
        .values("donation")
        .annotate(cents=Sum("amount_cents"))
        .values("cents")
    )
    remaining = F("amount_cents") - F("refunded_cents")
    return (
        Donation.objects.filter(campaign_key__in=campaign_keys, status=DonationStatus.PAID)
        .annotate(remaining=remaining, disputed=Coalesce(Subquery(lost), Value(0)))
        .annotate(lost=Least(F("disputed"), remaining))
    )


def impact_figures():
    """The association's figures, from the ledger and the stored closings, for the campaigns
    the public may see; amounts in integer cents, net of refunds and of lost disputes.

    Returns a dict: campaigns_count (public campaigns), campaigns_funded (closed with the
    result "succeeded"), closed_count (closed, their result stored), success_rate
    (campaigns_funded / closed_count, between 0 and 1; None before any closing),
    raised_cents (given + matched), given_cents (residents' gifts: online + offline),
    matched_cents (sponsors' matches), online_cents, offline_cents, disputed_cents (taken
    out by lost disputes), people (distinct people who gave: ledger.person_key, gifts lost
    in full to a dispute left out), districts (districts with a public campaign), by_year
    [(year, cents raised)] oldest first (the year a gift was paid or received), by_district
    [(district name in the reader's language, cents raised)] largest first; helpers (people
    who help each campaign, added up: HelpFigures), hours_offered (a Decimal), things_lent.
    Three queries (plus the private sections', remembered per request, and the help figures'
    after a change, kept with the frame), whatever the number of campaigns, gifts or offers
    of help.
    """
    return collect()[3]


def collect():
    """(public_campaigns(), {campaign key: cents raised}, {campaign key: HelpFigures}, the
    figures of impact_figures()): for open data, which groups the same campaigns by district
    and closing year."""
    campaigns = public_campaigns()
    keys = tuple(campaigns)  # their SQL compiled once per set of campaigns (helpers/compiled.py)
    rows = compiled.rows(
        ("impact:money", keys),
        lambda: (
            counted_gifts(keys)
            .annotate(year=gift_year())
            .values_list("campaign_key", "source", "year")
            .annotate(net=Sum(F("remaining") - F("lost")), lost_cents=Sum("lost"))
            .order_by()
        ),
    )
    by_source, by_year, by_campaign = defaultdict(int), defaultdict(int), defaultdict(int)
    disputed = 0
    for key, source, year, cents, lost in rows:
        by_source[source] += cents
        by_year[year] += cents
        by_campaign[key] += cents
        disputed += lost
    # one row (one group: a constant), or none without any gift
    people = compiled.rows(
        ("impact:people", keys),
        lambda: (
            counted_gifts(keys)
            .exclude(source=DonationSource.MATCH)
            .filter(lost__lt=F("remaining"))
            .annotate(everyone=Value(1))
            .values("everyone")
            .annotate(people=Count(ledger.person_key(), distinct=True))
            .values_list("people", flat=True)
            .order_by()
        ),
    )
    people = people[0] if people else 0
    # kept with the frame (Need and HelpOffer are watched, and so are pages: campaigns/apps.py)
    digest = hashlib.sha256(",".join(sorted(str(key) for key in keys)).encode()).hexdigest()
    helped = frame.shared(f"help-figures:{digest[:32]}", lambda: HelpFigures.of(keys))

    results = [campaign.result for campaign in campaigns.values() if campaign.result]
    funded = results.count(ClosingResult.SUCCEEDED)
    online = by_source[DonationSource.ONLINE]
    offline = by_source[DonationSource.OFFLINE]
    matched = by_source[DonationSource.MATCH]
    districts = {campaign.district for campaign in campaigns.values() if campaign.district}
    impact = {
        "campaigns_count": len(campaigns),
        "campaigns_funded": funded,
        "closed_count": len(results),
        "success_rate": funded / len(results) if results else None,
        "raised_cents": online + offline + matched,
        "given_cents": online + offline,
        "matched_cents": matched,
        "online_cents": online,
        "offline_cents": offline,
        "disputed_cents": disputed,
        "people": people,
        "districts": len(districts),
        "helpers": sum(received.people for received in helped.values()),
        "hours_offered": sum((received.hours for received in helped.values()), Decimal(0)),
        "things_lent": sum(received.things for received in helped.values()),
        "by_year": sorted(by_year.items()),
        "by_district": _by_district(campaigns, by_campaign),
    }
    return campaigns, dict(by_campaign), helped, impact


def _by_district(campaigns, by_campaign):
    """[(district name, cents raised)] of every district with a public campaign, largest
    first, then by name; campaigns without a district are grouped last."""
    totals, names = defaultdict(int), {}
    for key, campaign in campaigns.items():
        totals[campaign.district] += by_campaign.get(key, 0)
        names[campaign.district] = campaign.district_name
    rows = sorted(
        ((names[district], cents) for district, cents in totals.items() if district),
        key=lambda row: (-row[1], row[0]),
    )
    if None in totals:
        rows.append((gettext("No district"), totals[None]))
    return rows


class ImpactPage(ListingPage):
    """Figures of the association's whole activity, with a chart and the same figures as a
    table (server-rendered, no JavaScript), in every language."""

    subpage_types = []
    max_count_per_parent = 1
    api_fields = ListingPage.api_fields + [
        APIField(
            "figures", serializer=ComputedField(lambda page, request: figures.figures(request))
        )
    ]

    class Meta:
        verbose_name = _("impact page")
        verbose_name_plural = _("impact pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = impact = figures.figures(request)
        # the plural form of "hours offered" is chosen on a whole number (gettext's rule)
        hours = impact.get("hours_offered", Decimal(0))
        context["hours_count"] = int(hours.to_integral_value(rounding=ROUND_HALF_UP))
        return context
