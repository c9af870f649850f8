"""Re-encode the images stored before uploads were cleaned (home/images.py): run once after
deploying that change. Images without metadata are left as they are."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.images import get_image_model

from home.images import strip_stored_image


class Command(BaseCommand):
    help = "Remove EXIF, GPS, XMP, comments and PNG text from every stored original image."

    def handle(self, *args, **options):
        cleaned = skipped = 0
        for image in get_image_model().objects.order_by("pk").iterator():
            try:
                with transaction.atomic():
                    cleaned += strip_stored_image(image)
            except (ValidationError, OSError) as error:
                skipped += 1
                message = error.messages[0] if isinstance(error, ValidationError) else error
                self.stderr.write(f"Image {image.pk} ({image.file.name}) left as is: {message}")
        self.stdout.write(f"{cleaned} image(s) re-encoded without metadata, {skipped} skipped.")
