from django.apps import AppConfig


class CocityConfig(AppConfig):
    """The project's top layer: connects the page cache's purges in every process (web,
    task worker, management commands), see cocity/page_cache.py."""

    name = "cocity"
    label = "cocity"
    verbose_name = "Co-city"

    def ready(self):
        from cocity import page_cache

        page_cache.connect_signals()
