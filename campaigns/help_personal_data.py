"""Helpers' personal data (helpers/personal_data.py): found by email or phone, exported, erased
on request, and purged some months after their campaign and their task
(``WORKSHOP_PERSONAL_DATA_MONTHS``, the registrations' rule; ``manage.py purge_helpers``). The
quantity, need, status and dates stay, so the hours offered and things lent do not change.
Registered from the app's AppConfig.ready()."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dateutil.relativedelta import relativedelta
from django_tasks import task

from helpers import personal_data

from .models import CampaignPage
from .needs import HelpOffer

KIND = "campaigns.help_offer"
ERASED = {"name": "", "email": "", "phone": "", "availability": "", "note": ""}
HOLDS_PERSONAL_DATA = ~Q(name="") | ~Q(email="") | ~Q(phone="") | ~Q(availability="") | ~Q(note="")


def _record(item, titles):
    campaign = titles.get(item.campaign_key, "")
    return personal_data.Record(
        kind=KIND,
        kind_label=_("Offer of help"),
        id=item.pk,
        summary=_("%(need)s (%(campaign)s), %(quantity)s, %(status)s")
        % {
            "need": item.need.title,
            "campaign": campaign or item.campaign_key,
            "quantity": item.quantity,
            "status": item.get_status_display(),
        },
        data={
            "campaign": campaign,
            "campaign_key": str(item.campaign_key),
            "need": item.need.title,
            "name": item.name,
            "email": item.email,
            "phone": item.phone,
            "language": item.language,
            "quantity": item.quantity,
            "availability": item.availability,
            "note": item.note,
            "status": item.status,
            "source": item.source,
            "created_at": item.created_at.isoformat(timespec="seconds"),
        },
    )


def find(email, phone):
    """The offers of help made with this email or this phone number."""
    found = list(personal_data.with_contact(HelpOffer.objects.select_related("need"), email, phone))
    titles = dict(
        CampaignPage.objects.filter(
            translation_key__in={item.campaign_key for item in found},
            locale__language_code=settings.LANGUAGE_CODE,
        ).values_list("translation_key", "title")
    )
    return [_record(item, titles) for item in found]


def erase(records, by_user):
    """Blank the offers' name, email, phone, availability and note; returns how many."""
    return personal_data.blank(HelpOffer, records, ERASED, by_user)


def register():
    personal_data.register("helpers", _("Offers of help"), find, erase, order=25)


def purge_cutoff(now=None):
    """Campaigns that closed, and tasks that took place, before this time have their offers
    purged."""
    months = settings.WORKSHOP_PERSONAL_DATA_MONTHS
    return (now or timezone.now()) - relativedelta(months=months)


def offers_to_purge(now=None):
    """Offers still holding personal data whose campaign closed more than
    WORKSHOP_PERSONAL_DATA_MONTHS ago and whose task (when it has a date) took place that
    long ago too; or, with no campaign page left, that were made that long ago."""
    cutoff = purge_cutoff(now)
    campaigns = CampaignPage.objects.all()
    closed = campaigns.filter(closes_at__lt=cutoff).values("translation_key")
    not_closed = campaigns.filter(closes_at__gte=cutoff).values("translation_key")
    known = campaigns.values("translation_key")
    need_past = Q(need__starts_at__isnull=True) | Q(need__starts_at__lt=cutoff)
    return HelpOffer.objects.filter(HOLDS_PERSONAL_DATA).filter(
        (Q(campaign_key__in=closed) & ~Q(campaign_key__in=not_closed) & need_past)
        | (~Q(campaign_key__in=known) & Q(created_at__lt=cutoff))
    )


def purge(now=None):
    """Erase the personal data of the offers due (see offers_to_purge); returns how many.
    Running it again erases nothing more."""
    return offers_to_purge(now).update(**ERASED)


@task()
def purge_helpers():
    """The daily purge as a background task (the management command does the same)."""
    return purge()
