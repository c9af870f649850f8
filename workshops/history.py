"""What happens to registrations, in Wagtail's history log (Reports → Site history, and the
log of each registration): taken by phone, cancelled, confirmed from the waiting list,
moved in when a seat became free. Written by workshops/registrations.py inside the change's
own transaction, so the log never says what did not happen. The entry's user is the staff
member who acted (for a move into a freed seat: whoever freed it, from Wagtail's log context
of the request; nobody for the registrant's own link).

No personal data: the entry's title is the registration's number, its data the workshop's
key, the seats and who acted ("staff", "registrant" with the email's link, "waiting list"
when a freed seat moved someone in) — never a name, an email or a phone number, which the
erasure of personal data (workshops/personal_data.py) could not reach in the log.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

PHONE = "workshops.registration.phone"
CANCELLED = "workshops.registration.cancel"
CONFIRMED = "workshops.registration.confirm"
PROMOTED = "workshops.registration.promote"

ACTIONS = {
    PHONE: (_("Registered by phone"), _("Registration taken by phone by staff")),
    CANCELLED: (_("Registration cancelled"), _("Registration cancelled, its seats freed")),
    CONFIRMED: (
        _("Confirmed from the waiting list"),
        _("Waiting registration moved into the room by staff"),
    ),
    PROMOTED: (
        _("Moved from the waiting list"),
        _("A freed seat went to the oldest waiting registration"),
    ),
}


def register_actions(actions):
    """The register_log_actions hook (workshops/wagtail_hooks.py)."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def record(registration, action, user=None, by="staff"):
    """Log ``action`` on ``registration`` (by ``user`` when staff acted)."""
    log(
        instance=registration,
        action=action,
        user=user,
        title=f"#{registration.pk}",
        data={
            "workshop_key": str(registration.workshop_key),
            "seats": registration.seats,
            "status": registration.status,
            "by": by,
        },
    )
