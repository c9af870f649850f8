"""Helpers shared by the stories tests: leaders, photos, the space's URLs, form data."""

import io

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from PIL import Image as PILImage

from stories.models import LeaderProfile
from stories.workflow import LEADERS_GROUP, ensure_groups


def photo(name="photo.jpg", size=(60, 40), colour="green", fmt="JPEG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def url(name, *args, language="ar"):
    with translation.override(language):
        return reverse(f"stories:{name}", args=args)


def make_leader(django_user_model, username, campaign=None, language="ar"):
    ensure_groups()
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=LEADERS_GROUP))
    LeaderProfile.objects.create(user=user, public_name=username.title(), language=language)
    if campaign is not None:
        for page in campaign.get_translations(inclusive=True):
            page.specific.leaders.add(user)
            page.specific.save()
    return user


def story_data(campaign, **overrides):
    overrides.setdefault("campaign", str(campaign.translation_key))
    return {
        "language": "ar",
        "title": "افتتاح الحديقة",
        "text": "الفقرة الأولى.\n\nالفقرة الثانية.",
        "consent": "on",
        "alt_1": "أطفال يسقون النباتات",
        "alt_2": "الحديقة من الأعلى",
        **overrides,
    }
