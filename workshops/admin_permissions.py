"""Who runs workshop registrations: the "Communications" group (home/groups.py).

What the group may do with registrations is granted once, by a data migration
(workshops/migrations/0004_registration_permissions.py), never again: staff may take any of it
back in the admin and it stays so. ``registration_permissions`` lists what the registrations
admin offers to groups (wagtail_hooks.py).
"""

from django.contrib.auth.models import Permission

from home.groups import COMMUNICATIONS as COMMUNICATIONS_GROUP  # noqa: F401 - one name, there

REGISTRATION_PERMISSIONS = [
    "view_registration",
    "add_registration",
    "change_registration",
    # they call people on the waiting list and those who registered by phone
    "view_registrant_details",
]


def registration_permissions():
    """The Registration permissions the admin uses (never "delete": registrations are
    cancelled, not deleted)."""
    return Permission.objects.filter(
        content_type__app_label="workshops",
        content_type__model="registration",
        codename__in=REGISTRATION_PERMISSIONS,
    )
