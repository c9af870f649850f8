"""The project leaders' space: my campaigns and stories, submit, preview, private photos
(the story form is in story_views.py)."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import WorkflowState

from donations import ledger
from helpers.embed import embed_snippet
from helpers.i18n import active_locale
from home.images import (
    PRIVATE_PREFIX,
    content_type,
    image_for_private_file,
    may_see_private_image,
)

from .access import leader_campaigns, leader_required, originals
from .models import StoryPage
from .workflow import story_review_workflow


class StoryState:
    """Where a leader's story stands, for the dashboard."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"

    LABELS = {
        DRAFT: _("Draft"),
        IN_REVIEW: _("In review"),
        CHANGES_REQUESTED: _("Changes requested"),
        PUBLISHED: _("Published"),
    }


def story_state(story):
    """Return (state, reviewer's comment or "") for ``story``."""
    workflow_state = story.current_workflow_state
    if workflow_state is not None:
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            task_state = workflow_state.current_task_state
            return StoryState.CHANGES_REQUESTED, (task_state.get_comment() if task_state else "")
        return StoryState.IN_REVIEW, ""
    if story.live and not story.has_unpublished_changes:
        return StoryState.PUBLISHED, ""
    return StoryState.DRAFT, ""


def space_item(page):
    """A leader's page as the space lists it: the page, its latest revision ("draft"), its
    review state, the state's label and the team's comment."""
    state, comment = story_state(page)
    return {
        "page": page,
        "draft": page.get_latest_revision_as_object(),
        "state": state,
        "label": StoryState.LABELS[state],
        "comment": comment,
    }


def leader_stories(user):
    """The stories ``user`` wrote: never their language copies nor their translations."""
    return originals(StoryPage.objects.filter(owner=user))


def own_story(request, story_id):
    """The leader's own story, or 404: another leader's drafts do not exist for them, and a
    copy or a translation is not a story of its own (urls.py redirects those first)."""
    return get_object_or_404(leader_stories(request.user), pk=story_id)


def language_name(code):
    return get_language_info(code)["name_translated"]


def translations_by_story(stories):
    """{translation_key: [language names]} of the published translations (not the copies)
    of ``stories``, in one query."""
    rows = (
        StoryPage.objects.filter(
            translation_key__in=[story.translation_key for story in stories],
            alias_of__isnull=True,
            live=True,
        )
        .exclude(pk__in=[story.pk for story in stories])
        .order_by("locale__language_code")
        .values_list("translation_key", "locale__language_code")
    )
    languages = {}
    for key, code in rows:
        languages.setdefault(key, []).append(language_name(code))
    return languages


@leader_required
def space(request):
    """My campaigns (live totals, recent gifts as donors chose, the snippet that shows the
    campaign's card on another website) and my stories."""
    campaigns = []
    # A campaign not yet published is listed with its Edit / Submit actions among the
    # proposals (includes/proposals.html), not here with a public link that would 404.
    for page in leader_campaigns(request.user).filter(live=True):
        campaign = (page.get_translation_or_none(active_locale()) or page).specific
        campaigns.append(
            {
                "page": campaign,
                "gifts": ledger.public_donations(campaign.translation_key)[:5],
                "embed": embed_snippet(campaign, get_language(), request),
            }
        )
    pages = list(
        leader_stories(request.user)
        .select_related("locale")
        .order_by("-latest_revision_created_at", "-pk")
    )
    translated = translations_by_story(pages)
    stories = []
    for story in pages:
        code = story.locale.language_code
        stories.append(
            {
                **space_item(story),
                "language": code,
                "language_name": language_name(code),
                "direction": "rtl" if get_language_info(code)["bidi"] else "ltr",
                "translations": translated.get(story.translation_key, []),
            }
        )
    return render(
        request,
        "stories/space/space.html",
        {
            "campaigns": campaigns,
            "stories": stories,
            "embed_languages": ", ".join(code for code, _name in settings.LANGUAGES),
        },
    )


@leader_required
def submit(request, story_id):
    """Send the story to the communications team (starts or resumes the workflow) and say
    so on the space. A GET (a redirect from a copy's URL, a reloaded address) sends nothing."""
    story = own_story(request, story_id)
    if request.method != "POST":
        return redirect("stories:space")
    title = story.get_latest_revision_as_object().title
    state, _comment = story_state(story)
    if state == StoryState.IN_REVIEW:
        messages.info(request, gettext("“%(title)s” is already with the team.") % {"title": title})
        return redirect("stories:space")
    if state == StoryState.PUBLISHED:
        messages.info(request, gettext("“%(title)s” is already on the site.") % {"title": title})
        return redirect("stories:space")
    workflow_state = story.current_workflow_state
    if workflow_state is None:
        (story.get_workflow() or story_review_workflow()).start(story, request.user)
    else:  # changes were requested
        workflow_state.resume(request.user)
    messages.success(
        request,
        gettext(
            "“%(title)s” is sent to the team for review. You will get an email when they "
            "have read it."
        )
        % {"title": title},
    )
    return redirect("stories:space")


@leader_required
def preview(request, story_id):
    """The leader's own story as it will look, draft included."""
    story = own_story(request, story_id).get_latest_revision_as_object()
    response = story.serve_preview(request, story.default_preview_mode)
    response["X-Robots-Tag"] = "noindex"
    return response


def private_photo(request, name):
    """An original or rendition of a photo not yet published (stored under private/): served
    to the leader who uploaded it and to staff who may use images; 404 to anyone else."""
    name = PRIVATE_PREFIX + name
    image = image_for_private_file(name)
    if image is None or not may_see_private_image(request.user, image):
        raise Http404
    try:
        file = image.file.storage.open(name)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=content_type(name))
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
