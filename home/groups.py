"""The staff and leaders' groups, named once (issue 16). A shared helper: imports no app.

The groups and what they may do are made by data migrations (stories/migrations/0004,
workshops/migrations/0004), once: nothing grants a permission again afterwards, so what staff
change in the admin (Settings → Groups) stays as they set it. At run time the code only finds
a group by its name, making an empty one if staff deleted it.
"""

from django.contrib.auth.models import Group

LEADERS = "Project leaders"  # project leaders: their own space, never the admin
COMMUNICATIONS = "Communications"  # the communications team: review, proposals, registrations


def group(name):
    """The group called ``name`` (made, without any permission, if it is missing)."""
    found, _created = Group.objects.get_or_create(name=name)
    return found
