"""Demo data: needs on a campaign (some full, with a waiting list) and offers of help."""


def build(site):
    """Filled in by the demo's author (issue 17)."""


def reset():
    """Remove what build() made."""
