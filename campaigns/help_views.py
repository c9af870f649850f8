"""Offering help on a campaign (no account, no JavaScript), the offer's page, withdrawing.

The campaign page lists the needs with a link here for each: the page itself carries no
form (and no CSRF token), so it stays the same for every visitor and may be cached.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from helpers.i18n import content_language, localize_pages
from helpers.ratelimit import per_ip, rate_limited
from helpers.visibility import public_pages

from . import help_links, offers
from .help_forms import HelpOfferForm
from .models import CampaignPage
from .needs import Need, OfferStatus


def campaign_of(need):
    """The campaign of ``need`` in the reader's language (or as it is), else 404: also for a
    campaign the public may not see."""
    page = public_pages(CampaignPage.objects.filter(translation_key=need.campaign_key)).first()
    if page is None:
        raise Http404
    return localize_pages([page], specific=True)[page.pk]


def closed_message(need):
    if need.state == "past":
        return _("This has already taken place: thank you for thinking of it.")
    return _("The project no longer needs this. Call us if you want to help anyway.")


def _form_page(request, need, campaign, form, status=200):
    context = {
        "need": need,
        "campaign": campaign,
        "form": form,
        "need_language": content_language(need.language),
        "months": settings.WORKSHOP_PERSONAL_DATA_MONTHS,
    }
    response = render(request, "campaigns/help/offer_form.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited(per_ip, scope="campaigns.help", setting="HELP_OFFER_POSTS_PER_IP")
def offer_help(request, need_id):
    """GET: the need and the form (a need that takes no offers sends back to the campaign).
    POST: offer; on error, the form again (400) with what was typed."""
    need = get_object_or_404(Need, pk=need_id)
    campaign = campaign_of(need)
    if request.method == "GET":
        if not need.accepts_offers:
            return redirect(campaign.get_url(request) + "#help")
        form = HelpOfferForm(need=need, initial={"language": request.LANGUAGE_CODE})
        return _form_page(request, need, campaign, form)
    form = HelpOfferForm(request.POST, need=need)
    if not form.is_valid():
        return _form_page(request, need, campaign, form, status=400)
    try:
        item = form.save()
    except offers.OffersClosed:
        need.refresh_from_db()
        form.add_error(None, closed_message(need))
        return _form_page(request, need, campaign, form, status=400)
    return redirect("help:offer", token=help_links.view_token(item))


def offer_page(request, token):
    """What the helper sees after offering: confirmed, or on the waiting list."""
    try:
        item = help_links.offer_from_view_token(token)
    except help_links.BadLink:
        return _bad_link(request)
    campaign = campaign_of(item.need)
    context = {
        "offer": item,
        "need": item.need,
        "campaign": campaign,
        "need_language": content_language(item.need.language),
        "withdraw_token": help_links.withdraw_token(item),
        "can_withdraw": item.status != OfferStatus.WITHDRAWN and not item.need.is_past,
    }
    response = render(request, "campaigns/help/offer.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """The link in the email: GET asks to confirm (mail scanners follow links), POST withdraws."""
    try:
        item = help_links.offer_from_withdraw_token(token)
    except help_links.ExpiredLink:
        return _bad_link(request, _("This link has expired: the task has started. Call us."))
    except help_links.BadLink:
        return _bad_link(request)
    campaign = campaign_of(item.need)
    if request.method == "POST" and item.status != OfferStatus.WITHDRAWN:
        offers.withdraw(item)
        item.refresh_from_db()
    template = (
        "campaigns/help/withdrawn.html"
        if item.status == OfferStatus.WITHDRAWN
        else "campaigns/help/withdraw.html"
    )
    context = {
        "offer": item,
        "need": item.need,
        "campaign": campaign,
        "need_language": content_language(item.need.language),
    }
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_link(request, message=None):
    message = message or _(
        "This link is not valid. Copy the whole link from the email, or call us."
    )
    return render(request, "campaigns/help/bad_link.html", {"message": message}, status=400)
