"""The two groups around stories, what the communications team may do, and the story review
workflow: made once, here, so that what staff change afterwards stays as they set it (no
handler grants anything again on ``migrate``). Names as in home/groups.py, written out: a
migration keeps the values of its day."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LEADERS = "Project leaders"
COMMUNICATIONS = "Communications"
WORKFLOW = "Story review"
TASK = "Review by the communications team"
# (app label, codename): reaching the admin, asking for a translation with wagtail-localize,
# triaging project proposals (stories/proposal_admin.py)
COMMUNICATIONS_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("stories", "add_proposal"),
    ("stories", "change_proposal"),
    ("stories", "view_proposal"),
]
# on the whole page tree: write, edit and publish pages (approving a story publishes it)
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def model_permissions(apps, label):
    """The default permissions of an app's models, made now rather than after the last
    migration (Django makes them in post_migrate)."""
    app_config = apps.get_app_config(label)
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module


def groups_and_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    model_permissions(apps, "stories")
    Group.objects.get_or_create(name=LEADERS)
    communications, _created = Group.objects.get_or_create(name=COMMUNICATIONS)
    for app_label, codename in COMMUNICATIONS_PERMISSIONS:
        communications.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(
                group=communications, page=root, permission=permission
            )
    if not Workflow.objects.filter(name=WORKFLOW).exists():
        content_type, _created = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, content_type=content_type)
        task.groups.set([communications])
        workflow = Workflow.objects.create(name=WORKFLOW)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_donation_block_in_euros"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(groups_and_workflow, migrations.RunPython.noop)]
