"""Propose a project (leaders' space and public form), and the leader's draft campaign:
edit its text and budget lines, preview it, submit it for review."""

import contextlib
from html import unescape

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wagtail.blocks import StreamValue

from campaigns.models import BudgetLine, CampaignPage
from helpers.money import format_money
from helpers.ratelimit import per_ip, per_user, rate_limited

from .access import is_leader, leader_required
from .campaign_workflow import submit_campaign
from .forms import paragraphs_to_html
from .proposal_forms import (
    MAX_BUDGET_LINES,
    CampaignDraftForm,
    ProposalForm,
    PublicProposalForm,
    lines_data,
    raw_lines,
    running_total,
)
from .proposals import Proposal, ProposalSource
from .views import StoryState, story_state

CONTACT_KINDS = ("email", "phone", "space")

# Proposing a project


def _proposal_form_page(request, form, public, status=200):
    return render(
        request,
        "stories/space/proposal_form.html",
        {"form": form, "public": public},
        status=status,
    )


@leader_required
@rate_limited(per_user)
def propose(request):
    """A leader proposes a project from their space (their name, email and language are
    the account's)."""
    if request.method != "POST":
        return _proposal_form_page(request, ProposalForm(), public=False)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return _proposal_form_page(request, form, public=False, status=400)
    user = request.user
    profile = getattr(user, "leader_profile", None)
    Proposal.objects.create(
        **form.proposal_fields(),
        name=profile.public_name if profile else user.get_username(),
        email=user.email,
        language=profile.language if profile else get_language(),
        contact_consent=True,
        source=ProposalSource.SPACE,
        leader=user,
    )
    return redirect(f"{_thanks_url()}?contact=space")


@rate_limited(per_ip, scope="stories.propose_public", setting="REGISTRATION_RATE_LIMIT")
def propose_public(request):
    """A resident without an account proposes a project, leaving an email or a phone
    number. Bad input: the form again, with its errors, as typed (400)."""
    if is_leader(request.user):
        return redirect("stories:proposal_new")
    if request.method != "POST":
        return _proposal_form_page(request, PublicProposalForm(), public=True)
    form = PublicProposalForm(request.POST)
    if not form.is_valid():
        return _proposal_form_page(request, form, public=True, status=400)
    proposal = Proposal.objects.create(
        **form.proposal_fields(), language=get_language(), source=ProposalSource.PUBLIC
    )
    return redirect(f"{_thanks_url()}?contact={'email' if proposal.email else 'phone'}")


def _thanks_url():
    return reverse("stories:proposal_thanks")


@never_cache
def thanks(request):
    """What happens next, for a proposal sent from the space or by email or phone."""
    contact = request.GET.get("contact")
    if contact not in CONTACT_KINDS:
        contact = "email"
    return render(request, "stories/space/proposal_thanks.html", {"contact": contact})


# The leader's draft campaign


def own_campaign(request, page_id):
    """The leader's own campaign (never a language copy), or 404."""
    return get_object_or_404(CampaignPage, pk=page_id, owner=request.user, alias_of__isnull=True)


def _locked(request, page, state):
    return render(
        request, "stories/space/campaign_locked.html", {"page": page, "state": state}, status=409
    )


def _editable(page):
    """The state of ``page`` for the leader, and whether they may edit it now: a draft or
    a campaign with changes requested, never published."""
    state, comment = story_state(page)
    return (
        state,
        comment,
        (not page.live and state in (StoryState.DRAFT, StoryState.CHANGES_REQUESTED)),
    )


def body_text(page):
    """The paragraphs of ``page``'s body as plain text (blank line between two)."""
    return "\n\n".join(
        unescape(strip_tags(block.value.source.replace("<br/>", "\n")))
        for block in page.body
        if block.block_type == "paragraph"
    )


def _initial(draft):
    lines = [(line.label, _amount_text(line.amount_cents)) for line in draft.budget_lines.all()]
    return {
        "title": draft.title,
        "summary": draft.summary,
        "text": body_text(draft),
        **lines_data({}, lines or [("", "")]),
    }


def _amount_text(cents):
    """Cents as the leader would type them back: "1500" or "12,50" / "12.50"."""
    euros, rest = divmod(cents, 100)
    if not rest:
        return str(euros)
    separator = "," if get_language() in ("fr", "pt") else "."
    return f"{euros}{separator}{rest:02d}"


def _edit_page(request, page, form, status=200, comment=""):
    lines = raw_lines(form.data) if form.is_bound else raw_lines(form.initial)
    return render(
        request,
        "stories/space/campaign_form.html",
        {
            "page": page,
            "form": form,
            "goal": format_money(running_total(lines)),
            "can_add_line": form.line_count < MAX_BUDGET_LINES,
            "comment": comment,
        },
        status=status,
    )


@transaction.atomic
def _save_draft(request, page, form):
    """A new revision of ``page`` with the form's text and budget (never published)."""
    draft = page.get_latest_revision_as_object()
    data = form.cleaned_data
    others = [
        (block.block_type, block.value) for block in draft.body if block.block_type != "paragraph"
    ]
    paragraphs = [("paragraph", html) for html in paragraphs_to_html(form.paragraphs())]
    draft.title = data["title"]
    draft.draft_title = data["title"]
    draft.summary = data["summary"]
    draft.body = StreamValue(draft.body.stream_block, paragraphs + others, is_lazy=False)
    draft.budget_lines = [
        BudgetLine(label=label, amount_cents=cents, locale_id=page.locale_id)
        for label, cents in data["budget"]
    ]
    draft.goal_cents = sum(cents for _label, cents in data["budget"])
    draft.save_revision(user=request.user)


@leader_required
@rate_limited(per_user)
def campaign_edit(request, page_id):
    """Edit the draft campaign: title, summary, text, budget lines ("Add a line" and
    "Remove" are submit buttons). Save makes a new revision; "Submit" also sends it for
    review. In review or published: 409."""
    page = own_campaign(request, page_id)
    state, comment, editable = _editable(page)
    if not editable:
        return _locked(request, page, state)
    if request.method != "POST":
        draft = page.get_latest_revision_as_object()
        initial = _initial(draft)
        form = CampaignDraftForm(initial=initial, line_count=int(initial["lines"]))
        return _edit_page(request, page, form, comment=comment)
    lines = raw_lines(request.POST)
    if "add_line" in request.POST or "remove_line" in request.POST:
        focus = None
        if "add_line" in request.POST and len(lines) < MAX_BUDGET_LINES:
            lines.append(("", ""))
            focus = len(lines) - 1
        elif "remove_line" in request.POST:
            with contextlib.suppress(ValueError, IndexError):  # not a line: nothing removed
                lines.pop(int(request.POST["remove_line"]))
            focus = None
        form = CampaignDraftForm(initial=lines_data(request.POST, lines), line_count=len(lines))
        if focus is not None:
            form.fields[f"label_{focus}"].widget.attrs["autofocus"] = True
        return _edit_page(request, page, form, comment=comment)
    form = CampaignDraftForm(request.POST, line_count=len(lines))
    if form.is_valid():
        try:
            _save_draft(request, page, form)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if "submit" in request.POST:
                submit_campaign(page, request.user)
                return redirect("stories:campaign_submitted", page_id=page.pk)
            return redirect(f"{request.path}?saved=1")
    return _edit_page(request, page, form, status=400, comment=comment)


@leader_required
@require_POST
def campaign_submit(request, page_id):
    """Send the campaign to the team (starts, or resumes after changes, the workflow)."""
    page = own_campaign(request, page_id)
    state, _comment, editable = _editable(page)
    if not editable:
        return _locked(request, page, state)
    submit_campaign(page, request.user)
    return redirect("stories:campaign_submitted", page_id=page.pk)


@leader_required
def campaign_submitted(request, page_id):
    page = own_campaign(request, page_id)
    return render(
        request,
        "stories/space/campaign_submitted.html",
        {"page": page.get_latest_revision_as_object()},
    )


@leader_required
def campaign_preview(request, page_id):
    """The leader's campaign as it will look, draft included."""
    page = own_campaign(request, page_id).get_latest_revision_as_object()
    if page is None:
        raise Http404
    response = page.serve_preview(request, page.default_preview_mode)
    response["X-Robots-Tag"] = "noindex"
    return response
