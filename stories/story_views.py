"""The story form of the leaders' space: write a new story, edit a draft, add photos one at
a time (without JavaScript: "Add this photo" and "Remove photo N" send the form and show it
again, everything typed kept)."""

import re
from html import unescape

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Page

from helpers.ratelimit import per_user, rate_limited
from home.images import new_private_image

from .access import leader_required
from .drafts import create_leader_draft, update_draft
from .forms import (
    StoryForm,
    keep_valid_photos,
    kept_photos_from,
    paragraphs_to_html,
    sign_kept_photo,
)
from .models import StoryIndexPage, StoryPage
from .views import StoryState, own_story, story_state, submit

SLOT_FIELD = re.compile(r"(photo|alt|kept|remove)_\d+")


def is_photo_step(data):
    """True when the leader pressed "Add this photo" or "Remove photo N" (not save/submit)."""
    if "save" in data or "submit" in data:
        return False
    return "add_photo" in data or any(
        data.get(f"remove_{number}") for number in range(1, settings.STORY_MAX_PHOTOS + 1)
    )


def _photo_step(request, form):
    """Add the photo of the empty slot (stored privately) or drop a removed one. Return
    ``(form, status, added)``: the form to show again, everything typed kept, the photos
    numbered from 1 in their order and no error but the new photo's (the rest is checked on
    saving); ``added`` if a photo was added."""
    form.is_valid()  # the photo fields' own checks: format, size, pixels
    photos, failed = [], None
    for number in range(1, settings.STORY_MAX_PHOTOS + 1):
        alt = form.data.get(f"alt_{number}", "")
        if form.cleaned_data.get(f"remove_{number}"):
            continue
        if f"photo_{number}" in form.errors:
            failed = (form.errors[f"photo_{number}"], alt)
        elif upload := form.cleaned_data.get(f"photo_{number}"):
            photos.append((new_private_image(upload, upload.name[:200], request.user), alt))
        elif number in form.kept_photos:
            photos.append((form.kept_photos[number], alt))
    data = form.data.copy()
    for name in list(data):
        if name == "add_photo" or SLOT_FIELD.fullmatch(name):
            del data[name]
    for number, (image, alt) in enumerate(photos, start=1):
        data[f"kept_{number}"] = sign_kept_photo(image, request.user)
        data[f"alt_{number}"] = alt
    next_slot = len(photos) + 1
    if failed:
        data[f"alt_{next_slot}"] = failed[1]
    shown = StoryForm(
        data, user=request.user, kept_photos=dict(enumerate((p for p, _alt in photos), start=1))
    )
    shown.errors.clear()  # the other fields are checked when the story is saved
    if failed:
        shown.add_error(f"photo_{next_slot}", failed[0])
    elif (
        "add_photo" in form.data
        and len(photos) == len(form.kept_photos)
        and next_slot <= settings.STORY_MAX_PHOTOS
    ):
        shown.add_error(f"photo_{next_slot}", _("Choose a photo to add."))
    for error in form.non_field_errors():
        shown.add_error(None, error)
    added = not shown.errors and len(photos) > len(form.kept_photos)
    return shown, (400 if shown.errors else 200), added


def _story_index(language):
    index = StoryIndexPage.objects.filter(locale__language_code=language).first()
    if index is None:
        index = StoryIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if index is None:
        raise Http404
    return index


@transaction.atomic
def _save_story(request, form, story=None):
    """Create or update the leader's draft StoryPage from a valid form; return it."""
    data = form.cleaned_data
    language = data["language"]
    campaign = Page.objects.filter(
        translation_key=data["campaign"], locale__language_code=language
    ).first() or Page.objects.get(
        translation_key=data["campaign"], locale__language_code=settings.LANGUAGE_CODE
    )
    campaign = campaign.specific
    photos = []
    for number in range(1, settings.STORY_MAX_PHOTOS + 1):
        upload = data.get(f"photo_{number}")
        image = form.kept_photos.get(number)
        if upload:
            # Private until the story is published (home/images.py).
            image = new_private_image(upload, upload.name[:200], request.user)
        if image:
            photos.append((image, data[f"alt_{number}"]))
    paragraphs = form.paragraphs()
    body = [("paragraph", html) for html in paragraphs_to_html(paragraphs)]
    if photos:
        body.append(
            (
                "gallery",
                {
                    "heading": "",
                    "images": [
                        {"image": image, "alt_text": alt, "caption": ""} for image, alt in photos
                    ],
                },
            )
        )
    fields = {
        "title": data["title"],
        "introduction": paragraphs[0][:500] if paragraphs else "",
        "campaign": campaign,
        "district": campaign.district,
        "hero_image": photos[0][0] if photos else None,
        "hero_image_alt": photos[0][1] if photos else "",
        "body": body,
    }
    if story is None:
        return create_leader_draft(_story_index(language), StoryPage, fields, request.user, "story")
    return update_draft(story, fields, request.user)


def _initial_from(story, user):
    """The form's initial data and kept photos for editing the leader's ``story``."""
    draft = story.get_latest_revision_as_object()
    text = "\n\n".join(
        block.value.source.removeprefix("<p>").removesuffix("</p>")
        for block in draft.body
        if block.block_type == "paragraph"
    )
    initial = {
        "language": draft.locale.language_code,
        "campaign": str(draft.campaign.translation_key) if draft.campaign else "",
        "title": draft.title,
        "text": unescape(strip_tags(text.replace("<br/>", "\n"))),
    }
    kept = {}
    gallery = [block for block in draft.body if block.block_type == "gallery"]
    photos = list(gallery[0].value["images"]) if gallery else []
    for number, photo in enumerate(photos[: settings.STORY_MAX_PHOTOS], start=1):
        if photo["image"] is not None:
            kept[number] = photo["image"]
            initial[f"kept_{number}"] = sign_kept_photo(photo["image"], user)
            initial[f"alt_{number}"] = photo["alt_text"]
    # Its photos could only be saved with the consent box ticked: it stays ticked.
    initial["consent"] = bool(kept)
    return initial, kept


@leader_required
@rate_limited(per_user)
def story_form(request, story_id=None):
    """Write a new story, or edit a draft or a story with changes requested."""
    story = own_story(request, story_id) if story_id else None
    if story is not None and story_state(story)[0] == StoryState.IN_REVIEW:
        return render(request, "stories/space/locked.html", {"story": story}, status=409)
    photo_added = False
    if request.method == "POST":
        form = StoryForm(
            request.POST,
            request.FILES,
            user=request.user,
            kept_photos=kept_photos_from(request.POST, request.user, settings.STORY_MAX_PHOTOS),
        )
        if is_photo_step(request.POST):
            form, status, photo_added = _photo_step(request, form)
        elif form.is_valid():
            story = _save_story(request, form, story)
            if "submit" in request.POST:
                return submit(request, story.pk)  # says so on the space (stories/views.py)
            # No title in it: a message waits in a cookie, which outlives a change of user.
            messages.success(
                request, _("Your story is saved as a draft. Send it for review when it is ready.")
            )
            return redirect("stories:space")
        else:
            keep_valid_photos(form, request.user, settings.STORY_MAX_PHOTOS)
            status = 400
    else:
        initial, kept = (
            _initial_from(story, request.user)
            if story
            # A new story is in the language the leader is reading the site in.
            else ({"language": get_language()}, {})
        )
        form = StoryForm(user=request.user, initial=initial, kept_photos=kept)
        status = 200
    return render(
        request,
        "stories/space/story_form.html",
        {"form": form, "story": story, "photo_added": photo_added},
        status=status,
    )
