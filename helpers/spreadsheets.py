"""Exports that staff open in a spreadsheet (donations, workshop registrations)."""

import datetime
from collections import OrderedDict

from django.utils import timezone, translation

from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.mixins import SpreadsheetExportMixin

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


class PeopleExportMixin(SpreadsheetExportMixin):
    """The export of people's rows (workshop registrations, offers of help) as CSV
    (``?export=csv``, the default) or XLSX (``?export=xlsx``), with Wagtail's
    SpreadsheetExportMixin, in the staff member's language and time zone. What people typed
    never runs as a formula: CSV cells are escaped, XLSX cells written as text. A view gives
    ``export_headings``, ``list_export``, ``rows()`` and ``get_filename()``; its
    ``export_value`` may answer its own fields before calling this one."""

    # shown by their choice's label, and in the staff member's time zone
    display_fields = ("status", "language", "source")
    local_times = ("created_at", "confirmed_at")

    def get(self, request, *args, **kwargs):
        spreadsheet_format = request.GET.get("export")
        if spreadsheet_format not in self.FORMATS:
            spreadsheet_format = self.FORMAT_CSV
        return self.as_spreadsheet(self.rows(), spreadsheet_format)

    def to_row_dict(self, item):
        return OrderedDict((field, self.export_value(item, field)) for field in self.list_export)

    def export_value(self, item, field):
        if field in self.display_fields:
            return getattr(item, f"get_{field}_display")()
        if field == "taken_by":
            return get_user_display_name(item.taken_by) if item.taken_by else ""
        value = getattr(item, field)
        if field in self.local_times and value is not None:
            return timezone.localtime(value)
        return "" if value is None else value

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, datetime.datetime):
            if export_format == self.FORMAT_CSV:
                return value.isoformat(timespec="seconds")  # with its offset
            return value.replace(tzinfo=None)  # a spreadsheet date, in local time
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            value = spreadsheet_safe(value)
        return value

    def stream_csv(self, queryset):
        return in_language(
            super().stream_csv(queryset),
            translation.get_language(),
            timezone.get_current_timezone(),
        )
