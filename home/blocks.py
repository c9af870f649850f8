"""The shared StreamField block set used by every page type (DESIGN.md §7, bakerydemo style).

Each block has a docstring and a Meta with icon, template, label, description, a preview
template (the site's stylesheet) and a preview_value: a function Wagtail calls when the block
chooser draws the preview, so the value is in the editor's language and real (the library's
first image, the first live campaign: home/block_previews.py).
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import Image

from donations.blocks import DonationBlock
from helpers.api import IMAGE_RENDITION_SPECS, absolute_links, image_data, localized_link
from helpers.block_previews import preview

from . import figures
from .block_previews import (
    PREVIEW_TEMPLATE,
    preview_embed_url,
    preview_image,
)


def page_or_url_errors(value):
    """Return the StructBlock errors of a link that needs exactly one of ``page`` and ``url``
    (empty when it is valid)."""
    if value.get("page") and value.get("url"):
        message = _("Choose either a page or an address, not both.")
    elif not value.get("page") and not value.get("url"):
        message = _("Choose a page or enter an address.")
    else:
        return {}
    return {"page": ErrorList([ValidationError(message)])}


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads all the images of a StreamField, with their renditions,
    in two queries, whatever the number of image blocks."""

    def bulk_to_python(self, values):
        ids = [value for value in values if value is not None]
        images = Image.objects.prefetch_renditions(*IMAGE_RENDITION_SPECS).in_bulk(ids)
        return [images.get(value) for value in values]


def heading_preview():
    return {"text": gettext("How does it work?"), "level": "h2"}


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 or 3 keeps the outline of the page correct."""

    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading_block.html"
        label = _("Heading")
        description = _("A heading that starts a section of the page.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = staticmethod(heading_preview)


def paragraph_preview():
    return format_html(
        "<p>{}</p><ul><li>{}</li><li>{}</li></ul>",
        gettext(
            "Do you have an idea that would help your neighbourhood? We help you turn "
            "it into a project, set a realistic goal and rally your neighbours."
        ),
        gettext("A shared garden"),
        gettext("A repair café"),
    )


class ParagraphBlock(blocks.RichTextBlock):
    """Formatted text: paragraphs, lists, links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "home/blocks/paragraph_block.html"
        label = _("Paragraph")
        description = _("Text with paragraphs, lists and links.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = staticmethod(paragraph_preview)

    def get_api_representation(self, value, context=None):
        html = super().get_api_representation(value, context)
        return absolute_links(html, (context or {}).get("request"))


def captioned_image_preview():
    """The library's first image with its title as caption (none in an empty library)."""
    image = preview_image()
    return {
        "image": image,
        "alt_text": image.default_alt_text if image else "",
        "caption": image.title if image else gettext("No image in the library yet."),
    }


class CaptionedImageBlock(blocks.StructBlock):
    """An image with the alternative text screen readers announce, and an optional caption."""

    image = PrefetchingImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "home/blocks/image_block.html"
        label = _("Image")
        description = _("A photo or illustration with alternative text and a caption.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = staticmethod(captioned_image_preview)

    def get_api_representation(self, value, context=None):
        request = (context or {}).get("request")
        return {
            "image": image_data(value.get("image"), value.get("alt_text"), request),
            "alt_text": value.get("alt_text"),
            "caption": value.get("caption"),
        }


def quote_preview():
    return {
        "quote": gettext(
            "Here, everyone can fund a project for their neighbourhood, even with five euros."
        ),
        "attribution": gettext("Awa, project leader in Belleville"),
    }


class QuoteBlock(blocks.StructBlock):
    """A quotation from a resident, a partner or a project leader."""

    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote_block.html"
        label = _("Quote")
        description = _("Words from a resident or a partner, with who said them.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = staticmethod(quote_preview)


def video_preview():
    return {
        "video": preview_embed_url() or None,
        "title": gettext("Les Co-citoyens in two minutes"),
        "transcript": format_html(
            "<p>{}</p>",
            gettext(
                "Residents lead the projects, the neighbourhood funds them, and we "
                "support them all the way."
            ),
        ),
    }


class VideoBlock(blocks.StructBlock):
    """A video from YouTube, Vimeo or PeerTube with a title and an optional transcript.

    The player is the provider's; the link and transcript below it keep the content
    available without JavaScript or third-party frames.
    """

    video = EmbedBlock(label=_("Video address"), help_text=_("e.g. https://vimeo.com/…"))
    title = blocks.CharBlock(
        label=_("Title"), max_length=150, help_text=_("Read out by screen readers.")
    )
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), required=False, features=["bold", "italic", "link"]
    )

    class Meta:
        icon = "media"
        template = "home/blocks/video_block.html"
        label = _("Video")
        description = _("An embedded video with its title and transcript.")
        # the player drawn, not fetched: no oEmbed request from the block chooser
        preview_template = "home/block_preview_video.html"
        preview_value = staticmethod(video_preview)

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        representation["transcript"] = absolute_links(
            representation.get("transcript"), (context or {}).get("request")
        )
        return representation


def call_to_action_preview():
    """A button to the first live campaign (to the home page when none is open)."""
    campaign = preview("campaign")
    return {
        "label": gettext("Give to this project") if campaign else gettext("Home"),
        "page": campaign,
        "url": "" if campaign else "/",
        "text": gettext("Do you have an idea that would help your neighbourhood?"),
    }


class CallToActionBlock(blocks.StructBlock):
    """A prominent button that leads to a page of the site or to another site."""

    label = blocks.CharBlock(label=_("Button text"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)
    text = blocks.CharBlock(label=_("Text before the button"), required=False, max_length=250)

    class Meta:
        icon = "link"
        template = "home/blocks/call_to_action_block.html"
        label = _("Call to action")
        description = _("A button that invites readers to act: give, register, get in touch.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = staticmethod(call_to_action_preview)

    def clean(self, value):
        value = super().clean(value)
        errors = page_or_url_errors(value)
        if errors:
            raise StructBlockValidationError(errors)
        return value

    def get_api_representation(self, value, context=None):
        return {
            "label": value.get("label"),
            "text": value.get("text"),
            "page": localized_link(value.get("page"), (context or {}).get("request")),
            "url": value.get("url") or None,
        }


class KeyFigureBlock(blocks.StructBlock):
    """One figure typed by hand and what it counts, for facts and rules: "80 %" — "of the
    goal is enough". The association's results are computed (ComputedKeyFigureBlock)."""

    value = blocks.CharBlock(label=_("Figure"), max_length=20)
    label = blocks.CharBlock(label=_("What it counts"), max_length=80)

    class Meta:
        icon = "order"
        label = _("Key figure")


def computed_key_figure_preview():
    return {"figure": "raised", "label": gettext("raised for the projects")}


class ComputedKeyFigureBlock(blocks.StructBlock):
    """One of the association's figures, computed from the ledger and the campaigns' results
    (home/figures.py), never typed: the success rate — "of campaigns succeed"."""

    figure = blocks.ChoiceBlock(
        label=_("Figure"),
        choices=figures.choices,
        help_text=_("Computed from the donations and the closed campaigns, in every language."),
    )
    label = blocks.CharBlock(label=_("What it counts"), max_length=80)

    class Meta:
        icon = "order"
        label = _("Key figure")
        description = _("One of the association's figures, computed from its results.")
        preview_template = "home/block_preview_key_figure.html"
        preview_value = staticmethod(computed_key_figure_preview)

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        request = (context or {}).get("request")
        representation["value"] = figures.figure_value(value.get("figure"), request)
        return representation


def key_figures_preview():
    return {
        "heading": gettext("In figures"),
        "figures": [
            {
                "value": figures.format_percent_value(0.66),
                "label": gettext("tax reduction on each gift"),
            },
            {
                "value": figures.format_percent_value(0.8),
                "label": gettext("of the goal is enough"),
            },
        ],
    }


class KeyFiguresBlock(blocks.StructBlock):
    """A row of key figures with an optional heading."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=6, label=_("Figures"))

    class Meta:
        icon = "table"
        template = "home/blocks/key_figures_block.html"
        label = _("Key figures")
        description = _("Up to six figures that show what the association achieves.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = staticmethod(key_figures_preview)


class FAQItemBlock(blocks.StructBlock):
    """A question and its answer."""

    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


def faq_preview():
    return {
        "heading": gettext("Questions and answers"),
        "items": [
            {
                "question": gettext("Is my gift tax-deductible?"),
                "answer": format_html(
                    "<p>{}</p>",
                    gettext(
                        "Yes, if you pay income tax in France: %(rate)s of your gift "
                        "comes off your tax, with a tax receipt."
                    )
                    % {"rate": figures.format_percent_value(0.66)},
                ),
            },
            {
                "question": gettext("What happens if the goal is not reached?"),
                "answer": format_html(
                    "<p>{}</p>",
                    gettext(
                        "Each campaign shows its rule. All or nothing: below its "
                        "success threshold, every gift is refunded. Keep it all: the "
                        "project receives what was raised."
                    ),
                ),
            },
        ],
    }


class FAQBlock(blocks.StructBlock):
    """Questions and answers that open and close without JavaScript (<details>)."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    items = blocks.ListBlock(FAQItemBlock(), min_num=1, label=_("Questions"))

    class Meta:
        icon = "list-ul"
        template = "home/blocks/faq_block.html"
        label = _("Questions and answers")
        description = _("An accordion of questions and answers.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = staticmethod(faq_preview)

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        request = (context or {}).get("request")
        for item in representation.get("items", []):
            item["answer"] = absolute_links(item.get("answer"), request)
        return representation


class BodyStreamBlock(blocks.StreamBlock):
    """The block set of every page body."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    call_to_action = CallToActionBlock()
    key_figures = KeyFiguresBlock()
    faq = FAQBlock()
    donation = DonationBlock()


def link_preview():
    """A link to the first live campaign (to the home page when none is open)."""
    campaign = preview("campaign")
    return {
        "label": "" if campaign else gettext("Home"),
        "page": campaign,
        "url": "" if campaign else "/",
    }


class LinkBlock(blocks.StructBlock):
    """A menu or footer link: a page of the site (followed in the reader's language) or an
    address elsewhere."""

    label = blocks.CharBlock(
        label=_("Text"),
        required=False,
        max_length=60,
        help_text=_("Leave empty to use the page's title."),
    )
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")
        description = _("A link to a page of the site or to another site.")
        preview_template = "home/block_preview_link.html"
        preview_value = staticmethod(link_preview)

    def clean(self, value):
        value = super().clean(value)
        errors = page_or_url_errors(value)
        if not errors and value.get("url") and not value.get("label"):
            errors["label"] = ErrorList(
                [ValidationError(_("A link to another site needs a text."))]
            )
        if errors:
            raise StructBlockValidationError(errors)
        return value
