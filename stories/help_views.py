"""Ways to help a leader's campaign besides money, in the leaders' space: its needs (add,
edit, close, reopen) and the offers of each need, with the helpers' contact details.

A campaign's needs and offers belong to the campaign in all its languages (``campaign_key``,
its pages' translation_key). Only the campaign's own leaders see them: a need, an offer or a
campaign of somebody else's is a 404, as if it did not exist. Every change of places goes
through campaigns/offers.py; a need's own fields are saved here, then the campaign's cache
tag is purged (its public page shows the needs).
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Page

from campaigns import offers
from campaigns.help_forms import HelpOfferForm, NeedForm
from campaigns.models import CampaignPage
from campaigns.needs import HelpOffer, Need, OfferSource, OfferStatus
from helpers.i18n import active_locale
from home.contact import lacks_contact

from .access import leader_campaigns, leader_required
from .accounts import email_language

NO_CONTACT = _("Give their email address or phone number, so that the team can reach them.")
PAST_MESSAGE = _("This has already taken place: it takes no more offers.")

LEADER_WORDING = {
    "name": (_("Name"), None),
    "email": (
        _("Email"),
        _("If they have one: they receive a confirmation and a link to withdraw."),
    ),
    "phone": (_("Phone number"), _("So that you and the team can call them.")),
    "availability": (_("When they are available"), None),
    "note": (_("Note"), _("What they can do or bring, what they asked.")),
    "language": (_("Language for our messages to them"), None),
}


class LeaderOfferForm(HelpOfferForm):
    """The public offer form (same checks: an email or a phone, how many), worded for the
    leader who writes down an offer someone made them in person."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in LEADER_WORDING.items():
            field = self.fields[name]
            field.label = label
            if help_text:
                field.help_text = help_text
            # the browser must not offer the leader's own name, email or phone
            field.widget.attrs["autocomplete"] = "off"

    def clean(self):
        if lacks_contact(self, self.cleaned_data):
            raise forms.ValidationError(NO_CONTACT)
        return super().clean()


# What a leader may reach


def led_keys(user):
    """The translation keys of the campaigns ``user`` leads (a subquery)."""
    return leader_campaigns(user).values("translation_key")


def campaign_in_language(campaign_key):
    """The campaign ``campaign_key`` in the reader's language, else its original page."""
    pages = CampaignPage.objects.filter(translation_key=campaign_key)
    return (
        pages.filter(locale=active_locale()).first()
        or pages.filter(alias_of__isnull=True).order_by("pk").first()
    )


def led_campaign(request, campaign_id):
    """The campaign page ``campaign_id`` (any language's) of a campaign the leader leads, in
    the reader's language; else 404."""
    page = get_object_or_404(Page, pk=campaign_id, translation_key__in=led_keys(request.user))
    return campaign_in_language(page.translation_key)


def led_need(request, need_id):
    """The need ``need_id`` of a campaign the leader leads, else 404."""
    return get_object_or_404(Need, pk=need_id, campaign_key__in=led_keys(request.user))


def needs_url(campaign):
    return redirect("stories:help_needs", campaign_id=campaign.pk)


def offers_url(need):
    return redirect("stories:help_offers", need_id=need.pk)


def _render(request, template, context, status=200):
    """The page, never stored by a browser or a proxy: it names the helpers."""
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


# The needs of a campaign


@leader_required
def needs(request, campaign_id):
    """All the campaign's needs (open ones first): kind, title, places confirmed of wanted,
    waiting offers, state; with the links to add, edit, close or reopen them."""
    campaign = led_campaign(request, campaign_id)
    return _render(
        request,
        "stories/space/help.html",
        {
            "campaign": campaign,
            # every need, closed and past ones too (shown() is the public page's choice)
            "needs": list(
                Need.objects.of(campaign.translation_key)
                .with_counts()
                .order_by("-is_open", "sort_order", "pk")
            ),
        },
    )


@leader_required
@require_http_methods(["GET", "POST"])
def need_new(request, campaign_id):
    """A new need of the campaign, written in the leader's language unless they choose
    another; created by the leader."""
    campaign = led_campaign(request, campaign_id)
    need = Need(campaign_key=campaign.translation_key, created_by=request.user)
    initial = {"language": email_language(request.user, request.LANGUAGE_CODE)}
    return _need_form(request, campaign, need, initial)


@leader_required
@require_http_methods(["GET", "POST"])
def need_edit(request, need_id):
    need = led_need(request, need_id)
    return _need_form(request, campaign_in_language(need.campaign_key), need, {})


def _need_form(request, campaign, need, initial):
    """GET: the form. POST: save, then fill freed places from the waiting list when the
    number wanted grew; on error the form again (400) with what was typed."""
    context = {"campaign": campaign, "need": need if need.pk else None}
    if request.method == "GET":
        context["form"] = NeedForm(instance=need, initial=initial)
        return _render(request, "stories/space/help_need_form.html", context)
    wanted_before = need.wanted if need.pk else None
    form = NeedForm(request.POST, instance=need)
    if not form.is_valid():
        context["form"] = form
        return _render(request, "stories/space/help_need_form.html", context, status=400)
    with transaction.atomic():
        if wanted_before is not None:
            # under the need's lock: offers confirmed since the form was read count too
            taken = offers.lock(need.pk).taken
            if form.cleaned_data["wanted"] < taken:
                form.add_error(
                    "wanted",
                    gettext("%(taken)s are already confirmed: ask fewer only after some withdraw.")
                    % {"taken": taken},
                )
                context["form"] = form
                return _render(request, "stories/space/help_need_form.html", context, status=400)
        need = form.save(commit=False)
        if wanted_before is None:
            need.save()
        else:
            # only what the form holds: the places (taken) are offers.py's, under the lock
            need.save(update_fields=[*form._meta.fields, "updated_at"])
        promoted = []
        if wanted_before is not None and need.wanted > wanted_before:
            promoted = offers.fill_from_waiting_list(need)
        offers.need_changed(need)
    messages.success(request, gettext("“%(title)s” is saved.") % {"title": need.title})
    if promoted:
        messages.success(request, _moved_message(promoted))
    return needs_url(campaign)


@leader_required
@require_POST
def need_open(request, need_id):
    """Close (``open=0``) or reopen (``open=1``) the need to offers made online."""
    need = led_need(request, need_id)
    need.is_open = request.POST.get("open") == "1"
    need.save(update_fields=["is_open", "updated_at"])
    offers.need_changed(need)
    if need.is_open:
        message = gettext("“%(title)s” takes offers again.")
    else:
        message = gettext("“%(title)s” is closed: it takes no more offers online.")
    messages.success(request, message % {"title": need.title})
    return needs_url(campaign_in_language(need.campaign_key))


def _moved_message(promoted):
    return ngettext(
        "Moved from the waiting list: %(names)s (emailed if they gave an address).",
        "Moved from the waiting list: %(names)s (emailed if they gave an address).",
        len(promoted),
    ) % {"names": ", ".join(item.name for item in promoted)}


# The offers of a need


@leader_required
def need_offers(request, need_id):
    """Who offered: confirmed offers and the waiting list (in order) with their contact
    details; withdrawn offers without them."""
    need = led_need(request, need_id)
    by_status = {status: [] for status in OfferStatus.values}
    for item in need.offers.order_by("created_at", "pk"):
        by_status[item.status].append(item)
    return _render(
        request,
        "stories/space/help_offers.html",
        {
            "campaign": campaign_in_language(need.campaign_key),
            "need": need,
            "confirmed": by_status[OfferStatus.CONFIRMED],
            "waiting": by_status[OfferStatus.WAITLISTED],
            "withdrawn": by_status[OfferStatus.WITHDRAWN],
        },
    )


@leader_required
@require_http_methods(["GET", "POST"])
def offer_new(request, need_id):
    """Write down an offer someone made in person: confirmed if places are free and nobody
    waits, else on the waiting list; also for a need closed online, never once its date has
    come. Bad input: the form again (400)."""
    need = led_need(request, need_id)
    context = {"campaign": campaign_in_language(need.campaign_key), "need": need}
    if need.is_past:
        messages.error(request, PAST_MESSAGE)
        return offers_url(need)
    if request.method == "GET":
        context["form"] = LeaderOfferForm(need=need, initial={"language": request.LANGUAGE_CODE})
        return _render(request, "stories/space/help_offer_form.html", context)
    form = context["form"] = LeaderOfferForm(request.POST, need=need)
    if not form.is_valid():
        return _render(request, "stories/space/help_offer_form.html", context, status=400)
    try:
        item = form.save(staff=request.user, source=OfferSource.SPACE)
    except offers.OffersClosed:
        form.add_error(None, PAST_MESSAGE)
        return _render(request, "stories/space/help_offer_form.html", context, status=400)
    if item.status == OfferStatus.CONFIRMED:
        message = gettext("The offer of %(name)s is added: confirmed.")
    else:
        message = gettext(
            "The offer of %(name)s is on the waiting list: the places are taken, or others "
            "were waiting first."
        )
    messages.success(request, message % {"name": item.name})
    return offers_url(need)


@leader_required
@require_http_methods(["GET", "POST"])
def offer_withdraw(request, offer_id):
    """Withdraw an offer for the helper (they told the leader they cannot come): GET asks to
    confirm, POST withdraws and gives the places to those waiting (who are emailed)."""
    item = get_object_or_404(
        HelpOffer.objects.select_related("need"),
        pk=offer_id,
        campaign_key__in=led_keys(request.user),
    )
    need = item.need
    if item.status == OfferStatus.WITHDRAWN:
        messages.info(request, gettext("This offer is already withdrawn."))
        return offers_url(need)
    if request.method == "GET":
        context = {
            "campaign": campaign_in_language(need.campaign_key),
            "need": need,
            "offer": item,
        }
        return _render(request, "stories/space/help_withdraw.html", context)
    promoted = offers.withdraw(item, user=request.user)
    messages.success(request, gettext("The offer of %(name)s is withdrawn.") % {"name": item.name})
    if promoted:
        messages.success(request, _moved_message(promoted))
    return offers_url(need)
