from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    """Impact stories: reading, the project leaders' space, the review workflow."""

    name = "stories"
    label = "stories"
    verbose_name = _("Stories")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from helpers import demo, featured

        from . import demo as stories_demo
        from . import help_notifications, notifications, personal_data, proposal_demo, workflow
        from .featured import campaign_stories_section, latest_stories_section

        featured.register("stories", latest_stories_section, order=20)
        featured.register("campaign-stories", campaign_stories_section, order=10, slot="campaign")
        workflow.connect(self)
        notifications.connect()
        help_notifications.connect()
        personal_data.register()
        demo.register("stories", stories_demo.build, stories_demo.reset, order=20)
        demo.register("proposals", proposal_demo.build, proposal_demo.reset, order=25)
