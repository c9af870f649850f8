from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import help_history
from .help_admin import help_viewset
from .match_admin import register_match_funds  # noqa: F401 - registers its hooks
from .models import Category, District
from .payout_admin import register_payouts_viewsets  # noqa: F401 - registers its hooks


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    list_display = ["name", "code", "kind", "locale"]
    list_filter = ["kind", "locale"]
    search_fields = ["name", "code"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "code", "locale"]
    list_filter = ["locale"]


class CampaignSnippetsGroup(SnippetViewSetGroup):
    items = (DistrictViewSet, CategoryViewSet)
    menu_icon = "folder-inverse"
    menu_label = _("Campaign settings")
    menu_name = "campaign-settings"


register_snippet(CampaignSnippetsGroup)


@hooks.register("register_log_actions")
def register_offer_log_actions(actions):
    help_history.register_actions(actions)


@hooks.register("register_admin_viewset")
def register_help_viewset():
    """The "Help offered" menu: campaigns' needs and their offers (help_admin.py)."""
    return help_viewset()
