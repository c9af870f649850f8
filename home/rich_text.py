"""Rich-text links to pages, as readers (and the API) get them.

Wagtail's own handler links any page an editor chose, even one that is now a draft, private,
or the untranslated copy of a private page: the address (its slug) would then show on a
public page. Here such a link keeps its words and loses its address, as a link to a deleted
page does (DESIGN.md §9).
"""

from django.utils.html import escape

from wagtail.rich_text.pages import PageLinkHandler

from helpers.visibility import is_public, private_sections


class PublicPageLinkHandler(PageLinkHandler):
    """The "page" link type: an address only for pages the public may see."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        private = private_sections()
        tags = []
        for page in cls.get_many(attrs_list):
            shown = page.localized if page is not None else None
            if is_public(shown, private):
                tags.append(f'<a href="{escape(shown.url)}">')
            else:
                tags.append("<a>")
        return tags
