"""The news section of a campaign page."""

from django import template

from helpers import frame

from ..news import campaign_news

register = template.Library()


@register.inclusion_tag("campaigns/includes/news.html", takes_context=True)
def campaign_news_section(context, campaign_page):
    """The newest public news of ``campaign_page`` (all of them with ``?news=all``); for a
    live page, kept in the frame cache (helpers/frame.py: news are pages, any page change
    starts a new generation)."""
    request = context.get("request")
    show_all = request is not None and request.GET.get("news") == "all"

    def find():
        return campaign_news(campaign_page, show_all=show_all)

    if getattr(request, "is_preview", False) or not campaign_page.live or not campaign_page.pk:
        news, more = find()
    else:
        news, more = frame.shared(f"campaign-news:{campaign_page.pk}:{show_all}", find)
    return {"news": news, "more": more, "show_all": show_all, "request": request}
