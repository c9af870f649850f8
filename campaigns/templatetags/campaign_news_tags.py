"""The news section of a campaign page."""

from django import template

from ..news import campaign_news

register = template.Library()


@register.inclusion_tag("campaigns/includes/news.html", takes_context=True)
def campaign_news_section(context, campaign_page):
    """The newest public news of ``campaign_page`` (all of them with ``?news=all``)."""
    request = context.get("request")
    show_all = request is not None and request.GET.get("news") == "all"
    news, more = campaign_news(campaign_page, show_all=show_all)
    return {"news": news, "more": more, "show_all": show_all, "request": request}
