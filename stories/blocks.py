"""Blocks only stories use."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.blocks import CaptionedImageBlock


class GalleryBlock(blocks.StructBlock):
    """A few photos shown together, each with its alternative text and caption."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    images = blocks.ListBlock(CaptionedImageBlock(), min_num=1, max_num=12, label=_("Photos"))

    class Meta:
        icon = "image"
        template = "stories/blocks/gallery_block.html"
        label = _("Gallery")
        description = _("Several photos side by side, each with alternative text.")
        preview_value = {"heading": "Le chantier en images"}
