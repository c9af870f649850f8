"""What match funds need to know about campaigns (the ledger cannot import this app):
a campaign's district and category codes, and the choices staff pick funds' campaigns from."""

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


def campaign_choices():
    """(translation_key, title) of every campaign, titled in its original language."""
    originals = CampaignPage.objects.filter(alias_of__isnull=True).order_by("title", "pk")
    seen = {}
    for key, title, locale_id in originals.values_list("translation_key", "title", "locale_id"):
        seen.setdefault(str(key), []).append((locale_id, title))
    default = Locale.get_default().pk
    choices = []
    for key, titles in seen.items():
        # the original is the page every other language copy was made from: the one in the
        # default language when there is one, else the first created
        titles.sort(key=lambda pair: pair[0] != default)
        choices.append((key, titles[0][1]))
    return sorted(choices, key=lambda pair: pair[1].casefold())


def _code_choices(model):
    rows = model.objects.filter(locale=Locale.get_default()).order_by("code")
    return [(code, name) for code, name in rows.values_list("code", "name")]
