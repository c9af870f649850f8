"""Demo closings for `load_demo` (registered from CampaignsConfig.ready, after the campaigns
and the match funds): the demo campaigns whose closing time has passed are closed as the
cron's ``close_campaigns`` would close them — the Montreuil street library succeeded, and
the failed all-or-nothing "Cuisine solidaire de Saint-Denis" has its online gifts refunded
through the demo payment backend, so it no longer counts them as paid. Idempotent: a
campaign already closed is left as it is."""

from wagtail.models import Page

from .closing import CampaignClosing
from .tasks import close_campaign, due_campaign_keys


def build(site):
    """Close every due demo campaign now (whatever the task backend: the demo is built in
    one command, not by a worker)."""
    for key in due_campaign_keys():
        close_campaign(key)


def reset():
    """Forget the closings of campaigns that no longer exist (load_demo deleted their pages);
    their emails go with them."""
    existing = Page.objects.values_list("translation_key", flat=True)
    CampaignClosing.objects.exclude(campaign_key__in=existing).delete()
