"""Stories on other pages: the home page's latest stories, a campaign's own stories."""

from django.utils.translation import gettext as _

from helpers import compiled
from helpers.featured import FeaturedItem, FeaturedSection, listing_url
from helpers.formats import format_day
from helpers.visibility import private_sections, public_pages

from .models import StoryIndexPage, StoryPage


def _items(stories, request):
    return [
        FeaturedItem(
            title=story.title,
            url=story.get_url(request),
            text=story.introduction,
            image=story.hero_image,
            image_alt=story.hero_image_alt,
            meta=format_day(story.date),
            language=story.written_in,
        )
        for story in stories
    ]


def latest_stories_section(home_page, request):
    """The three latest published stories of the home page's language (the query compiled
    once per home page and set of private sections: helpers/compiled.py)."""
    private = private_sections()
    stories = compiled.instances(
        ("latest-stories", home_page.path, private.paths),
        lambda: (
            public_pages(StoryPage.objects.descendant_of(home_page), private)
            .select_related("hero_image", "alias_of__locale")
            .order_by("-date", "-pk")[:3]
        ),
    )
    more_url = listing_url(
        "stories",
        home_page,
        request,
        lambda: public_pages(StoryIndexPage.objects.descendant_of(home_page)).first(),
    )
    return FeaturedSection(
        key="stories",
        heading=_("What the money did"),
        items=_items(stories, request),
        more_url=more_url,
        more_label=_("All stories"),
    )


def campaign_stories_section(campaign_page, request):
    """The published stories about a campaign, in the campaign page's language."""
    stories = (
        public_pages(
            StoryPage.objects.filter(
                locale_id=campaign_page.locale_id,
                campaign__translation_key=campaign_page.translation_key,
            )
        )
        .select_related("hero_image", "alias_of__locale")
        .order_by("-date", "-pk")[:6]
    )
    return FeaturedSection(
        key="campaign-stories",
        heading=_("Stories from this project"),
        items=_items(stories, request),
    )
