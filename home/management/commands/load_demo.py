"""`manage.py load_demo`: the demo site, in every language, built from factories.

Deterministic and idempotent: a second run finds the demo in place and changes nothing but
the default Site's address; `--reset` deletes the demo pages, snippets and images and builds
them again.

The default Site names the address `make run` serves, HOST and PORT (the Makefile exports
them; 127.0.0.1 and 8000 by default), so that the absolute links the site writes (the JSON
API's `html_url` and `detail_url`, emails) lead to the running demo.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wagtail.images.models import Image
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import TranslationSource

from helpers import demo, env
from home import demo_content as content
from home.factories import (
    FooterFactory,
    HomePageFactory,
    MainMenuFactory,
    StandardPageFactory,
    generated_image,
)
from home.locales import ensure_locales, sync_all_trees
from home.models import Footer, HomePage, MainMenu, SiteContact

DEMO_IMAGE_PREFIX = demo.IMAGE_PREFIX
# Addresses a server listens on but a browser cannot open: the Site names loopback instead.
WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]"}


def served_address():
    """(hostname, port) that `make run` serves: HOST and PORT, default 127.0.0.1:8000."""
    host = env.get("HOST", "127.0.0.1")
    host = "127.0.0.1" if host in WILDCARD_HOSTS else host.strip("[]")
    port = env.get("PORT", "8000")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"PORT must be a port number (1-65535); it is {port!r}.")
    return host, int(port)


def stream_value(blocks, images):
    """Turn the (type, copy) pairs of demo_content into a French StreamField value."""
    value = []
    for block_type, data in blocks:
        if block_type == "heading":
            value.append((block_type, {"text": data.fr, "level": "h2"}))
        elif block_type == "paragraph":
            value.append((block_type, data.fr))
        elif block_type == "quote":
            quote, attribution = data
            value.append((block_type, {"quote": quote.fr, "attribution": attribution.fr}))
        elif block_type == "image":
            alt_text, caption = data
            value.append(
                (
                    block_type,
                    {"image": images["page"], "alt_text": alt_text.fr, "caption": caption.fr},
                )
            )
        elif block_type == "key_figures":
            heading, figures = data
            value.append(
                (
                    block_type,
                    {
                        "heading": heading.fr,
                        "figures": [{"value": v.fr, "label": label.fr} for v, label in figures],
                    },
                )
            )
        elif block_type == "faq":
            heading, items = data
            value.append(
                (
                    block_type,
                    {
                        "heading": heading.fr,
                        "items": [{"question": q.fr, "answer": a.fr} for q, a in items],
                    },
                )
            )
        else:  # pragma: no cover - a typo in demo_content
            raise CommandError(f"Unknown demo block type {block_type!r}")
    return value


class Command(BaseCommand):
    help = "Create the demo site (pages, menus, images, admin account) in every language."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo content and build it again."
        )

    def handle(self, *args, reset=False, **options):
        ensure_locales()
        if reset:
            self.delete_demo()
        elif HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).exists():
            self.stdout.write("The demo is already in place: nothing to do (use --reset).")
            self.point_site_at_server()
            self.ensure_admin()
            return
        with transaction.atomic():
            self.build()
        self.ensure_admin()
        self.stdout.write(self.style.SUCCESS("Demo site ready on every language."))

    def delete_demo(self):
        with transaction.atomic():
            for home in HomePage.objects.filter(depth=2).order_by("-pk"):
                home.get_descendants(inclusive=True).filter(alias_of__isnull=False).delete()
            for home in Page.objects.filter(depth=2).specific():
                if isinstance(home, HomePage):
                    home.delete()
            MainMenu.objects.all().delete()
            Footer.objects.all().delete()
            for _build, reset in demo.builders():
                if reset is not None:
                    reset()
            Image.objects.filter(title__startswith=DEMO_IMAGE_PREFIX).delete()
            TranslationSource.objects.all().delete()

    def build(self):
        root = Page.get_first_root_node()
        images = {
            "hero": generated_image(f"{DEMO_IMAGE_PREFIX}jardin partagé", colour=(11, 93, 75)),
            "page": generated_image(f"{DEMO_IMAGE_PREFIX}atelier", colour=(120, 52, 34)),
        }
        fr = Locale.objects.get(language_code=settings.LANGUAGE_CODE)

        home = HomePageFactory.build(
            title=content.HOME["title"].fr,
            slug="accueil",
            seo_title=content.HOME["seo_title"].fr,
            search_description=content.HOME["search_description"].fr,
            hero_heading=content.HOME["hero_heading"].fr,
            hero_text=content.HOME["hero_text"].fr,
            hero_image=images["hero"],
            hero_image_alt=content.HOME["hero_image_alt"].fr,
            hero_cta_label=content.HOME["hero_cta_label"].fr,
            social_image=images["hero"],
            key_figures=[
                ("figure", {"figure": figure, "label": label.fr})
                for figure, label in content.HOME["key_figures"]
            ],
            body=stream_value(content.HOME["body"], images),
            locale=fr,
        )
        root.add_child(instance=home)
        self.replace_default_site_root(home)

        pages = []
        footer_pages = []
        for spec in content.STANDARD_PAGES:
            page = StandardPageFactory.build(
                title=spec["title"].fr,
                slug=spec["slug"],
                search_description=spec["search_description"].fr,
                introduction=spec["introduction"].fr,
                show_in_menus=spec["show_in_menus"],
                body=stream_value(spec["body"], images),
                locale=fr,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            pages.append(page)
            if spec.get("footer"):
                footer_pages.append(page)

        home.hero_cta_page = pages[0]
        home.save_revision().publish()
        demo_site = demo.DemoSite(
            home=home,
            images=images,
            menu_pages=[page for page in pages if page.show_in_menus],
            footer_pages=footer_pages,
        )
        demo_site.translate([home, *pages], content.every_copy())

        for build, _reset in demo.builders():
            build(demo_site)

        menu = MainMenuFactory(
            locale=fr,
            links=[
                ("link", {"label": "", "page": page, "url": ""}) for page in demo_site.menu_pages
            ],
        )
        footer = FooterFactory(
            locale=fr,
            about=content.FOOTER_ABOUT.fr,
            links=[
                ("link", {"label": "", "page": page, "url": ""}) for page in demo_site.footer_pages
            ],
        )
        demo_site.translate([menu, footer], content.every_copy())
        sync_all_trees()
        self.configure_contact()

    def replace_default_site_root(self, home):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(is_default_site=True)
        site.hostname, site.port = served_address()
        site.root_page = home
        site.site_name = "Co-city"
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page, and any copy of it
        for page in Page.objects.filter(depth=2).exclude(translation_key=home.translation_key):
            if not isinstance(page.specific, HomePage):
                page.delete()

    def point_site_at_server(self):
        """A demo built before (or for another HOST and PORT): its Site follows them."""
        site = Site.objects.filter(is_default_site=True).first()
        address = served_address()
        if site is not None and (site.hostname, site.port) != address:
            site.hostname, site.port = address
            site.save(update_fields=["hostname", "port"])
            self.stdout.write(f"The demo site now answers at {site.root_url}/.")

    def configure_contact(self):
        site = Site.objects.get(is_default_site=True)
        contact = SiteContact.for_site(site)
        contact.email = content.CONTACT["email"]
        contact.phone = content.CONTACT["phone"]
        contact.address = content.CONTACT["address"]
        contact.social_links = [
            ("link", {"label": label, "url": url, "page": None})
            for label, url in content.CONTACT["social_links"]
        ]
        contact.save()

    def ensure_admin(self):
        """Create the `admin` superuser once; its password comes from DEMO_ADMIN_PASSWORD or
        is generated and printed this one time."""
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            return
        password = env.get("DEMO_ADMIN_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@cocity.example", password)
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Admin account created: user 'admin', password '{password}' "
                    "(shown once; set DEMO_ADMIN_PASSWORD to choose it)."
                )
            )
        else:
            self.stdout.write(
                "Admin account created: user 'admin' (password from DEMO_ADMIN_PASSWORD)."
            )
