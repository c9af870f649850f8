"""The association's computed figures in templates (home/figures.py)."""

from django import template

from home import figures

register = template.Library()


@register.simple_tag(takes_context=True)
def figure_value(context, name):
    """The figure ``name`` in the reader's language ("" when not known yet), computed once
    per request: ``{% figure_value block.value.figure as value %}``."""
    return figures.figure_value(name, context.get("request"))
