"""Factories for the home app's pages and snippets (wagtail-factories), used by the tests
and by the `load_demo` command."""

import io

from django.core.files.images import ImageFile

import wagtail_factories
from wagtail.images.models import Image

import factory
from PIL import Image as PILImage
from PIL import ImageDraw

from . import blocks
from .models import Footer, HomePage, MainMenu, StandardPage


def generated_image(title, size=(1200, 800), colour=(11, 93, 75), accent=(242, 193, 78)):
    """Return a saved Wagtail Image drawn locally with Pillow (no downloads)."""
    canvas = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(canvas)
    width, height = size
    for step in range(6):
        inset = step * min(width, height) // 14
        draw.ellipse(
            [
                width // 2 - inset * 2,
                height // 2 - inset,
                width // 2 + inset * 2,
                height // 2 + inset,
            ],
            outline=accent,
            width=max(2, min(width, height) // 80),
        )
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=82)
    slug = "".join(char if char.isalnum() else "-" for char in title.lower())[:60]
    image = Image(title=title)
    image.file = ImageFile(buffer, name=f"{slug}.jpg")
    image.save()
    return image


class ImageFactory(wagtail_factories.ImageFactory):
    """A small generated image (fast to render in tests)."""

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.django.ImageField(width=120, height=80, color="green")


class HeadingBlockFactory(wagtail_factories.StructBlockFactory):
    text = factory.Sequence(lambda n: f"Section {n}")
    level = "h2"

    class Meta:
        model = blocks.HeadingBlock


class CaptionedImageBlockFactory(wagtail_factories.StructBlockFactory):
    image = factory.SubFactory(wagtail_factories.ImageChooserBlockFactory)
    alt_text = factory.Sequence(lambda n: f"Description of image {n}")
    caption = "A caption"

    class Meta:
        model = blocks.CaptionedImageBlock


class QuoteBlockFactory(wagtail_factories.StructBlockFactory):
    quote = "Ensemble, on finance ce qui compte pour le quartier."
    attribution = "Une habitante"

    class Meta:
        model = blocks.QuoteBlock


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    slug = factory.Sequence(lambda n: f"home-{n}")
    hero_heading = "Financer ensemble les projets de nos quartiers"
    hero_text = "Le financement participatif citoyen, pour toutes et tous."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    introduction = "Une page d'information."

    class Meta:
        model = StandardPage


class MainMenuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MainMenu


class FooterFactory(factory.django.DjangoModelFactory):
    about = "<p>Les Co-citoyens, association loi 1901.</p>"

    class Meta:
        model = Footer
