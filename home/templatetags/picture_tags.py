"""``{% kept_picture %}``: Wagtail's ``{% picture %}`` (same arguments, same HTML), whose HTML
is kept with the frame (helpers/frame.py) per image, sizes, formats and attributes.

A picture is the same for every visitor, and building it is most of what a card costs: the
filters parsed, each rendition looked for among the image's renditions, the URLs and the
``<source>`` lines written (about 0.3 ms a picture; the home page shows ten). It changes only
when its image or one of its renditions changes, and each of those starts a new generation of
the frame cache, so the kept HTML is never older than the image. ``as name`` (the renditions
in a variable) is passed to Wagtail's tag as it is.
"""

import hashlib

from django import template
from django.template.base import Token
from django.utils.safestring import mark_safe

from wagtail.images.templatetags import wagtailimages_tags

from helpers import frame

register = template.Library()


class KeptPictureNode(template.Node):
    def __init__(self, node):
        self.node = node  # Wagtail's PictureNode

    def render(self, context):
        node = self.node
        if node.output_var_name:
            return node.render(context)
        image = node.validate_image(context)
        if not image:
            return ""
        attrs = sorted((name, str(value.resolve(context))) for name, value in node.attrs.items())
        what = repr((image.pk, tuple(node.filter_specs), attrs))
        key = hashlib.sha256(what.encode()).hexdigest()
        return mark_safe(frame.shared(f"picture:{key}", lambda: str(node.render(context))))


@register.tag
def kept_picture(parser, token):
    """``{% kept_picture image format-{webp,jpeg} width-{480,800} sizes="…" alt=… %}``."""
    contents = "picture" + token.contents[len("kept_picture") :]
    picture = Token(token.token_type, contents, token.position, token.lineno)
    return KeptPictureNode(wagtailimages_tags.image(parser, picture))
