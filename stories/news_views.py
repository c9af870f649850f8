"""Campaign news in the leaders' space: write, edit, preview, submit for review.

A news item is a CampaignNewsPage under the campaign page of its language, owned by the
leader, reviewed by the communications team through the "Story review" workflow, published
by them; its language copies are never listed nor edited here.
"""

from html import unescape

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Page

from campaigns.news import CampaignNewsPage
from helpers.ratelimit import per_user, rate_limited
from home.images import new_private_image

from .access import leader_required, originals
from .drafts import create_leader_draft, update_draft
from .forms import keep_valid_photos, kept_photos_from, paragraphs_to_html, sign_kept_photo
from .news_forms import NEWS_MAX_PHOTOS, NewsForm
from .views import StoryState, story_state
from .workflow import story_review_workflow


def own_news(request, news_id):
    """The leader's own news (never a language copy nor a translation: their URLs redirect
    to the original, see news_urls.py), or 404."""
    return get_object_or_404(
        originals(CampaignNewsPage.objects.filter(owner=request.user)), pk=news_id
    )


def _campaign_page(campaign_key, language):
    """The campaign page in ``language`` (its translation or copy), else the original."""
    pages = Page.objects.filter(translation_key=campaign_key)
    return (
        pages.filter(locale__language_code=language).first()
        or pages.filter(locale__language_code=settings.LANGUAGE_CODE).get()
    )


def _body(request, form):
    """The StreamField data of the news: paragraphs, then the photos with their alt text."""
    data = form.cleaned_data
    body = [("paragraph", html) for html in paragraphs_to_html(form.paragraphs())]
    for number in range(1, NEWS_MAX_PHOTOS + 1):
        upload = data.get(f"photo_{number}")
        image = form.kept_photos.get(number)
        if upload:
            # Private until the news is published (home/images.py).
            image = new_private_image(upload, upload.name[:200], request.user)
        if image:
            body.append(
                ("image", {"image": image, "alt_text": data[f"alt_{number}"], "caption": ""})
            )
    return body


@transaction.atomic
def _save_news(request, form, news=None):
    """Create or update the leader's draft news from a valid form; return it."""
    data = form.cleaned_data
    fields = {"title": data["title"], "body": _body(request, form)}
    if news is None:
        campaign = _campaign_page(data["campaign"], data["language"])
        return create_leader_draft(campaign, CampaignNewsPage, fields, request.user, "news")
    return update_draft(news, fields, request.user)


def _initial_from(news, user):
    """The form's initial data and kept photos for editing the leader's ``news``."""
    draft = news.get_latest_revision_as_object()
    paragraphs = [
        unescape(strip_tags(block.value.source.replace("<br/>", "\n")))
        for block in draft.body
        if block.block_type == "paragraph"
    ]
    initial = {
        "language": draft.locale.language_code,
        "campaign": str(news.get_parent().translation_key),
        "title": draft.title,
        "text": "\n\n".join(paragraphs),
    }
    kept = {}
    photos = [block.value for block in draft.body if block.block_type == "image"]
    for number, photo in enumerate(photos[:NEWS_MAX_PHOTOS], start=1):
        if photo["image"] is not None:
            kept[number] = photo["image"]
            initial[f"kept_{number}"] = sign_kept_photo(photo["image"], user)
            initial[f"alt_{number}"] = photo["alt_text"]
    initial["consent"] = bool(kept)  # its photos were saved with the box ticked
    return initial, kept


def _submit(request, news):
    """Send ``news`` to the communications team (start or resume its review), say so on the
    space and go there."""
    title = news.get_latest_revision_as_object().title
    state, _comment = story_state(news)
    if state == StoryState.IN_REVIEW:
        messages.info(request, _("“%(title)s” is already with the team.") % {"title": title})
    elif state == StoryState.PUBLISHED:
        messages.info(request, _("“%(title)s” is already on the site.") % {"title": title})
    else:
        workflow_state = news.current_workflow_state
        if workflow_state is None:
            story_review_workflow().start(news, request.user)
        else:  # changes were requested
            workflow_state.resume(request.user)
        messages.success(
            request,
            _(
                "“%(title)s” is sent to the team for review. Once they publish it, it shows on "
                "the campaign page and goes to the donors who asked for news."
            )
            % {"title": title},
        )
    return redirect("stories:space")


@leader_required
@rate_limited(per_user)
def news_form(request, news_id=None):
    """Write news for one of the leader's campaigns, or edit a draft of theirs."""
    news = own_news(request, news_id) if news_id else None
    if news is not None and story_state(news)[0] == StoryState.IN_REVIEW:
        return render(request, "stories/space/news_locked.html", {"news": news}, status=409)
    if request.method == "POST":
        form = NewsForm(
            request.POST,
            request.FILES,
            user=request.user,
            kept_photos=kept_photos_from(request.POST, request.user, NEWS_MAX_PHOTOS),
        )
        if news is not None:
            # The campaign and language of existing news stay as they are.
            form.fields["campaign"].required = form.fields["language"].required = False
        if form.is_valid():
            news = _save_news(request, form, news)
            if "submit" in request.POST:
                return _submit(request, news)
            messages.success(
                request,
                _("“%(title)s” is saved as a draft. Send it for review when it is ready.")
                % {"title": form.cleaned_data["title"]},
            )
            return redirect("stories:space")
        keep_valid_photos(form, request.user, NEWS_MAX_PHOTOS)
        status = 400
    else:
        initial, kept = (
            _initial_from(news, request.user) if news else ({"language": get_language()}, {})
        )
        form = NewsForm(user=request.user, initial=initial, kept_photos=kept)
        status = 200
    return render(
        request, "stories/space/news_form.html", {"form": form, "news": news}, status=status
    )


@leader_required
def news_submit(request, news_id):
    """Send the news for review (POST); a GET (a reloaded address) sends nothing."""
    news = own_news(request, news_id)
    if request.method != "POST":
        return redirect("stories:space")
    return _submit(request, news)


@leader_required
def news_preview(request, news_id):
    """The leader's own news as it will look, draft included."""
    news = own_news(request, news_id).get_latest_revision_as_object()
    response = news.serve_preview(request, news.default_preview_mode)
    response["X-Robots-Tag"] = "noindex"
    return response
