"""Exports that staff open in a spreadsheet (donations, workshop registrations)."""

from django.utils import timezone, translation

# A cell starting with one of these is run as a formula by Excel or LibreOffice.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """People type their own names, messages and needs: never let a spreadsheet run them."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def in_language(rows, language, zone):
    """Yield from the generator ``rows``, running each step in ``language`` and ``zone``: a
    streamed export (Wagtail's SpreadsheetExportMixin) is written after the view returned,
    when the staff member's admin language and time zone no longer apply."""
    while True:
        with translation.override(language), timezone.override(zone):
            row = next(rows, None)
        if row is None:
            return
        yield row
