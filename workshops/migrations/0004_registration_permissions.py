"""What the communications team may do with workshop registrations (they call people on the
waiting list and those who registered by phone): granted once, here, never again on
``migrate`` (staff may take any of it back). Never "delete": registrations are cancelled."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COMMUNICATIONS = "Communications"  # home/groups.py, written out: a migration keeps its values
REGISTRATION_PERMISSIONS = [
    "view_registration",
    "add_registration",
    "change_registration",
    "view_registrant_details",
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("workshops")
    # Django makes them after the last migration otherwise
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    communications, _created = Group.objects.get_or_create(name=COMMUNICATIONS)
    communications.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="workshops",
            content_type__model="registration",
            codename__in=REGISTRATION_PERMISSIONS,
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0003_registration_reminded_at"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
