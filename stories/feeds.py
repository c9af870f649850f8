"""An Atom feed of each language's published stories: /<lang>/stories/feed/."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from helpers.i18n import active_locale
from helpers.visibility import public_pages

from .models import StoryIndexPage, StoryPage

FEED_LENGTH = 20


class StoriesFeed(Feed):
    """The latest stories of the reader's language. Titles and text are escaped by the
    feed generator, so nothing a leader types can run in a feed reader."""

    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        index = public_pages(StoryIndexPage.objects.filter(locale=active_locale())).first()
        if index is None:
            raise Http404
        return index

    def title(self, index):
        return _("Co-city stories") + f" ({get_language()})"

    def link(self, index):
        return index.get_url(self.request)

    def subtitle(self, index):
        return index.introduction

    def items(self, index):
        return (
            public_pages(StoryPage.objects.child_of(index))
            .select_related("owner__leader_profile")
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.introduction

    def item_link(self, story):
        return story.get_url(self.request)

    def item_pubdate(self, story):
        return story.first_published_at

    def item_updateddate(self, story):
        return story.last_published_at

    def item_author_name(self, story):
        return story.author_name or None
