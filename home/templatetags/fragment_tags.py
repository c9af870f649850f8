"""``{% fragment %}``: a part of a page kept in the shared cache, for the renders the page
cache does not serve (docs/deployment.md, "Caching").

    {% load fragment_tags %}
    {% fragment "campaign-story" stories_of=page.translation_key %} … {% endfragment %}
    {% fragment "campaign-funding" campaign=page.translation_key %} … {% endfragment %}
    {% fragment "home-sections" "home" %} … {% endfragment %}

The page cache (cocity/page_cache.py) serves anonymous readers whole pages; everybody else
(a signed-in editor or project leader, a visitor with a session or credentials) and the
first reader after a purge get the page rendered. A fragment keeps the rendered HTML of a
part of the page under the page cache's rules (helpers/cache_tags.py ``kept``): it carries
tags — ``all``, the page's ``page:<translation key>``, the ``page:`` tag of every page the
view's context holds, and those the template names (a literal tag such as ``"home"`` or
``"totals"``, ``campaign=<key>`` for a campaign's totals, ``fund_room=<key>`` for what is
left in the funds matching its gifts, ``stories_of=<key>`` for the stories about it) — and
is rendered again as soon as one of them is purged. So a gift, which purges its campaign's
``campaign:`` tag, renders the campaign's funding panel again but not the story beside it,
which only a change of the page (or of what it shows) purges; and a fragment is never
staler than a cached copy of its whole page would be.

Keyed on the name, the scheme, host and language of the request, the page, and the values
given as ``vary=`` (say, the page number of a list). Never kept: in a preview (the content is
not saved), when the context holds no page, when the page cache or ``FRAGMENT_CACHE_SECONDS``
is 0 (the test settings), or when a CSRF token was used while rendering (a fragment must
hold nothing of its reader). Kept at most ``FRAGMENT_CACHE_SECONDS`` (default:
``PAGE_CACHE_SECONDS``: what only time changes, a deadline passing, is as fresh as in a
cached page).
"""

import hashlib

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail.models import Page

from helpers.cache_tags import (
    EVERYTHING,
    campaign_tag,
    fund_room_tag,
    kept,
    page_tag,
    shown_pages_tags,
    stories_tag,
)

register = template.Library()

KEYWORD_TAGS = {"campaign": campaign_tag, "fund_room": fund_room_tag, "stories_of": stories_tag}


class FragmentNode(template.Node):
    def __init__(self, name, tags, keywords, vary, nodelist):
        self.name, self.tags, self.keywords, self.vary = name, tags, keywords, vary
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        page = context.get("page")
        seconds = getattr(settings, "FRAGMENT_CACHE_SECONDS", settings.PAGE_CACHE_SECONDS)
        if (
            not seconds
            or request is None
            or not isinstance(page, Page)
            or getattr(request, "is_preview", False)
        ):
            return self.nodelist.render(context)
        tags = {EVERYTHING, page_tag(page.translation_key)}
        tags.update(shown_pages_tags(context.flatten()))
        tags.update(str(tag.resolve(context)) for tag in self.tags)
        for keyword, value in self.keywords.items():
            tags.add(KEYWORD_TAGS[keyword](value.resolve(context)))
        parts = [
            str(self.name.resolve(context)),
            request.scheme,
            request.get_host(),
            get_language() or "",
            str(page.pk),
            *(str(value.resolve(context)) for value in self.vary),
        ]
        key = "fragment:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

        def build():
            html = self.nodelist.render(context)
            # a CSRF token used so far may be in it: the reader's own, never to be shared
            return str(html), not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")

        return mark_safe(kept(key, sorted(tags), build, seconds))


@register.tag
def fragment(parser, token):
    """``{% fragment "name" [tag …] [campaign=key] [fund_room=key] [stories_of=key]
    [vary=value …] %}``"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    tags, keywords, vary = [], {}, []
    for bit in bits[2:]:
        keyword, _equals, value = bit.partition("=")
        if not _equals:
            tags.append(parser.compile_filter(bit))
        elif keyword == "vary":
            vary.append(parser.compile_filter(value))
        elif keyword in KEYWORD_TAGS:
            keywords[keyword] = parser.compile_filter(value)
        else:
            raise template.TemplateSyntaxError(f"{{% fragment %}}: unknown option {keyword}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parser.compile_filter(bits[1]), tags, keywords, vary, nodelist)
