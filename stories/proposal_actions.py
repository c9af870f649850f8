"""What staff decide about a proposal: accept it (a draft campaign for its leader, whose
account is created and invited if needed) or decline it (with a message), and the email the
proposer gets about it, in their language."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log

from django_tasks import task

from campaigns.models import BudgetLine, CampaignIndexPage, CampaignPage
from helpers.emails import render_subject, render_text
from home.locales import create_language_aliases

from .access import is_leader, leader_campaigns
from .accounts import INVITATION, queue_password_link
from .forms import paragraphs_to_html, text_to_paragraphs
from .leader_admin import set_leader_campaigns
from .models import LeaderProfile
from .proposals import Proposal, ProposalStatus
from .workflow import ensure_groups

ACCEPTED = "accepted"
DECLINED = "declined"
# A new campaign opens a month after it is accepted and runs for two months: the team sets
# the real dates while reviewing it.
OPENS_AFTER = datetime.timedelta(days=30)
RUNS_FOR = datetime.timedelta(days=60)


class CannotAccept(Exception):
    """The proposal cannot be accepted yet; the message says what staff should do."""


def leader_for(proposal):
    """The leader account the proposal's campaign goes to: its leader, else the leader with
    its email address. Return (user or None, needs_new_account). Raise CannotAccept when
    there is no email to create an account with, or the address belongs to a non-leader."""
    if proposal.leader is not None:
        if not is_leader(proposal.leader):
            raise CannotAccept(
                _("%(user)s is not an active project leader: choose another one.")
                % {"user": proposal.leader.get_username()}
            )
        return proposal.leader, False
    if not proposal.email:
        raise CannotAccept(
            _(
                "This proposal has no email address. Add the proposer's email (an account is "
                "created and invited) or choose an existing project leader, then accept it."
            )
        )
    existing = get_user_model()._default_manager.filter(email__iexact=proposal.email)
    for user in existing:
        if is_leader(user):
            return user, False
    if existing.exists():
        raise CannotAccept(
            _(
                "%(email)s belongs to an account that is not a project leader's: choose an "
                "existing project leader, or give another address."
            )
            % {"email": proposal.email}
        )
    return None, True


def _new_leader(proposal):
    """A leader account (no password yet) for the proposer, in their language."""
    user_model = get_user_model()
    base = slugify(proposal.email.split("@")[0])[:30] or "leader"
    username = base
    while user_model._default_manager.filter(username__iexact=username).exists():
        username = f"{base}-{get_random_string(4, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    user = user_model.objects.create_user(username, proposal.email)
    leaders, _reviewers = ensure_groups()
    user.groups.add(leaders)
    LeaderProfile.objects.create(
        user=user, public_name=proposal.name[:100], language=proposal.language
    )
    return user


def campaign_listing():
    """The campaign listing of the default language, where new campaigns are created."""
    return CampaignIndexPage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE, alias_of__isnull=True
    ).first()


def _draft_campaign(proposal, leader, staff_user):
    index = campaign_listing()
    if index is None:
        raise CannotAccept(_("There is no campaign listing to put the campaign in: create one."))
    paragraphs = text_to_paragraphs(proposal.purpose)
    opens_at = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    opens_at += OPENS_AFTER
    with translation.override(proposal.language):
        line_label = gettext("Whole project (to be detailed)")
    page = CampaignPage(
        title=proposal.title,
        slug=find_available_slug(
            index, slugify(proposal.title, allow_unicode=True)[:80] or "campaign"
        ),
        summary=(paragraphs[0] if paragraphs else proposal.title)[:300],
        district=proposal.district,
        goal_cents=proposal.budget_cents,
        opens_at=opens_at,
        closes_at=opens_at + RUNS_FOR,
        body=[("paragraph", html) for html in paragraphs_to_html(paragraphs)],
        owner=leader,
        live=False,
        locale=index.locale,
    )
    page.budget_lines = [BudgetLine(label=line_label, amount_cents=proposal.budget_cents)]
    index.add_child(instance=page)
    page.save_revision(user=staff_user, log_action=True)
    create_language_aliases(page)
    # The leader in every language of the page (and in its latest revision)
    set_leader_campaigns(leader, [*leader_campaigns(leader), page])
    return page


@transaction.atomic
def accept(proposal, staff_user, request):
    """Accept ``proposal``: create a draft CampaignPage (default-language listing, leader
    attached in every language, owned by the leader), with language copies; create and
    invite the leader's account if the proposer has none. Return the campaign page.
    Raise CannotAccept (nothing changed) when it cannot be done yet."""
    if proposal.campaign_id is not None:
        raise CannotAccept(_("This proposal already has its campaign."))
    leader, needs_account = leader_for(proposal)
    if needs_account:
        leader = _new_leader(proposal)
    page = _draft_campaign(proposal, leader, staff_user)
    proposal.leader = leader
    proposal.campaign = page
    proposal.status = ProposalStatus.ACCEPTED
    proposal.save()
    log(instance=proposal, action="wagtail.edit", user=staff_user)
    proposal_id = proposal.pk

    def notify():
        if needs_account:
            queue_password_link(request, leader, INVITATION)
        notify_proposer.enqueue(proposal_id, ACCEPTED, needs_account)

    transaction.on_commit(notify)
    return page


def decline(proposal, staff_user):
    """Decline ``proposal`` with its ``decline_message`` (saved by the caller's form): the
    message is emailed to the proposer, in their language, if they gave an address."""
    proposal.status = ProposalStatus.DECLINED
    proposal.save()
    proposal_id = proposal.pk
    transaction.on_commit(lambda: notify_proposer.enqueue(proposal_id, DECLINED))


def proposer_email(proposal):
    return proposal.email or (proposal.leader.email if proposal.leader else "")


@task()
def notify_proposer(proposal_id, event, invited=False):
    """Email the proposer of ``proposal_id`` that it was accepted or declined (``event``),
    in the proposal's language; return True if an email was sent."""
    proposal = Proposal.objects.filter(pk=proposal_id).select_related("leader").first()
    if proposal is None or event not in (ACCEPTED, DECLINED):
        return False
    address = proposer_email(proposal)
    if not address:
        return False
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(proposal.language):
        context = {
            "event": event,
            "name": proposal.name,
            "title": proposal.title,
            "message": proposal.decline_message,
            "invited": invited,
            "space_url": base_url + reverse("stories:space"),
        }
        subject = render_subject("stories/email/proposal_subject.txt", context)
        body = render_text("stories/email/proposal_event.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True
