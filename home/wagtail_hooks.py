from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Footer, MainMenu
from .rich_text import PublicPageLinkHandler


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own (order 0)
def link_only_public_pages(features):
    """Rich-text page links lead only to pages the public may see (home/rich_text.py)."""
    features.register_link_type(PublicPageLinkHandler)


class MainMenuViewSet(SnippetViewSet):
    model = MainMenu
    icon = "list-ul"
    menu_label = _("Main menu")
    list_display = ["__str__", "locale"]


class FooterViewSet(SnippetViewSet):
    model = Footer
    icon = "placeholder"
    menu_label = _("Footer")
    list_display = ["__str__", "locale"]


class NavigationViewSetGroup(SnippetViewSetGroup):
    """Staff find the menus under one "Navigation" entry of the admin menu."""

    items = (MainMenuViewSet, FooterViewSet)
    menu_icon = "list-ul"
    menu_label = _("Navigation")
    menu_name = "navigation"


register_snippet(NavigationViewSetGroup)
