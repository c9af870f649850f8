from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Shared base app: home and standard pages, blocks, navigation, site settings, demo data."""

    name = "home"
    label = "home"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .locales import ensure_locales

        # Every configured language gets a Wagtail locale that mirrors the French tree, so an
        # untranslated page is still reachable (in French, with a notice) in every language.
        post_migrate.connect(ensure_locales, sender=self, dispatch_uid="home.ensure_locales")

        from wagtail.images import get_image_model
        from wagtail.signals import page_published

        from .images import publish_page_images, strip_uploaded_image

        # Every new image file loses its metadata, whoever uploads it and however (home/images.py).
        pre_save.connect(
            strip_uploaded_image, sender=get_image_model(), dispatch_uid="home.strip_image"
        )
        # Photos of a page not yet published are private until it is.
        page_published.connect(publish_page_images, dispatch_uid="home.publish_page_images")

        from donations import matching
        from donations.models import MatchFund
        from helpers import frame  # the frame cache forgets its parts on every change

        from .models import Footer, MainMenu, SiteContact

        # The frame's own parts: the main menu, the footer and the contact details
        frame.watch(MainMenu, Footer, SiteContact)
        # The match funds a campaign page offers are kept with the frame (donations/matching.py)
        frame.watch(MatchFund)
        matching.register_keeper(frame.shared)
