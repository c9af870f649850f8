"""Helpers' personal data (helpers/personal_data.py): found, exported, erased, purged."""


def register():
    """Filled in by issue 17's personal-data part."""
