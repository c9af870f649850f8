"""Preview values that a block of a lower layer takes from a higher app.

The donation block (donations/) and the call-to-action block (home/) show a live campaign in
their previews in the editor's block chooser, but campaigns sit above both. The campaigns app
gives its "campaign to show" here when it is ready (campaigns/apps.py), and the blocks ask for
it by name: nothing below imports campaigns, and with no provider (or an empty database) the
preview simply has no campaign.
"""

_providers = {}


def provide(name, build):
    """Register ``build()`` as the preview value called ``name`` (an app's ``ready()``)."""
    _providers[name] = build


def preview(name):
    """The preview value called ``name``, or None when no app provides one."""
    build = _providers.get(name)
    return build() if build else None
