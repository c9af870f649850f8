from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """Workshops: venues, listing and workshop pages, registrations; on the home page and in
    the demo."""

    name = "workshops"
    label = "workshops"
    verbose_name = _("Workshops")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from helpers import demo, featured

        from . import demo as workshops_demo
        from . import personal_data
        from .featured import next_workshops_section
        from .registrations import on_workshop_published

        personal_data.register()
        page_published.connect(on_workshop_published, dispatch_uid="workshops.fill_waiting")
        featured.register("workshops", next_workshops_section, order=30)
        demo.register("workshops", workshops_demo.build, workshops_demo.reset, order=30)
