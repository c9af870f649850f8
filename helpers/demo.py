"""The demo site's shared pieces: translation through wagtail-localize, and the registry
through which each app adds its own demo content to `load_demo` (home/ must not import the
other apps, so they register here from their AppConfig.ready())."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import CommandError

from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

# Every language but the source (fr); a builder may leave a page in fewer on purpose.
TRANSLATED_LANGUAGES = ("en", "ar", "pt", "zh-hans")
IMAGE_PREFIX = "Démo · "

_builders = {}


@dataclass
class DemoSite:
    """What builders get: the French home page, the main menu's pages (in order), the
    footer's pages (a builder may add its own), images."""

    home: Page
    menu_pages: list = field(default_factory=list)
    footer_pages: list = field(default_factory=list)
    images: dict = field(default_factory=dict)

    @property
    def locale(self):
        return Locale.objects.get(language_code=settings.LANGUAGE_CODE)

    def translate(self, instances, copies, languages=TRANSLATED_LANGUAGES):
        """Translate ``instances`` into ``languages`` (every demo language unless told),
        strings taken from ``copies`` (home.demo_content.T: .fr, .en, .ar, .pt, .zh_hans)."""
        for language in languages:
            table = translation_table(copies, language)
            for instance in instances:
                translate(instance, language, table)


def register(key, build, reset=None, order=100):
    """Register ``build(site: DemoSite)`` (and ``reset()`` for `--reset`) under ``key``."""
    _builders[key] = (order, build, reset)


def builders():
    return [entry for _order, *entry in sorted(_builders.values(), key=lambda e: e[0])]


def translation_table(copies, language):
    """Return {French source: translation} for ``language``; rich text is also keyed
    without its <p> tags (wagtail-localize segments rich text by paragraph)."""
    table = {}
    for copy in copies:
        translated = copy.get(language)
        if translated is None:
            continue  # translate() names what is missing
        table[copy.fr] = translated
        if copy.fr.startswith("<p>") and copy.fr.endswith("</p>"):
            table[copy.fr[3:-4]] = translated[3:-4]
    return table


def translate(instance, language, table):
    """Translate ``instance`` into ``language`` through wagtail-localize, as a translator
    would in the admin, every string taken from ``table``. Raises CommandError when a
    string has no translation, so the demo is never half-translated."""
    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    missing = []
    for entry in po:
        entry.msgstr = table.get(entry.msgid, "")
        if not entry.msgstr:
            missing.append(entry.msgid)
    if missing:
        raise CommandError(f"The demo copy has no {language} translation for: {missing}")
    translation.import_po(po)
    if isinstance(instance, Page):
        # save_target(publish=True) publishes on commit, from a revision taken before the
        # children were translated, which would reset the tree's child count.
        translation.save_target(publish=False)
        instance.get_translation(locale).get_latest_revision().publish()
    else:
        translation.save_target()
