"""Who runs workshop registrations: the "Communications" group.

``grant_registration_permissions`` gives the group (created here if stories has not yet) what
the registrations admin asks for. It is idempotent and runs after every app's migrations, so
that it also finds permissions created by a later app; connected from WorkshopsConfig.ready().
"""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate

# The group stories/workflow.py creates for the communications team (same name, on purpose)
COMMUNICATIONS_GROUP = "Communications"
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


def grant_registration_permissions(**kwargs):
    """Give the communications group the registration permissions; return the group."""
    group, _created = Group.objects.get_or_create(name=COMMUNICATIONS_GROUP)
    group.permissions.add(*registration_permissions())
    return group


def connect():
    post_migrate.connect(
        grant_registration_permissions, dispatch_uid="workshops.grant_registration_permissions"
    )
