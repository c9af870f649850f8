"""The block chooser's previews: every block of the site's StreamFields drawn with the site's
stylesheet, in the editor's language and direction, with real values (the library's first
image, the first live campaign), and without a crash on an empty site."""

import re
from html import unescape

from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.fields import StreamField
from wagtail.images.models import Image
from wagtail.users.models import UserProfile

import pytest

from campaigns.models import CampaignPage
from donations.blocks import DonationBlock
from helpers.money import format_money
from helpers.visibility import public_pages
from home.blocks import (
    CallToActionBlock,
    CaptionedImageBlock,
    ComputedKeyFigureBlock,
    LinkBlock,
    VideoBlock,
)
from stories.blocks import GalleryBlock

pytestmark = pytest.mark.django_db


def site_blocks():
    """{(model label, field, block name): block} for every block an editor can add to one of
    the site's StreamFields."""
    found = {}
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {
            "home",
            "campaigns",
            "donations",
            "stories",
            "workshops",
        }:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, StreamField) and field.model is model:
                for name, block in field.stream_block.child_blocks.items():
                    found[(model._meta.label, field.name, name)] = block
    return found


def preview(client, block):
    return client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})


def main_text(response):
    """The visible text of the preview's <main>."""
    html = response.content.decode()
    main = re.search(r"<main>(.*)</main>", html, re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def of_type(block_class):
    blocks = [block for block in site_blocks().values() if isinstance(block, block_class)]
    assert blocks, block_class
    return blocks[0]


def test_every_streamfield_of_the_site_is_found():
    fields = {(label, field) for label, field, _name in site_blocks()}
    assert {
        ("home.HomePage", "body"),
        ("home.HomePage", "key_figures"),
        ("home.StandardPage", "body"),
        ("home.MainMenu", "links"),
        ("home.SiteContact", "social_links"),
        ("campaigns.CampaignPage", "body"),
        ("campaigns.CampaignNewsPage", "body"),
        ("stories.StoryPage", "body"),
        ("workshops.WorkshopPage", "body"),
    } <= fields
    names = {name for _label, _field, name in site_blocks()}
    assert {"heading", "paragraph", "image", "quote", "video", "call_to_action"} <= names
    assert {"key_figures", "faq", "donation", "gallery", "figure", "link"} <= names


def test_every_block_has_a_description_and_a_preview_in_the_chooser():
    for key, block in site_blocks().items():
        assert block.is_previewable, key
        assert str(block.get_description()).strip(), key
        assert block.get_preview_template(None).startswith("home/block_preview"), key


def test_every_preview_is_drawn_with_the_site_stylesheet_and_a_real_value(admin_client, demo_site):
    seen = set()
    for key, block in site_blocks().items():
        if block.definition_prefix in seen:
            continue
        seen.add(block.definition_prefix)
        response = preview(admin_client, block)
        assert response.status_code == 200, key
        html = response.content.decode()
        assert re.search(r'<link rel="stylesheet" href="/static/css/site\.css"', html), key
        assert '<html lang="fr" dir="ltr">' in html, key
        assert 'class="container stream block-preview"' in html, key
        text = main_text(response)
        assert text, key
        assert "None" not in text, key


def test_image_and_gallery_previews_show_the_library_s_first_image(admin_client, demo_site):
    first = Image.objects.order_by("pk").first()
    assert first is not None  # the demo has images
    response = preview(admin_client, of_type(CaptionedImageBlock))
    html = response.content.decode()
    assert re.search(r'<img[^>]+alt="[^"]+"', html)
    assert first.title in main_text(response)  # its caption
    gallery = preview(admin_client, of_type(GalleryBlock)).content.decode()
    assert len(re.findall(r"<img ", gallery)) == min(3, Image.objects.count())


def test_donation_preview_gives_to_the_first_live_campaign(admin_client, demo_site):
    response = preview(admin_client, of_type(DonationBlock))
    html = response.content.decode()
    live = [
        campaign
        # the public ones only: a private campaign is never offered in a preview
        for campaign in public_pages(CampaignPage.objects.filter(locale__language_code="fr"))
        if campaign.accepts_donations
    ]
    assert live  # the demo has live campaigns
    campaign = min(live, key=lambda campaign: (campaign.closes_at, campaign.pk))
    assert reverse("donations:donate", args=[campaign.translation_key]) in html
    assert campaign.title in main_text(response)  # "Choose an amount for “…”"
    assert format_money(1000) in html  # the default amounts
    # the call to action leads to the same campaign
    cta = preview(admin_client, of_type(CallToActionBlock)).content.decode()
    assert f'href="{campaign.url}"' in cta


def test_video_preview_draws_the_player_without_asking_the_video_site(admin_client, demo_site):
    response = preview(admin_client, of_type(VideoBlock))
    html = response.content.decode()
    assert "<iframe" not in html
    assert 'class="block-video__player"' in html and "<svg" in html
    assert "block-video__transcript" in html


def test_computed_key_figure_and_link_previews(admin_client, demo_site):
    figure = main_text(preview(admin_client, of_type(ComputedKeyFigureBlock)))
    assert "€" in figure  # the money raised, computed from the demo's ledger
    link = preview(admin_client, of_type(LinkBlock)).content.decode()
    assert re.search(r'<a href="/fr/[^"]+">[^<]+</a>', link)


def test_previews_follow_the_editor_s_language_and_direction(admin_client, admin_user, demo_site):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ar"
    profile.save()
    response = preview(admin_client, of_type(DonationBlock))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    campaign = CampaignPage.objects.get(slug="jardin-des-couronnes", locale__language_code="ar")
    assert campaign.title in html
    # a menu link to the campaign: its Arabic version, with its Arabic title
    link = preview(admin_client, of_type(LinkBlock)).content.decode()
    assert f'<a href="{campaign.url}">{campaign.title}</a>' in link
    assert campaign.url.startswith("/ar/")


def test_previews_of_an_empty_site_answer_without_image_or_campaign(admin_client):
    assert not Image.objects.exists() and not CampaignPage.objects.exists()
    seen = set()
    for key, block in site_blocks().items():
        if block.definition_prefix in seen:
            continue
        seen.add(block.definition_prefix)
        response = preview(admin_client, block)
        assert response.status_code == 200, key
        assert main_text(response), key
    # the previews speak the admin's language (French, the site's default, here)
    with translation.override("fr"):
        no_campaign = gettext(
            "No campaign is open yet: on a campaign's page, this block gives to that campaign."
        )
        no_image = gettext("No image in the library yet.")
    donation = unescape(preview(admin_client, of_type(DonationBlock)).content.decode())
    assert no_campaign in donation
    assert "disabled" in donation  # the amounts drawn, inert
    image = unescape(preview(admin_client, of_type(CaptionedImageBlock)).content.decode())
    assert "<img" not in image and no_image in image
    gallery = unescape(preview(admin_client, of_type(GalleryBlock)).content.decode())
    assert "<img" not in gallery and no_image in gallery


def test_only_staff_see_previews(client):
    block = of_type(DonationBlock)
    response = preview(client, block)
    assert response.status_code == 302  # to the admin's login
