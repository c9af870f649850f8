"""Registrants' personal data (helpers/personal_data.py): found by email or phone, exported,
erased on request, and purged some months after their workshop
(``WORKSHOP_PERSONAL_DATA_MONTHS``; ``manage.py purge_registrations``). The seats, status
and dates stay, so a workshop's attendance figures do not change. Registered from the app's
AppConfig.ready()."""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dateutil.relativedelta import relativedelta
from django_tasks import task

from helpers import personal_data

from .models import Registration, WorkshopPage

KIND = "workshops.registration"
ERASED = {"name": "", "email": "", "phone": "", "accessibility_needs": ""}
HOLDS_PERSONAL_DATA = ~Q(name="") | ~Q(email="") | ~Q(phone="") | ~Q(accessibility_needs="")


def _record(registration, titles):
    title = titles.get(registration.workshop_key, "")
    return personal_data.Record(
        kind=KIND,
        kind_label=_("Workshop registration"),
        id=registration.pk,
        summary=_("%(workshop)s, %(seats)s seat(s), %(status)s")
        % {
            "workshop": title or registration.workshop_key,
            "seats": registration.seats,
            "status": registration.get_status_display(),
        },
        data={
            "workshop": title,
            "workshop_key": str(registration.workshop_key),
            "name": registration.name,
            "email": registration.email,
            "phone": registration.phone,
            "seats": registration.seats,
            "language": registration.language,
            "accessibility_needs": registration.accessibility_needs,
            "status": registration.status,
            "source": registration.source,
            "created_at": registration.created_at.isoformat(timespec="seconds"),
        },
    )


def find(email, phone):
    """The registrations made with this email or this phone number."""
    found = list(personal_data.with_contact(Registration.objects.all(), email, phone))
    titles = dict(
        WorkshopPage.objects.filter(
            translation_key__in={r.workshop_key for r in found},
            locale__language_code=settings.LANGUAGE_CODE,
        ).values_list("translation_key", "title")
    )
    return [_record(registration, titles) for registration in found]


def erase(records, by_user):
    """Blank the registrations' name, email, phone and needs; returns how many."""
    return personal_data.blank(Registration, records, ERASED, by_user)


def register():
    personal_data.register("workshops", _("Workshop registrations"), find, erase, order=20)


def purge_cutoff(now=None):
    """Workshops that ended before this time have their registrations purged."""
    months = settings.WORKSHOP_PERSONAL_DATA_MONTHS
    return (now or timezone.now()) - relativedelta(months=months)


def registrations_to_purge(now=None):
    """Registrations still holding personal data whose workshop ended more than
    WORKSHOP_PERSONAL_DATA_MONTHS ago (or, with no workshop page left, that were made
    that long ago)."""
    cutoff = purge_cutoff(now)
    workshops = WorkshopPage.objects.all()
    ended = workshops.filter(ends_at__lt=cutoff).values("translation_key")
    not_ended = workshops.filter(ends_at__gte=cutoff).values("translation_key")
    known = workshops.values("translation_key")
    return Registration.objects.filter(HOLDS_PERSONAL_DATA).filter(
        (Q(workshop_key__in=ended) & ~Q(workshop_key__in=not_ended))
        | (~Q(workshop_key__in=known) & Q(created_at__lt=cutoff))
    )


def purge(now=None):
    """Erase the personal data of the registrations due (see registrations_to_purge);
    returns how many. Running it again erases nothing more."""
    return registrations_to_purge(now).update(**ERASED)


@task()
def purge_registrations():
    """The daily purge as a background task (the management command does the same)."""
    return purge()
