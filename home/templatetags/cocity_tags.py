"""Template tags of the site frame: languages, menus, localized links."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi

from wagtail.templatetags.wagtailcore_tags import richtext

from helpers import frame
from helpers.i18n import localize_pages, path_languages
from helpers.money import format_money
from helpers.visibility import is_public
from home.models import Footer, MainMenu, SiteContact

register = template.Library()

# What the closed language choice shows of the current language, in that language: a code
# for the Latin-script languages, the word itself for Arabic and Chinese (a Latin "AR" or
# "ZH" means little to their readers).
LANGUAGE_SHORT_NAMES = {"fr": "FR", "en": "EN", "ar": "عربي", "pt": "PT", "zh-hans": "中文"}


@register.simple_tag(takes_context=True)
def languages_for(context):
    """Return the PageLanguages of the page being rendered, or of the current path."""
    languages = context.get("languages")
    if languages is None:
        languages = path_languages(context["request"])
    return languages


@register.simple_tag
def text_direction():
    """'rtl' for right-to-left languages (Arabic), otherwise 'ltr'."""
    return "rtl" if get_language_bidi() else "ltr"


@register.filter
def language_short_name(code):
    """The short name of language ``code`` in that language ("FR", "عربي", "中文")."""
    return LANGUAGE_SHORT_NAMES.get(code, code.upper())


@register.inclusion_tag("navigation/main_menu.html", takes_context=True)
def main_menu(context):
    """The main navigation in the reader's language (French if not translated yet)."""
    request = context["request"]

    def build():
        menu = MainMenu.for_active_language()
        return menu.resolved_links(request) if menu else []

    return {"links": frame.part("main-menu", request, build), "current_path": request.path}


@register.inclusion_tag("navigation/footer.html", takes_context=True)
def site_footer(context):
    """The footer in the reader's language, with the site's contact details (the same for
    every visitor: kept in the frame cache, helpers/frame.py)."""
    request = context["request"]

    def build():
        footer = Footer.for_active_language()
        contact = SiteContact.for_request(request)
        return {
            "about": str(richtext(footer.about)) if footer and footer.about else "",
            "links": footer.resolved_links(request) if footer else [],
            "contact": {
                "email": contact.email,
                "phone": contact.phone,
                "address_lines": contact.address.splitlines(),
                "social_links": [
                    {"label": block.value["label"], "url": block.value["url"]}
                    for block in contact.social_links
                ],
            },
        }

    parts = frame.part("footer", request, build)
    return {**parts, "about": mark_safe(parts["about"]), "request": request}


@register.simple_tag(takes_context=True)
def localized_url(context, page):
    """The URL of ``page`` in the reader's language, using the page's prefetched map; ""
    for a page the public may not see."""
    if page is None:
        return ""
    prefetched = context.get("localized_pages", {})
    target = prefetched[page.pk] if page.pk in prefetched else localize_pages([page])[page.pk]
    return target.get_url(context.get("request")) if target else ""


@register.filter
def public(page):
    """``page`` if the public may see it, else None (helpers/visibility.py):
    ``{% with campaign=story.campaign|public %}``."""
    return page if is_public(page) else None


@register.filter
def money(cents):
    """Integer cents as money in the reader's locale: {{ campaign.goal_cents|money }}."""
    if cents in (None, ""):
        return ""
    return format_money(int(cents))  # remembered per amount and language (helpers/money.py)
