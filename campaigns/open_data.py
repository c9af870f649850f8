"""Open data (docs/api.md, "Open data"): every published campaign as CSV and JSON, and totals
by district and year, under the Licence Ouverte / Open Licence 2.0 (Etalab).

Nothing personal ever leaves through here: no donor, helper, leader or message, only each
campaign's public figures, read from the ledger's tallies, and what it received besides money
(counts of confirmed offers of help, campaigns/needs.py). Every response costs the same few
queries whatever the number of campaigns.
"""

import csv
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from helpers.spreadsheets import spreadsheet_safe
from helpers.visibility import public_pages
from home.participatory_budget import ParticipatoryBudgetStage

from .closing import ClosingResult
from .impact import collect as collect_impact
from .models import CampaignPage, Category, District, listing_annotations
from .needs import HelpFigures, Need
from .payouts import money_use_annotations

LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "spdx": "etalab-2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "attribution": "Les Co-citoyens (Co-city)",
}
CSV_FILENAME = "cocity-campaigns.csv"


def title_field(language_code):
    """The column of a campaign's title in ``language_code``: title_fr, title_zh_hans…"""
    return "title_" + language_code.replace("-", "_")


# What a campaign received besides money, and what it still asks for: counts only, never
# a helper.
HELP_FIELDS = {
    "helpers": (
        "integer",
        "People who help the project (give time or lend or give things): confirmed offers "
        "of help, each person counted once (same email or phone) with the people who come "
        "with them.",
    ),
    "hours_offered": (
        "decimal",
        "Hours of help offered: for each confirmed offer to a task, the people who come times "
        "the task's hours per person (1 decimal).",
    ),
    "things_lent": ("integer", "Things lent or given (confirmed offers)."),
    "needs_open": (
        "integer",
        "Needs (tasks, things to lend or give) still taking offers of help: open, and their "
        "date, if any, not come yet.",
    ),
    "needs": ("integer", "Needs the project has published, taking offers or not."),
}


# Field name → (type, definition), in the order of the CSV columns.
FIELDS = {
    "id": ("uuid", "Stable identifier of the campaign, the same in every language."),
    **{
        title_field(code): (
            "string",
            f"Title in {name} ({code}); empty while the campaign is not translated into it.",
        )
        for code, name in (
            ("fr", "French"),
            ("en", "English"),
            ("ar", "Arabic"),
            ("pt", "Portuguese"),
            ("zh-hans", "Simplified Chinese"),
        )
    },
    "district_code": ("string", "Postcode of the Paris arrondissement or slug of the town."),
    "district_name": ("string", "Name of the district, in French."),
    "category_code": ("string", "Code of the category (nature, culture…)."),
    "category_name": ("string", "Name of the category, in French."),
    "goal_eur": ("decimal", "Amount the campaign asks for, in euros (2 decimals)."),
    "threshold_eur": (
        "decimal",
        "Amount from which the campaign counts as a success, in euros (2 decimals).",
    ),
    "raised_eur": (
        "decimal",
        "Amount given so far, refunds deducted, in euros (2 decimals).",
    ),
    "donors": (
        "integer",
        "Number of people who gave (one email address or offline donor counted once).",
    ),
    "paid_out_eur": (
        "decimal",
        "Amount the association has paid out to the project so far, in euros (2 decimals).",
    ),
    "spent_eur": (
        "decimal",
        "Amount of the project's expenses recorded so far (what was bought, against the "
        "budget), in euros (2 decimals).",
    ),
    "status": (
        "string",
        "upcoming (not open yet), live (taking gifts), succeeded (ended at or above the "
        "threshold), failed (ended below the threshold, all-or-nothing: donors refunded) or "
        "closed (ended below the threshold, keep-it-all).",
    ),
    "opens_at": ("datetime", "When the campaign opens, ISO 8601 with the Paris offset."),
    "closes_at": ("datetime", "When the campaign closes, ISO 8601 with the Paris offset."),
    "url": ("url", "Address of the campaign's page (in French when it exists)."),
    "pb_edition": (
        "integer",
        "Edition (year of the vote) of the Paris Participatory Budget the campaign is also a "
        "project of; empty when it is not one.",
    ),
    "pb_stage": (
        "string",
        "Its stage in the Participatory Budget: "
        + ", ".join(ParticipatoryBudgetStage.values)
        + " (idea submitted, under study, on the ballot, voted, being built, built, not "
        "retained); empty when it is not a project.",
    ),
    "pb_project_number": ("string", "Its number on the city's site, when known."),
    "pb_url": ("url", "Its page on the city's site (decider.paris.fr), when known."),
    **{
        name: HELP_FIELDS[name]
        for name in ("helpers", "hours_offered", "things_lent", "needs_open", "needs")
    },
}
JSON_ONLY_FIELDS = {
    "page_ids": (
        "object",
        "Wagtail page id of the campaign's page in each language it can be read in "
        "(translations and untranslated copies): the <id> of /embed/campaign/<id>/.",
    ),
}
GROUP_FIELDS = {
    "campaigns": ("integer", "Number of published campaigns."),
    "raised_eur": ("decimal", "Amount given to them, refunds deducted, in euros."),
    "donors": (
        "integer",
        "People who gave to each of them, added up (someone who gave to two counts twice).",
    ),
    "ended": (
        "integer",
        "Campaigns closed: their closing time has passed and their result is stored.",
    ),
    "succeeded": (
        "integer",
        "Closed campaigns that succeeded: what they raised by their closing time reached "
        "their success threshold.",
    ),
    "success_rate": (
        "number",
        "succeeded / ended, between 0 and 1 (4 decimals); null when no campaign has closed.",
    ),
    "helpers": (
        "integer",
        "People who help each of them (time, things), added up (someone who helps two "
        "counts twice).",
    ),
    "hours_offered": HELP_FIELDS["hours_offered"],
    "things_lent": HELP_FIELDS["things_lent"],
    "needs_open": HELP_FIELDS["needs_open"],
    "needs": HELP_FIELDS["needs"],
}
# The overall totals are the impact figures (campaigns/impact.py), as on the impact page and
# the home page: the same numbers everywhere.
OVERALL_FIELDS = {
    **GROUP_FIELDS,
    "given_eur": ("decimal", "Part of raised_eur given by residents (online and offline)."),
    "matched_eur": ("decimal", "Part of raised_eur matched by sponsors' funds."),
    "online_eur": ("decimal", "Part of given_eur given online."),
    "offline_eur": ("decimal", "Part of given_eur given by cash, cheque or bank transfer."),
    "people": (
        "integer",
        "People who gave, each counted once (same email, or same name for a gift recorded "
        "by staff), whatever the number of their gifts.",
    ),
}


STATS_FIELDS = {
    "district_code": FIELDS["district_code"],
    "district_name": FIELDS["district_name"],
    "year": ("integer", "Year the campaigns close, in Paris time."),
    **GROUP_FIELDS,
}


def euros(cents):
    """Integer cents as a plain decimal string in euros: 123450 → "1234.50"."""
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def hours(value):
    """Hours as a plain decimal string with one decimal: Decimal("7.50") → "7.5"."""
    return str(value.quantize(Decimal("0.1")))


def local_iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _count_needs(needs):
    """The number of ``needs`` of the campaign (a subquery of the campaign's pages)."""
    counted = (
        needs.filter(campaign_key=OuterRef("translation_key"))
        .order_by()
        .values("campaign_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


def needs_annotations():
    """Each campaign page with ``needs_count`` and ``needs_open`` (taking offers), in its
    own query."""
    return {
        "needs_count": _count_needs(Need.objects.all()),
        "needs_open": _count_needs(Need.objects.taking_offers()),
    }


def needs_by_campaign(campaign_keys):
    """{campaign key: (needs taking offers, needs)} in one query."""
    rows = (
        Need.objects.filter(campaign_key__in=list(campaign_keys))
        .order_by()
        .values("campaign_key")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(pk__in=Need.objects.taking_offers().values("pk"))),
        )
        .values_list("campaign_key", "open", "total")
    )
    return {key: (open_, total) for key, open_, total in rows}


def _public_campaigns(request):
    """The published campaigns, one entry per campaign (translation key), each a dict with
    its main page (French when translated into French) and what the rows need. Five queries."""
    versions = (
        public_pages(CampaignPage.objects.all())
        .defer("body")
        .select_related("locale", "district", "category")
        .annotate(**listing_annotations(), **money_use_annotations(), **needs_annotations())
        .order_by("opens_at", "translation_key", "pk")
    )
    campaigns = defaultdict(list)
    for version in versions:
        campaigns[version.translation_key].append(version)
    french_districts = _french_names(District)
    french_categories = _french_names(Category)
    helped = HelpFigures.of(campaigns)

    entries = []
    for key, pages in campaigns.items():
        # An alias is an untranslated copy of another version (shown with a notice).
        translations = {
            page.locale.language_code: page for page in pages if page.alias_of_id is None
        }
        if not translations:
            continue
        main = translations.get(settings.LANGUAGE_CODE) or next(iter(translations.values()))
        entries.append(
            {
                "key": key,
                "main": main,
                "translations": translations,
                "page_ids": {page.locale.language_code: page.pk for page in pages},
                "district": _in_french(main.district, french_districts),
                "category": _in_french(main.category, french_categories),
                "url": request.build_absolute_uri(main.get_url(request)),
                "help": helped.get(key, HelpFigures()),
            }
        )
    return entries


def _french_names(model):
    return dict(
        model.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list(
            "translation_key", "name"
        )
    )


def _in_french(snippet, french_names):
    """(code, French name) of a district or category, ("", "") when there is none."""
    if snippet is None:
        return "", ""
    return snippet.code, french_names.get(snippet.translation_key, snippet.name)


def _row(entry):
    main = entry["main"]
    row = {"id": str(entry["key"])}
    for code, _name in settings.LANGUAGES:
        translation = entry["translations"].get(code)
        row[title_field(code)] = translation.title if translation else ""
    row.update(
        district_code=entry["district"][0],
        district_name=entry["district"][1],
        category_code=entry["category"][0],
        category_name=entry["category"][1],
        goal_eur=euros(main.goal_cents),
        threshold_eur=euros(main.threshold_cents),
        raised_eur=euros(main.raised_cents),
        donors=main.donor_count,
        paid_out_eur=euros(main.paid_out_cents),
        spent_eur=euros(main.spent_cents),
        status=main.status.value,
        opens_at=local_iso(main.opens_at),
        closes_at=local_iso(main.closes_at),
        url=entry["url"],
        pb_edition=main.pb_edition if main.pb_edition is not None else "",
        pb_stage=main.pb_stage,
        pb_project_number=main.pb_project_number,
        pb_url=main.pb_url,
        helpers=entry["help"].people,
        hours_offered=hours(entry["help"].hours),
        things_lent=entry["help"].things,
        needs_open=main.needs_open,
        needs=main.needs_count,
    )
    return row


def _cacheable(response):
    patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
    return response


def _definitions(fields):
    return {name: {"type": kind, "description": text} for name, (kind, text) in fields.items()}


@require_safe
def campaigns_csv(request):
    """Every published campaign as CSV: UTF-8 with a byte order mark (so that Excel reads
    accents, Arabic and Chinese right), comma-separated, CRLF line ends (RFC 4180)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, CSV_FILENAME)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(FIELDS)
    for entry in _public_campaigns(request):
        writer.writerow([spreadsheet_safe(value) for value in _row(entry).values()])
    return _cacheable(response)


@require_safe
def campaigns_json(request):
    """Every published campaign as JSON, with the licence and each field's definition."""
    rows = [{**_row(entry), "page_ids": entry["page_ids"]} for entry in _public_campaigns(request)]
    return _cacheable(
        JsonResponse(
            {
                "licence": LICENCE,
                "generated_at": local_iso(timezone.now()),
                "fields": _definitions({**FIELDS, **JSON_ONLY_FIELDS}),
                "campaigns": rows,
            },
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    )


class _Totals:
    """The figures of a group of campaigns (a district, a year, all of them)."""

    def __init__(self):
        self.campaigns = self.raised_cents = self.donors = self.ended = self.succeeded = 0
        self.help = HelpFigures()
        self.needs_open = self.needs = 0

    def add(self, campaign, raised_cents, received, needs):
        """Count ``campaign`` (an impact.PublicCampaign) that raised ``raised_cents``, was
        helped as ``received`` (HelpFigures) says and published ``needs`` (open, all)."""
        self.campaigns += 1
        self.raised_cents += raised_cents
        self.donors += campaign.donor_count
        self.help.people += received.people
        self.help.hours += received.hours
        self.help.things += received.things
        self.needs_open += needs[0]
        self.needs += needs[1]
        if campaign.result:
            self.ended += 1
            if campaign.result == ClosingResult.SUCCEEDED:
                self.succeeded += 1

    def as_dict(self):
        return {
            "campaigns": self.campaigns,
            "raised_eur": euros(self.raised_cents),
            "donors": self.donors,
            "ended": self.ended,
            "succeeded": self.succeeded,
            "success_rate": round(self.succeeded / self.ended, 4) if self.ended else None,
            **self.help_dict(),
        }

    def help_dict(self):
        return {
            "helpers": self.help.people,
            "hours_offered": hours(self.help.hours),
            "things_lent": self.help.things,
            "needs_open": self.needs_open,
            "needs": self.needs,
        }


def closing_year(campaign):
    """The year a campaign counts in: the year it closes, in Paris (its result is known then)."""
    return timezone.localtime(campaign.closes_at).year


def _overall(totals, impact):
    """The overall totals: the impact figures (``impact``), and the gifts and needs counted
    by campaign (``totals``)."""
    rate = impact["success_rate"]
    return {
        "campaigns": impact["campaigns_count"],
        "raised_eur": euros(impact["raised_cents"]),
        "donors": totals.donors,
        "ended": impact["closed_count"],
        "succeeded": impact["campaigns_funded"],
        "success_rate": None if rate is None else round(rate, 4),
        "given_eur": euros(impact["given_cents"]),
        "matched_eur": euros(impact["matched_cents"]),
        "online_eur": euros(impact["online_cents"]),
        "offline_eur": euros(impact["offline_cents"]),
        "people": impact["people"],
        "helpers": impact["helpers"],
        "hours_offered": hours(impact["hours_offered"]),
        "things_lent": impact["things_lent"],
        "needs_open": totals.needs_open,
        "needs": totals.needs,
    }


@require_safe
def stats_json(request):
    """Totals of the published campaigns: overall (the impact figures, as on the impact page
    and the home page), by district and by closing year, from the same computation."""
    now = timezone.now()
    campaigns, raised, helped, impact = collect_impact()
    needs = needs_by_campaign(campaigns)
    overall = _Totals()
    by_district = defaultdict(_Totals)
    by_year = defaultdict(_Totals)
    for key, campaign in campaigns.items():
        district = (campaign.district_code, campaign.district_name_fr)
        received = helped.get(key, HelpFigures())
        for totals in (overall, by_district[district], by_year[closing_year(campaign)]):
            totals.add(campaign, raised.get(key, 0), received, needs.get(key, (0, 0)))
    return _cacheable(
        JsonResponse(
            {
                "licence": LICENCE,
                "generated_at": local_iso(now),
                "fields": _definitions({**STATS_FIELDS, **OVERALL_FIELDS}),
                "overall": _overall(overall, impact),
                "by_district": [
                    {"district_code": code, "district_name": name, **totals.as_dict()}
                    for (code, name), totals in sorted(by_district.items())
                ],
                "by_year": [
                    {"year": year, **totals.as_dict()} for year, totals in sorted(by_year.items())
                ],
            },
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    )
