"""{% kept_picture %} (home/templatetags/picture_tags.py): Wagtail's {% picture %}, the same
HTML, kept with the frame and built again when the image or its renditions change."""

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from helpers import frame

pytestmark = pytest.mark.django_db

SPECS = 'format-{webp,jpeg} width-{480,800} sizes="(min-width: 60rem) 33vw, 100vw"'
KEPT = Template(
    "{% load picture_tags %}{% kept_picture image " + SPECS + ' alt=alt loading="lazy" %}'
)
WAGTAIL = Template(
    "{% load wagtailimages_tags %}{% picture image " + SPECS + ' alt=alt loading="lazy" %}'
)


@pytest.fixture
def frame_on(settings):
    settings.FRAME_CACHE_SECONDS = 300  # as in production (the test settings turn it off)
    frame.forget()
    yield
    frame.forget()


def photo(name="jardin.png", colour="white"):
    return Image.objects.create(
        title="Jardin", file=get_test_image_file(filename=name, colour=colour, size=(900, 600))
    )


def render(template, image, alt="Le jardin"):
    return template.render(Context({"image": image, "alt": alt}))


def test_the_same_html_as_wagtails_picture(frame_on):
    image = photo()
    kept = render(KEPT, image)
    assert kept == render(WAGTAIL, Image.objects.get(pk=image.pk))
    assert kept.startswith("<picture>") and 'alt="Le jardin"' in kept
    assert ".webp" in kept and 'width="480"' in kept
    assert render(KEPT, None) == ""


def test_kept_it_costs_no_query(frame_on):
    image = photo()
    first = render(KEPT, image)
    fresh = Image.objects.get(pk=image.pk)  # another request's copy, no renditions read
    with CaptureQueriesContext(connection) as queries:
        assert render(KEPT, fresh) == first
    assert len(queries) == 0


def test_each_text_of_its_own(frame_on):
    image = photo()
    french = render(KEPT, image, alt="Le jardin")
    arabic = render(KEPT, image, alt="الحديقة")
    assert 'alt="الحديقة"' in arabic and arabic != french
    assert render(KEPT, image, alt="Le jardin") == french


def test_an_image_saved_shows_at_once(frame_on):
    """A new file, as the admin's edit view saves it (its old renditions deleted): a new
    generation of the frame cache (helpers/frame.py), the picture built again."""
    image = photo()
    render(KEPT, image)
    image.file = get_test_image_file(filename="potager.png", colour="green", size=(600, 900))
    image.width, image.height = 600, 900
    image._set_file_hash()
    image.save()
    image.renditions.all().delete()
    with CaptureQueriesContext(connection) as queries:
        after = render(KEPT, Image.objects.get(pk=image.pk))
    assert len(queries) > 0  # built again
    assert 'height="720"' in after  # 480 wide, the new file's proportions
    assert after == render(WAGTAIL, Image.objects.get(pk=image.pk))


def test_renditions_deleted_are_made_again(frame_on):
    image = photo()
    before = render(KEPT, image)
    image.renditions.all().delete()  # e.g. wagtail_update_image_renditions --purge-only
    with CaptureQueriesContext(connection) as queries:
        after = render(KEPT, Image.objects.get(pk=image.pk))
    assert len(queries) > 0  # built again, not served from what was kept
    assert image.renditions.count() == 4
    assert after.count("<source") == before.count("<source")


def test_as_a_variable_it_is_wagtails_tag(frame_on):
    image = photo()
    kept = Template(
        "{% load picture_tags %}{% kept_picture image format-webp width-480 as pic %}{{ pic }}"
    )
    wagtail = Template(
        "{% load wagtailimages_tags %}{% picture image format-webp width-480 as pic %}{{ pic }}"
    )
    html = kept.render(Context({"image": image}))
    assert "<picture>" in html and html == wagtail.render(Context({"image": image}))
