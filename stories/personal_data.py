"""Proposers' and leaders' personal data (home/personal_data.py): the proposals' contact
fields are found, exported and erased on request; a project leader's account and the stories
they wrote are listed in the export but not erased here (a leader's account, profile and
signed stories are closed by hand: see docs/operations.md). Registered from the app's
AppConfig.ready()."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from home import personal_data

from .models import LeaderProfile, StoryPage
from .proposals import Proposal

PROPOSAL = "stories.proposal"
LEADER = "stories.leader_account"
STORY = "stories.story"
KEPT_NOTE = _(
    "Not erased here: a project leader's account and signed stories are closed by hand "
    "(see the operations guide)."
)


def _proposal_record(proposal):
    return personal_data.Record(
        kind=PROPOSAL,
        kind_label=_("Project proposal"),
        id=proposal.pk,
        summary=_("“%(title)s”, %(status)s, received on %(date)s")
        % {
            "title": proposal.title,
            "status": proposal.get_status_display(),
            "date": proposal.created_at.date().isoformat(),
        },
        data={
            "title": proposal.title,
            "purpose": proposal.purpose,
            "budget_cents": proposal.budget_cents,
            "name": proposal.name,
            "email": proposal.email,
            "phone": proposal.phone,
            "language": proposal.language,
            "contact_consent": proposal.contact_consent,
            "source": proposal.source,
            "status": proposal.status,
            "decline_message": proposal.decline_message,
            "created_at": proposal.created_at.isoformat(timespec="seconds"),
        },
    )


def _leader_record(user):
    profile = LeaderProfile.objects.filter(user=user).first()
    return personal_data.Record(
        kind=LEADER,
        kind_label=_("Account"),
        id=user.pk,
        summary=user.get_username(),
        data={
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "public_name": profile.public_name if profile else "",
            "language": profile.language if profile else "",
            "date_joined": user.date_joined.isoformat(timespec="seconds"),
            "last_login": user.last_login.isoformat(timespec="seconds")
            if user.last_login
            else None,
        },
        erasable=False,
        note=KEPT_NOTE,
    )


def _story_record(story):
    return personal_data.Record(
        kind=STORY,
        kind_label=_("Story written"),
        id=story.pk,
        summary=story.title,
        data={
            "title": story.title,
            "language": story.locale.language_code,
            "live": story.live,
            "url_path": story.url_path,
            "first_published_at": (
                story.first_published_at.isoformat(timespec="seconds")
                if story.first_published_at
                else None
            ),
        },
        erasable=False,
        note=KEPT_NOTE,
    )


def find(email, phone):
    """Proposals made with this email or phone (or by the leader with this email), the
    leader's account and the stories they wrote."""
    users = list(get_user_model().objects.filter(email__iexact=email)) if email else []
    query = Q(leader__in=users)
    if email:
        query |= Q(email__iexact=email)
    ids = set(Proposal.objects.filter(query).values_list("pk", flat=True))
    if phone:
        ids |= set(
            personal_data.with_phone(Proposal.objects.all(), "phone", phone).values_list(
                "pk", flat=True
            )
        )
    records = [_proposal_record(p) for p in Proposal.objects.filter(pk__in=ids).order_by("pk")]
    records += [_leader_record(user) for user in users]
    stories = StoryPage.objects.filter(owner__in=users, alias_of__isnull=True)
    records += [_story_record(story) for story in stories.select_related("locale").order_by("pk")]
    return records


def erase(records, by_user):
    """Blank the proposals' name, email and phone (and the proposer's name or email where
    their text repeats it); returns how many proposals were erased."""
    ids = [record.id for record in records if record.kind == PROPOSAL]
    with transaction.atomic():
        proposals = list(Proposal.objects.select_for_update().filter(pk__in=ids))
        for proposal in proposals:
            identifiers = [proposal.name, proposal.email, proposal.phone]
            Proposal.objects.filter(pk=proposal.pk).update(
                name="",
                email="",
                phone="",
                purpose=personal_data.scrub(proposal.purpose, identifiers),
                decline_message=personal_data.scrub(proposal.decline_message, identifiers),
            )
        erased = list(Proposal.objects.filter(pk__in=ids))
        personal_data.log_erased(erased, by_user)
    return len(erased)


def register():
    personal_data.register("stories", _("Proposals and stories"), find, erase, order=30)
