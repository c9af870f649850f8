"""What the communications team may do with campaign needs and offers of help (they write
needs, take offers by phone and call helpers): granted once, here, never again on ``migrate``
(staff may take any of it back). Never "delete": offers are withdrawn, needs closed."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COMMUNICATIONS = "Communications"  # home/groups.py, written out: a migration keeps its values
HELP_PERMISSIONS = {
    "need": ["view_need", "add_need", "change_need", "view_helper_details"],
    "helpoffer": ["view_helpoffer", "add_helpoffer", "change_helpoffer"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("campaigns")
    # Django makes them after the last migration otherwise
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    communications, _created = Group.objects.get_or_create(name=COMMUNICATIONS)
    for model, codenames in HELP_PERMISSIONS.items():
        communications.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="campaigns",
                content_type__model=model,
                codename__in=codenames,
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_help_needs_offers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
