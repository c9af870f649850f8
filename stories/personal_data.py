"""Proposers' and leaders' personal data (helpers/personal_data.py): found, exported and erased
on request. Registered from the app's AppConfig.ready().

- A proposal loses the proposer's name, email and phone (and those words in its text).
- A project leader (a user with a LeaderProfile) is erased as a whole: the account is closed
  and emptied (names, email, username, password, groups, sessions, API tokens, avatar), the
  public name that signed their stories is blanked, they lead no campaign any more, and their
  name, email and phone are scrubbed from the pages they wrote, the campaign drafted from
  their proposals and the campaigns they led — in every language copy, translation, revision,
  history label, review comment and search-index entry of those pages.
- The stories (and campaign news) they wrote stay published: once published they are the
  association's content. Without a public name they are shown without an author's name.

Names are scrubbed as whole words ("Ali" is not taken out of "qualité"), phone numbers
whatever their spaces, dots or "+33" (helpers/personal_data.py, ``phone_digits``).
"""

import html
import json
import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.models import EditingSession, FormState
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import (
    APIToken,
    Comment,
    CommentReply,
    Page,
    PageLogEntry,
    Revision,
    TaskState,
    WorkflowState,
)
from wagtail.search import index
from wagtail.users.models import UserProfile
from wagtail_localize.models import (
    SegmentOverride,
    String,
    StringSegment,
    StringTranslation,
    Template,
    TemplateSegment,
    TranslationSource,
)

from campaigns.news import CampaignNewsPage
from helpers import personal_data

from .access import leader_campaigns, originals
from .leader_admin import set_leader_campaigns
from .models import LeaderProfile, StoryPage
from .proposals import Proposal

PROPOSAL = "stories.proposal"
LEADER = "stories.leader_account"
STORY = "stories.story"
NEWS = "stories.news"
ERASED_USERNAME = "erased-{pk}"
LEADER_NOTE = _(
    "Erasing closes and empties the account (names, email, username, password, public name) "
    "and removes their name, email and phone from the pages they wrote."
)
STAFF_NOTE = _(
    "Not erased here: a team member's account is closed by hand (see the operations guide)."
)
KEPT_NOTE = _("Stays published without the author's name.")
REPLACEMENT = "[…]"
# Text columns of a page never scrubbed: its place in the tree and its address.
PAGE_FIELDS_KEPT = {"path", "url_path", "slug"}
# An email's local part, a username: scrubbed on their own only when they cannot be an
# ordinary word ("nadia.benali", "n_benali2"; not "contact" or "nadia").
NOT_A_WORD = re.compile(r"[._+\-\d]")
PHONE_RUN = re.compile(r"\+?\(?\d[\d\s.\-()]{4,}\d")


# What is found


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
        erasable=_is_leader(user),
        note=LEADER_NOTE if _is_leader(user) else STAFF_NOTE,
    )


def _page_record(page, kind, kind_label):
    return personal_data.Record(
        kind=kind,
        kind_label=kind_label,
        id=page.pk,
        summary=page.title,
        data={
            "title": page.title,
            "language": page.locale.language_code,
            "live": page.live,
            "url_path": page.url_path,
            "first_published_at": (
                page.first_published_at.isoformat(timespec="seconds")
                if page.first_published_at
                else None
            ),
        },
        erasable=False,
        note=KEPT_NOTE,
    )


def _accounts_with_email(email):
    """The accounts with this email: a project leader's (a user with a LeaderProfile) is
    erased here, another (a team member's) only listed."""
    if not email:
        return []
    return list(
        get_user_model().objects.filter(email__iexact=email).select_related("leader_profile")
    )


def _is_leader(user):
    return getattr(user, "leader_profile", None) is not None


def find(email, phone):
    """Proposals made with this email or phone (or by the leader with this email), the
    leader's account and the stories and campaign news they wrote (as first written: their
    language copies and translations are versions of the same story)."""

    users = _accounts_with_email(email)
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
    for model, kind, label in (
        (StoryPage, STORY, _("Story written")),
        (CampaignNewsPage, NEWS, _("Campaign news written")),
    ):
        pages = originals(model.objects.filter(owner__in=users))
        records += [
            _page_record(page, kind, label)
            for page in pages.select_related("locale").order_by("pk")
        ]
    return records


# Scrubbing text


class Scrubber:
    """Replaces a person's names, emails and phone numbers in text by "[…]": names and
    emails as whole words, whatever their capitals (and as HTML writes them), phone numbers
    on their digits."""

    def __init__(self):
        self.words = set()
        self.phones = set()

    def add_name(self, name):
        name = " ".join((name or "").split())
        if len(name) >= 2:
            self.words.update({name, html.escape(name), html.escape(name, quote=False)})

    def add_email(self, email):
        email = (email or "").strip()
        if "@" in email:
            self.words.add(email)
            self.add_identifier(email.split("@")[0])

    def add_identifier(self, identifier):
        """A username or an email's local part: scrubbed unless it could be a plain word."""
        identifier = (identifier or "").strip()
        if len(identifier) >= 4 and NOT_A_WORD.search(identifier):
            self.words.add(identifier)

    def add_phone(self, phone):
        digits = personal_data.phone_digits(phone)
        if digits:
            self.phones.add(digits)

    def __bool__(self):
        return bool(self.words or self.phones)

    def text(self, text):
        if not text or not self:
            return text
        if self.words:
            # any spaces between a name's words (a non-breaking one, a line break…)
            alternatives = "|".join(
                re.escape(word).replace(r"\ ", r"\s+")
                for word in sorted(self.words, key=len, reverse=True)
            )
            text = re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)", REPLACEMENT, text, flags=re.I)
        if self.phones:
            text = PHONE_RUN.sub(self._phone, text)
        return text

    def _phone(self, match):
        digits = re.sub(r"\D", "", match.group(0))
        if any(phone in digits for phone in self.phones):
            return REPLACEMENT
        return match.group(0)

    def value(self, value):
        """``value`` (text, or JSON-able lists and dicts, or text holding JSON, as revisions
        keep a StreamField) with every string scrubbed; the same object when unchanged."""
        if isinstance(value, str):
            if value.lstrip()[:1] in ("[", "{"):
                try:
                    parsed = json.loads(value)
                except ValueError:
                    parsed = None
                if isinstance(parsed, list | dict):
                    cleaned = self.value(parsed)
                    return (
                        value if cleaned == parsed else json.dumps(cleaned, cls=DjangoJSONEncoder)
                    )
            cleaned = self.text(value)
            return value if cleaned == value else cleaned
        if isinstance(value, list):
            cleaned = [self.value(item) for item in value]
            return value if cleaned == value else cleaned
        if isinstance(value, dict):
            cleaned = {key: self.value(item) for key, item in value.items()}
            return value if cleaned == value else cleaned
        return value


def _scrub_rows(queryset, scrubber, field_names):
    """Scrub ``field_names`` of every row of ``queryset``; returns the changed rows' ids."""
    changed = []
    for row in queryset.values("pk", *field_names):
        update = {}
        for name in field_names:
            value = row[name]
            if isinstance(value, StreamValue):
                value = value.get_prep_value()  # its raw blocks
            cleaned = scrubber.value(value)
            if cleaned is not value and cleaned != value:
                update[name] = cleaned
        if update:
            queryset.model._default_manager.filter(pk=row["pk"]).update(**update)
            changed.append(row["pk"])
    return changed


def _text_fields(model, kept=()):
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField | StreamField)
        and not field.choices
        and field.attname not in kept
    ]


def _with_versions(pages):
    """``pages`` and every other page sharing their translation key (language copies and
    translations), as specific pages."""
    keys = {page.translation_key for page in pages}
    return list(Page.objects.filter(translation_key__in=keys).order_by("pk").specific())


def scrub_pages(pages, scrubber, by_user):
    """Take the person out of ``pages`` and all their versions: the pages' text (title,
    introduction, body…), every revision (content and label), the pages' history labels,
    review comments and comments, previews in progress, and the search index. Slugs and
    addresses stay. Returns the pages whose own text changed (logged as erased)."""
    if not scrubber:
        return []
    pages = _with_versions(pages)
    ids = [page.pk for page in pages]
    object_ids = [str(pk) for pk in ids]
    page_type = ContentType.objects.get_for_model(Page)
    changed = []
    for page in pages:
        model = type(page)
        if _scrub_rows(
            model.objects.filter(pk=page.pk), scrubber, _text_fields(model, PAGE_FIELDS_KEPT)
        ):
            changed.append(page.pk)
    _scrub_rows(
        Revision.objects.filter(base_content_type=page_type, object_id__in=object_ids),
        scrubber,
        ["content", "object_str"],
    )
    _scrub_rows(PageLogEntry.objects.filter(page_id__in=ids), scrubber, ["label", "data"])
    states = WorkflowState.objects.filter(base_content_type=page_type, object_id__in=object_ids)
    _scrub_rows(TaskState.objects.filter(workflow_state__in=states), scrubber, ["comment"])
    comments = Comment.objects.filter(page_id__in=ids)
    _scrub_rows(comments, scrubber, ["text"])
    _scrub_rows(CommentReply.objects.filter(comment__in=comments), scrubber, ["text"])
    _forget_previews(pages)
    _scrub_translation_sources(pages, scrubber)
    for page in Page.objects.filter(pk__in=ids).specific():
        index.insert_or_update_object(page)  # updates bypassed the save signals
    scrubbed = list(Page.objects.filter(pk__in=changed).specific())
    personal_data.log_erased(scrubbed, by_user)
    # log_erased relabels model history; a page's history is its own table
    for page in scrubbed:
        PageLogEntry.objects.filter(page_id=page.pk).update(label=str(page)[:255])
    return scrubbed


def _forget_previews(pages):
    """Admin form states (previews being edited) of these pages hold their old text."""

    for page in pages:
        FormState.objects.for_instance(page).delete()


def _scrub_translation_sources(pages, scrubber):
    """wagtail-localize keeps a copy of a translated page's source text (its content, the
    strings to translate and their translations): scrub them too."""

    sources = TranslationSource.objects.filter(
        object_id__in={page.translation_key for page in pages}
    )
    if not sources.exists():
        return
    _scrub_rows(sources, scrubber, ["object_repr", "content_json"])
    _scrub_rows(
        Template.objects.filter(
            pk__in=TemplateSegment.objects.filter(source__in=sources).values("template")
        ),
        scrubber,
        ["template"],
    )
    segments = StringSegment.objects.filter(source__in=sources)
    _scrub_rows(segments, scrubber, ["attrs"])
    contexts = segments.values("context")
    _scrub_rows(
        StringTranslation.objects.filter(translation_of__in=segments.values("string")),
        scrubber,
        ["data"],
    )
    _scrub_rows(SegmentOverride.objects.filter(context__in=contexts), scrubber, ["data_json"])
    for string in String.objects.filter(pk__in=segments.values("string")):
        data = scrubber.text(string.data)
        if data == string.data:
            continue
        data_hash = String._get_data_hash(data)
        same = String.objects.filter(locale_id=string.locale_id, data_hash=data_hash).first()
        if same is None:
            String.objects.filter(pk=string.pk).update(data=data, data_hash=data_hash)
        else:  # the scrubbed string already exists: use it
            StringSegment.objects.filter(string=string).update(string=same)
            StringTranslation.objects.filter(translation_of=string).delete()
            string.delete()


# Erasing


def _scrubber_for(proposals, users):
    scrubber = Scrubber()
    for proposal in proposals:
        scrubber.add_name(proposal.name)
        scrubber.add_email(proposal.email)
        scrubber.add_phone(proposal.phone)
    for user in users:
        profile = LeaderProfile.objects.filter(user=user).first()
        scrubber.add_name(profile.public_name if profile else "")
        scrubber.add_name(user.get_full_name())
        scrubber.add_name(f"{user.last_name} {user.first_name}")
        if len(user.last_name.strip()) >= 3:
            scrubber.add_name(user.last_name)
        scrubber.add_email(user.email)
        scrubber.add_identifier(user.get_username())
    return scrubber


def _close_account(user, by_user):
    """Close and empty ``user``'s account: sign-in details, names, groups, permissions,
    public name, campaigns led, sessions, API tokens, admin editing sessions and avatar."""

    set_leader_campaigns(user, [])  # in every language and in their latest revisions
    user.username = ERASED_USERNAME.format(pk=user.pk)
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()  # also invalidates every session (its auth hash changes)
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    LeaderProfile.objects.filter(user=user).update(public_name="")
    _delete_sessions(user)
    APIToken.objects.filter(user=user).delete()
    EditingSession.objects.filter(user=user).delete()
    FormState.objects.filter(user=user).delete()
    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None and profile.avatar:
        profile.avatar.delete(save=False)
        UserProfile.objects.filter(pk=profile.pk).update(avatar="")


def _delete_sessions(user):
    """Delete the sessions signed in as ``user`` (stores kept in the database; other stores'
    sessions no longer match the account's new password hash and are refused)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    for session in store.get_model_class().objects.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()


def _leader_pages(users, proposals):
    """The pages to take the person out of: those they own (stories, news, drafts), the
    campaigns drafted from their proposals and the campaigns they led."""

    pages = list(Page.objects.filter(owner__in=users))
    pages += list(Page.objects.filter(pk__in=[p.campaign_id for p in proposals if p.campaign_id]))
    for user in users:
        pages += list(leader_campaigns(user))
    return pages


def erase(records, by_user):
    """Erase the proposals (name, email and phone blanked; the proposer's identifiers taken
    out of their text and of the campaign drafted from them) and the leaders' accounts (see
    the module's docstring). The pages' owner stays the emptied account: the stories stay
    a leader's stories (the leaders' space, the reviewers' notifications and the admin
    tell them from staff pages by their owner's profile), and it holds nothing personal.
    Returns how many records were erased."""
    proposal_ids = [record.id for record in records if record.kind == PROPOSAL]
    user_ids = [record.id for record in records if record.kind == LEADER]
    with transaction.atomic():
        leaders = LeaderProfile.objects.filter(user__in=user_ids).values("user")
        users = list(get_user_model().objects.select_for_update().filter(pk__in=leaders))
        proposals = list(
            Proposal.objects.select_for_update().filter(
                Q(pk__in=proposal_ids) | Q(leader__in=users)
            )
        )
        scrubber = _scrubber_for(proposals, users)
        pages = _leader_pages(users, proposals)
        for proposal in proposals:
            Proposal.objects.filter(pk=proposal.pk).update(
                name="",
                email="",
                phone="",
                title=scrubber.text(proposal.title),
                purpose=scrubber.text(proposal.purpose),
                decline_message=scrubber.text(proposal.decline_message),
                other_languages=scrubber.text(proposal.other_languages),
            )
        for user in users:
            _close_account(user, by_user)
            Image = get_image_model()
            _scrub_rows(
                Image.objects.filter(uploaded_by_user=user), scrubber, _text_fields(Image, {"file"})
            )
            _scrub_rows(Comment.objects.filter(user=user), scrubber, ["text"])
            _scrub_rows(CommentReply.objects.filter(user=user), scrubber, ["text"])
        scrub_pages(pages, scrubber, by_user)
        erased = list(Proposal.objects.filter(pk__in=[p.pk for p in proposals]))
        erased += list(get_user_model().objects.filter(pk__in=[u.pk for u in users]))
        erased += list(LeaderProfile.objects.filter(user__in=users))
        personal_data.log_erased(erased, by_user)
    return len(proposals) + len(users)


def register():
    personal_data.register("stories", _("Proposals and stories"), find, erase, order=30)
