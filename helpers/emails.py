"""Plain-text emails: subjects and bodies rendered from templates without HTML escaping.

Django templates escape HTML by default, so a subject rendered like a page shows
"L&#x27;atelier d&#x27;Awa &amp; co" in the reader's inbox. Email text is not HTML: it is
rendered here with autoescaping off, whatever the template says. A subject is one line
(an email header refuses line breaks: a title typed with one made the send fail).
"""

import re

from django import forms
from django.template import Context
from django.template.loader import get_template

# Whitespace that ends a line or repeats, but not the no-break spaces of French typography
# ("Inscription confirmée : …" has one before its colon).
BREAKING_SPACE = re.compile(r"[^\S\xa0\u2007\u202f]+")


def one_line(text):
    """``text`` with every run of breaking whitespace (line breaks, tabs) as one space,
    trimmed."""
    return BREAKING_SPACE.sub(" ", text).strip(" ")


def render_text(template_name, context):
    """The template ``template_name`` rendered as plain text (no HTML escaping)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_subject(template_name, context):
    """An email subject: plain text on one line."""
    return one_line(render_text(template_name, context))


class SingleLineField(forms.CharField):
    """A name or title: line breaks, tabs and repeated spaces become one space (a name in
    an email greeting or a title in a subject must not start a new line)."""

    def to_python(self, value):
        return one_line(super().to_python(value))
