"""The "Campaign review" workflow (a leader's draft campaign, reviewed by the communications
team: stories/campaign_workflow.py), made once here like the story review in 0004, rather
than on the first submission. Names as in stories/campaign_workflow.py, written out."""

from django.db import migrations

COMMUNICATIONS = "Communications"
WORKFLOW = "Campaign review"
TASK = "Campaign review by the communications team"


def campaign_review_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    if Workflow.objects.filter(name=WORKFLOW).exists():
        return
    communications, _created = Group.objects.get_or_create(name=COMMUNICATIONS)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(name=TASK, content_type=content_type)
    task.groups.set([communications])
    workflow = Workflow.objects.create(name=WORKFLOW)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


class Migration(migrations.Migration):
    dependencies = [("stories", "0004_groups_and_review_workflow")]

    operations = [migrations.RunPython(campaign_review_workflow, migrations.RunPython.noop)]
