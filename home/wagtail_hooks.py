from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from helpers import personal_data

from . import personal_data_admin
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


@hooks.register("register_admin_urls")
def personal_data_urls():
    """Settings → Personal data: find, export and erase a person's data."""
    urls = (personal_data_admin.urlpatterns(), "personal_data")
    return [path("personal-data/", include(urls, namespace="personal_data"))]


@hooks.register("register_settings_menu_item")
def personal_data_menu_item():
    return personal_data_admin.menu_item()


@hooks.register("register_permissions")
def personal_data_permission():
    return personal_data_admin.permissions()


@hooks.register("register_log_actions")
def personal_data_log_actions(actions):
    actions.register_action(
        personal_data.ERASED_ACTION,
        _("Personal data erased"),
        _("Personal data erased on request"),
    )


# wagtail-localize's translation editor: each segment in its language's direction, Arabic
# typed right to left and upright (static/js/admin_rtl.js marks the segments, whose
# locale only the editor's data-props know; static/css/admin_rtl.css sets them upright).
@hooks.register("insert_global_admin_css")
def translation_editor_rtl_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin_rtl.css"))


@hooks.register("insert_editor_js")
def translation_editor_rtl_js():
    return format_html('<script src="{}" defer></script>', static("js/admin_rtl.js"))
