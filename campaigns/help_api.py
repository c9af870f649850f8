"""What the JSON API shows of the ways to help a campaign besides money (docs/api.md,
"Campaigns"): ``help`` (people who help, hours offered, things lent or given: confirmed
offers only) and ``needs`` (each need, its places and the address of its offer form).

Never a helper: no name, email, phone, availability or note leaves here, only counts.
A listing reads the needs and the figures of its whole page of results in two queries
(``prefetch``, from CampaignPage.api_prefetch), whatever the number of campaigns.
"""

from django.urls import reverse

from rest_framework import serializers

from helpers.api import absolute

from .needs import HelpFigures, Need


def prefetch(pages):
    """Read the needs (with their waiting lists' lengths) and the help figures of ``pages``
    in two queries, and keep them on each page (every language of a campaign shares them)
    as CampaignPage._help would read them for one page."""
    keys = {page.translation_key for page in pages}
    needs = {}
    for need in Need.objects.filter(campaign_key__in=keys).shown():
        needs.setdefault(need.campaign_key, []).append(need)
    figures = HelpFigures.of(keys)
    for page in pages:
        # CampaignPage._help is a cached_property: what it would read, read already
        page.__dict__["_help"] = (
            needs.get(page.translation_key, []),
            figures.get(page.translation_key, HelpFigures()),
        )


def help_data(page, request):
    """{people, hours, things} of the campaign's confirmed offers."""
    return page.help_figures.as_dict()


def _when(moment):
    return serializers.DateTimeField().to_representation(moment) if moment else None


def need_data(need, request):
    """One need as the API shows it; its offer form in the active language (the page's),
    null once it takes no offers."""
    offer_url = None
    if need.accepts_offers:
        offer_url = absolute(request, reverse("help:offer_help", args=[need.pk]))
    return {
        "id": need.pk,
        "kind": need.kind,
        "title": need.title,
        "description": need.description,
        "language": need.language,
        "starts_at": _when(need.starts_at),
        "place": need.place,
        "hours_per_person": float(need.hours) if need.hours is not None else None,
        "wanted": need.wanted,
        "confirmed": need.taken,
        "waiting": need.waiting,
        "places_left": need.places_left,
        "state": need.state,
        "offer_url": offer_url,
    }


def needs_data(page, request):
    """The campaign's needs, open ones first, in their order."""
    return [need_data(need, request) for need in page.shown_needs]
