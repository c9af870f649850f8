"""What happens to offers of help, in Wagtail's history log (Reports → Site history): added
by staff (by phone) or by a leader, withdrawn, confirmed from the waiting list, moved in
when a place became free. Written by campaigns/offers.py inside the change's transaction.

No personal data, as for workshop registrations (workshops/history.py): the entry's title
is the offer's number, its data the campaign's key, the need, the quantity and who acted.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

ADDED = "campaigns.offer.add"
WITHDRAWN = "campaigns.offer.withdraw"
CONFIRMED = "campaigns.offer.confirm"
PROMOTED = "campaigns.offer.promote"

ACTIONS = {
    ADDED: (_("Offer of help added"), _("Offer of help added by staff or a project leader")),
    WITHDRAWN: (_("Offer of help withdrawn"), _("Offer of help withdrawn, its places freed")),
    CONFIRMED: (
        _("Offer confirmed from the waiting list"),
        _("Waiting offer of help confirmed by staff"),
    ),
    PROMOTED: (
        _("Offer moved from the waiting list"),
        _("A freed place went to the oldest waiting offer"),
    ),
}


def register_actions(actions):
    """The register_log_actions hook (campaigns/wagtail_hooks.py)."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def record(item, action, user=None, by="staff"):
    log(
        instance=item,
        action=action,
        user=user,
        title=f"#{item.pk}",
        data={
            "campaign_key": str(item.campaign_key),
            "need": item.need_id,
            "quantity": item.quantity,
            "status": item.status,
            "by": by,
        },
    )
