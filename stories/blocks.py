"""Blocks only stories use."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.block_previews import preview_images
from home.blocks import CaptionedImageBlock


def gallery_preview():
    """The library's first three images (none in an empty library)."""
    photos = [
        {"image": image, "alt_text": image.default_alt_text, "caption": image.title}
        for image in preview_images(3)
    ]
    return {"heading": gettext("The project in pictures"), "images": photos}


class GalleryBlock(blocks.StructBlock):
    """A few photos shown together, each with its alternative text and caption."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    images = blocks.ListBlock(CaptionedImageBlock(), min_num=1, max_num=12, label=_("Photos"))

    class Meta:
        icon = "image"
        template = "stories/blocks/gallery_block.html"
        label = _("Gallery")
        description = _("Several photos side by side, each with alternative text.")
        # the site's stylesheet; says so when the library has no image yet
        preview_template = "home/block_preview_gallery.html"
        preview_value = staticmethod(gallery_preview)
