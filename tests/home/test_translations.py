"""Interface catalogues: every language complete, no fuzzy entry, .mo files up to date."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

import polib
import pytest

LOCALES = Path(settings.BASE_DIR) / "locales"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}|\{\w+\}")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The placeholders that carry a plural's number (a form may say it in words instead).
COUNT_PLACEHOLDERS = {
    "%(counter)s",
    "%(count)s",
    "%(count)d",
    "%(seats)s",
    "%(days)s",
    "%(seconds)s",
    "%(minutes)s",
}


def catalogue(language):
    return LOCALES / to_locale(language) / "LC_MESSAGES" / "django.po"


def test_every_language_has_a_catalogue():
    found = {path.parent.parent.name for path in LOCALES.glob("*/LC_MESSAGES/django.po")}
    assert found == {to_locale(code) for code in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_not_fuzzy(language):
    po = polib.pofile(str(catalogue(language)))
    assert len(po) > 50
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated {untranslated}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy}"
    assert "fuzzy" not in po.metadata_as_entry().flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    for entry in polib.pofile(str(catalogue(language))).translated_entries():
        if not entry.msgid_plural:
            found = set(PLACEHOLDER.findall(entry.msgstr))
            assert found == set(PLACEHOLDER.findall(entry.msgid)), (language, entry.msgid)
            continue
        # A plural form may leave the count out ("a photo", Arabic's "two seats": the dual
        # says the number) — one placeholder at most, one that counts — but nothing else.
        allowed = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        counts = allowed & COUNT_PLACEHOLDERS
        for plural_form in entry.msgstr_plural.values():
            found = set(PLACEHOLDER.findall(plural_form))
            assert found <= allowed, (language, entry.msgid)
            missing = allowed - found
            assert missing <= counts and len(missing) <= 1, (language, entry.msgid, missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    po_path = catalogue(language)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"

    def entries(catalogue_file):
        result = {}
        for entry in catalogue_file:
            if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
                continue
            key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
            result[key] = entry.msgstr_plural and dict(entry.msgstr_plural) or entry.msgstr
        return result

    compiled = entries(polib.mofile(str(mo_path)))
    source = entries(polib.pofile(str(po_path)))
    assert compiled == source, f"{mo_path} is stale: run `make messages`"


def test_interface_is_translated_at_runtime():
    with translation.override("ar"):
        skip = translation.gettext("Skip to content")
    with translation.override("zh-hans"):
        search = translation.gettext("Search")
    assert re.search(r"[\u0600-\u06FF]", skip)
    assert re.search(r"[\u4e00-\u9fff]", search)
