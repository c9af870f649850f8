"""The only code that changes a need's places: offer, withdraw, promote, fill.

Each operation runs in one transaction that starts by updating the need's own row. That
UPDATE takes the row lock on PostgreSQL and the database write lock on SQLite, so two offers
for the same need never decide on the same free places: the second one waits, then sees the
first. Emails leave only after the transaction commits. As for workshop seats, the waiting
list is first come, first served: while anyone waits, newcomers wait too, and freed places go
to the oldest waiting offer that fits (never past it).

Every change purges the campaign's cache tag and the ledger's lists (helpers/cache_tags.py):
its page, in every language, the API, the open data and the figures show the places left and
the people who help.
"""

from django.db import models, transaction
from django.utils import timezone

from helpers import cache_tags

from . import help_history as history
from .help_tasks import send_offer_email
from .needs import HelpOffer, Need, OfferEmail, OfferSource, OfferStatus, offer_made


class OffersClosed(Exception):
    """The need takes no offers (closed by staff or a leader, or its date has come)."""


class NotEnoughPlaces(Exception):
    """Staff tried to confirm a waiting offer that does not fit: raise the number wanted."""


def lock(need_id):
    """Lock the need's row and return it fresh (inside a transaction): an offer made
    meanwhile waits, then sees what the caller changed (staff and leaders editing a need)."""
    Need.objects.filter(pk=need_id).update(version=models.F("version") + 1)
    return Need.objects.get(pk=need_id)


def need_changed(need):
    """After a need is written or changed (staff, leaders): purge what shows it — the
    campaign's page and card, and what counts help across campaigns (the API, the open data,
    the impact and home figures)."""
    cache_tags.purge_on_commit(
        [cache_tags.campaign_tag(need.campaign_key), *cache_tags.LEDGER_LISTS]
    )


def offer(
    need,
    *,
    name,
    language,
    quantity=1,
    email="",
    phone="",
    availability="",
    note="",
    staff=None,
    source=None,
    notify=True,
):
    """Offer help for ``need``. Returns the HelpOffer: confirmed if the places are free and
    nobody is waiting, else on the waiting list.

    Raises OffersClosed when the need takes no offers; staff (``staff``: the user who took
    the offer by phone, or the leader who added it) may still add one to a closed or full
    need, never to one whose date has come. With ``notify`` the helper is emailed and the
    leaders told once the transaction commits; the demo data passes False.
    """
    with transaction.atomic():
        need = lock(need.pk)
        if need.is_past or (staff is None and not need.accepts_offers):
            raise OffersClosed(need.state)
        fits = quantity <= need.wanted - need.taken
        confirmed = fits and not HelpOffer.objects.waiting(need.pk).exists()
        now = timezone.now()
        item = HelpOffer.objects.create(
            need=need,
            campaign_key=need.campaign_key,
            name=name,
            email=email,
            phone=phone,
            language=language,
            quantity=quantity,
            availability=availability,
            note=note,
            status=OfferStatus.CONFIRMED if confirmed else OfferStatus.WAITLISTED,
            confirmed_at=now if confirmed else None,
            source=source or (OfferSource.PHONE if staff is not None else OfferSource.ONLINE),
            taken_by=staff,
        )
        if confirmed:
            need.taken += quantity
            need.save(update_fields=["taken"])
        if staff is not None:
            history.record(item, history.ADDED, user=staff)
        if notify:
            _notify(item, OfferEmail.CONFIRMED if confirmed else OfferEmail.WAITLISTED)
            if staff is None:
                # the leaders' space (stories/) tells the campaign's leaders
                transaction.on_commit(lambda: offer_made.send(HelpOffer, offer=item))
        need_changed(need)
    return item


def withdraw(item, user=None):
    """Withdraw ``item`` (idempotent) and give its places to those waiting. ``user``: the
    staff member or leader who did it (None: the helper, with the email's link).

    Returns the offers promoted from the waiting list (emailed on commit)."""
    with transaction.atomic():
        need = lock(item.need_id)
        item = HelpOffer.objects.get(pk=item.pk)
        if item.status == OfferStatus.WITHDRAWN:
            return []
        if item.status == OfferStatus.CONFIRMED:
            need.taken -= item.quantity
        item.status = OfferStatus.WITHDRAWN
        item.withdrawn_at = timezone.now()
        item.save(update_fields=["status", "withdrawn_at"])
        history.record(item, history.WITHDRAWN, user=user, by="staff" if user else "helper")
        promoted = _promote_waiting(need)
        need.save(update_fields=["taken"])
        need_changed(need)
    return promoted


def fill_from_waiting_list(need):
    """Confirm waiting offers that now fit (after the number wanted was raised)."""
    with transaction.atomic():
        need = lock(need.pk)
        promoted = _promote_waiting(need)
        need.save(update_fields=["taken"])
        if promoted:
            need_changed(need)
    return promoted


def confirm_waiting(item, user=None):
    """Staff move one waiting offer in, out of turn if they choose to. Raises
    NotEnoughPlaces when it does not fit."""
    with transaction.atomic():
        need = lock(item.need_id)
        item = HelpOffer.objects.get(pk=item.pk)
        if item.status != OfferStatus.WAITLISTED:
            return item
        if item.quantity > need.wanted - need.taken:
            raise NotEnoughPlaces
        _confirm(item, need)
        need.save(update_fields=["taken"])
        history.record(item, history.CONFIRMED, user=user)
        need_changed(need)
    return item


def _promote_waiting(need):
    promoted = []
    for waiting in HelpOffer.objects.waiting(need.pk):
        if waiting.quantity > need.wanted - need.taken:
            break  # first come, first served: nobody overtakes the head of the list
        _confirm(waiting, need)
        history.record(waiting, history.PROMOTED, by="waiting list")
        promoted.append(waiting)
    return promoted


def _confirm(item, need):
    item.status = OfferStatus.CONFIRMED
    item.confirmed_at = timezone.now()
    item.save(update_fields=["status", "confirmed_at"])
    need.taken += item.quantity
    _notify(item, OfferEmail.PROMOTED)


def _notify(item, kind):
    if not item.email:
        return
    transaction.on_commit(lambda: send_offer_email.enqueue(item.pk, kind))
