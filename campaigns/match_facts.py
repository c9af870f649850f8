"""What match funds need to know about campaigns (the ledger cannot import this app):
a campaign's district and category codes, and the codes staff pick funds' campaigns by."""

from wagtail.models import Locale

from .models import CampaignPage, Category, District


def campaign_facts(campaign_key):
    """(district_code, category_code) of the campaign ``campaign_key`` — codes are the same
    in every language — or (None, None) when it has no page; registered with the ledger in
    campaigns/apps.py."""
    pages = CampaignPage.objects.filter(translation_key=campaign_key).order_by("-live", "pk")
    return pages.values_list("district__code", "category__code").first() or (None, None)


def district_choices():
    """(code, name) of every district, named in the default language."""
    return _code_choices(District)


def category_choices():
    """(code, name) of every category, named in the default language."""
    return _code_choices(Category)


def _code_choices(model):
    rows = model.objects.filter(locale=Locale.get_default()).order_by("code")
    return [(code, name) for code, name in rows.values_list("code", "name")]
