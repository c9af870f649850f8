"""Real values for the previews of the StreamField blocks in the editor's block chooser.

Each block of the site's StreamFields has a ``preview_template`` (home/templates/home/
block_preview*.html: the site's stylesheet, the editor's language and direction) and a
``get_preview_value`` built from what is already there: the first image of the library, the
first live public campaign, an embed already fetched once. No look-up leaves the server (no
oEmbed request), and an empty database gives a preview too, only without image or campaign.
"""

from wagtail.embeds.models import Embed
from wagtail.images import get_image_model

from .images import PRIVATE_PREFIX

PREVIEW_TEMPLATE = "home/block_preview.html"


def preview_images(count=1):
    """Up to ``count`` images of the library, oldest first, leaving out private photos
    (a project leader's upload not yet published, home/images.py)."""

    images = get_image_model().objects.exclude(file__startswith=PRIVATE_PREFIX)
    return list(images.order_by("pk")[:count])


def preview_image():
    """The first image of the library, or None when it is empty."""
    images = preview_images(1)
    return images[0] if images else None


def preview_embed_url():
    """The address of a video the site already embeds (its oEmbed answer stored by Wagtail),
    or "" — the preview never asks a video site for one."""

    embed = Embed.objects.filter(type="video").order_by("pk").first()
    return embed.url if embed else ""
