from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
