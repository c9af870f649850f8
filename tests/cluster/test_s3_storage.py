"""Media on S3 (cocity/storage.py) in one process, on any database: moto stands in for S3
in-process. Public names get plain, lasting URLs on the media host; private names stay behind
their view; uploads are stripped of their location and renamed before they reach the bucket;
renditions are made from and stored in the bucket; the posters' fetcher reads the bucket's
media through the storage and nothing else; the settings switch on from the environment."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.urls import reverse

from wagtail.images import get_image_model

import boto3
import pytest
from moto import mock_aws
from PIL import Image

from helpers.pdf import RefusedURL, local_fetcher

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "cocity-test-media"


@pytest.fixture
def s3(settings, monkeypatch):
    for name in ("AWS_CA_BUNDLE", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.MEDIA_URL = "https://media.example/"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "cocity.storage.S3MediaStorage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "test",
                    "secret_key": "test",
                    "custom_domain": "media.example",
                    "url_protocol": "https:",
                    "querystring_auth": False,
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def stored(client):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_public_names_get_plain_urls_and_private_ones_stay_behind_their_view(s3):
    def save(name, content):  # as a FileField saves a file
        return default_storage.save(default_storage.generate_filename(name), ContentFile(content))

    public = save("original_images/garden.jpg", b"public")
    private = save("original_images/private-abc.jpg", b"private")
    assert public == "original_images/garden.jpg"
    assert private == "private/original_images/private-abc.jpg"
    assert stored(s3) == {public, private}
    assert default_storage.url(public) == "https://media.example/original_images/garden.jpg"
    assert default_storage.url(private) == reverse(
        "stories:private_photo", kwargs={"name": "original_images/private-abc.jpg"}
    )
    # an upload never replaces another file of the same name
    again = save("original_images/garden.jpg", b"other")
    assert again != public
    assert default_storage.open(public).read() == b"public"


def jpeg_with_location():
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (48.0, 52.0, 10.0)
    output = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 80, 40)).save(output, "JPEG", exif=exif)
    return output.getvalue()


@pytest.mark.django_db
def test_an_upload_reaches_the_bucket_renamed_without_location_and_its_renditions_too(s3):
    image = get_image_model().objects.create(
        title="Garden", file=ImageFile(io.BytesIO(jpeg_with_location()), name="IMG_0001.jpg")
    )
    assert image.file.name.startswith("original_images/")
    assert "IMG_0001" not in image.file.name
    body = s3.get_object(Bucket=BUCKET, Key=image.file.name)["Body"].read()
    assert not Image.open(io.BytesIO(body)).getexif()

    rendition = image.get_rendition("width-120")
    assert rendition.url.startswith("https://media.example/images/")
    key = rendition.file.name
    assert key in stored(s3)
    assert Image.open(io.BytesIO(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())).width == 120


def test_the_posters_fetcher_reads_bucket_media_through_the_storage_only(s3):
    public = default_storage.save("original_images/hero.png", ContentFile(b"\x89PNG hero"))
    default_storage.save(
        default_storage.generate_filename("original_images/private-x.png"), ContentFile(b"secret")
    )
    fetcher = local_fetcher()
    answer = fetcher.fetch(f"https://media.example/{public}")
    assert answer.read() == b"\x89PNG hero"
    answer.close()
    for refused in (
        "https://media.example/private/original_images/private-x.png",
        "https://media.example/original_images/missing.png",
        "https://media.example/original_images/../private/original_images/private-x.png",
        "https://elsewhere.example/original_images/hero.png",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(refused)


def settings_with(**variables):
    """Some settings of cocity.settings.base under these environment variables (a process)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "DJANGO_")) and name != "MEDIA_ROOT"
    }
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'storage': s.STORAGES['default'], 'media_url': s.MEDIA_URL, "
        "'img_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "'documents': getattr(s, 'WAGTAILDOCS_SERVE_METHOD', None)}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, **variables, "DJANGO_SETTINGS_MODULE": "cocity.settings.base"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def test_the_environment_switches_media_to_s3_and_the_default_stays_the_disk():
    assert settings_with()["storage"] == {"BACKEND": "home.images.MediaStorage"}
    assert settings_with()["media_url"] == "/media/"

    other = settings_with(
        AWS_STORAGE_BUCKET_NAME="cocity-media",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        AWS_S3_REGION_NAME="fr-par",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert other["storage"]["BACKEND"] == "cocity.storage.S3MediaStorage"
    options = other["storage"]["OPTIONS"]
    assert (options["bucket_name"], options["region_name"]) == ("cocity-media", "fr-par")
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["addressing_style"] == "path"
    assert options["querystring_auth"] is False
    assert other["media_url"] == "https://s3.fr-par.scw.cloud/cocity-media/"
    assert "https://s3.fr-par.scw.cloud" in other["img_src"]
    assert other["documents"] == "serve_view"  # privacy of documents checked by Wagtail

    aws = settings_with(AWS_STORAGE_BUCKET_NAME="cocity-media", AWS_S3_REGION_NAME="eu-west-3")
    assert aws["media_url"] == "https://cocity-media.s3.eu-west-3.amazonaws.com/"
    cdn = settings_with(AWS_STORAGE_BUCKET_NAME="b", AWS_S3_CUSTOM_DOMAIN="media.cocity.example")
    assert cdn["media_url"] == "https://media.cocity.example/"
    assert cdn["img_src"][1] == "https://media.cocity.example"
