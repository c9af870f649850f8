"""Exports that staff open in a spreadsheet (donations, workshop registrations)."""

# A cell starting with one of these is run as a formula by Excel or LibreOffice.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """People type their own names, messages and needs: never let a spreadsheet run them."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value
