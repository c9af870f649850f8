"""``Once``: a value of a page's template context computed only if the template reads it."""


class Once:
    """A callable that computes ``build()`` the first time it is called and then returns
    the same value: Django's templates call a callable they find in the context, so
    ``context["donations"] = Once(lambda: …)`` runs the query only when a part of the page
    that shows it is rendered (not when that part comes from a fragment kept in the cache,
    home/templatetags/fragment_tags.py), and once however often the template reads it.
    Unlike Django's SimpleLazyObject, an isinstance() check does not compute it."""

    def __init__(self, build):
        self._build = build
        self._done = False
        self._value = None

    def __call__(self):
        if not self._done:
            self._value, self._done = self._build(), True
        return self._value
