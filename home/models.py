"""Home and standard pages, the shared page mixin, navigation snippets and site settings."""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, TranslatableMixin, get_page_models
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField, TranslatableField

from helpers import compiled, featured, frame
from helpers.api import ComputedField, ImageField, localized_link, with_image
from helpers.i18n import localize_pages, page_languages
from helpers.lazy import Once
from helpers.visibility import private_sections

from .blocks import BodyStreamBlock, ComputedKeyFigureBlock, LinkBlock

# Page fields that every page type translates or keeps in step (DESIGN.md §4): the copy is
# translated, the slug and the social image are the same in every language.
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
    SynchronizedField("slug"),
    SynchronizedField("social_image"),
]


class HeroImageMixin(models.Model):
    """The image at the top of a page and its text for people who cannot see it: one
    definition for the home, campaign, story and workshop pages (their panels use
    ``hero_image_panels()``, their translations ``HERO_IMAGE_TRANSLATION_FIELDS``)."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        _("image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; empty if decorative."),
    )

    class Meta:
        abstract = True


def hero_image_panels():
    """The image and its alternative text, side by side in the editor."""
    return [FieldPanel("hero_image"), FieldPanel("hero_image_alt")]


# The image is the same in every language; its description is translated.
HERO_IMAGE_TRANSLATION_FIELDS = [
    SynchronizedField("hero_image"),
    TranslatableField("hero_image_alt"),
]


class BasePage(Page):
    """Abstract base of every public page: SEO and social fields, language context.

    ``get_context`` adds ``languages`` (a helpers.i18n.PageLanguages) and ``localized_pages``
    (page links of the body resolved to the reader's language in one query).
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared on social networks (1200×630 is best)."),
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("social_image"),
            ],
            heading=_("Search engines and social networks"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("Menus")),
    ]

    translatable_fields = PAGE_TRANSLATABLE_FIELDS

    class Meta:
        abstract = True

    # StreamField blocks that link to a page, and the child block holding it
    PAGE_LINK_BLOCKS = {"call_to_action": "page", "donation": "campaign"}

    def linked_pages(self):
        """Pages that this page's StreamFields link to (buttons, donation blocks)."""
        pages = []
        for field in self.get_stream_fields():
            for block in getattr(self, field):
                if block.block_type in self.PAGE_LINK_BLOCKS:
                    pages.append(block.value.get(self.PAGE_LINK_BLOCKS[block.block_type]))
        return pages

    @classmethod
    def get_stream_fields(cls):
        return [field.name for field in cls._meta.fields if isinstance(field, StreamField)]

    def get_view_restrictions(self):
        """The view restrictions that apply to this page: none, without a query, when it lies
        in no private section (helpers/visibility.py: every page with a restriction other than
        "public", its descendants and their untranslated copies), as Wagtail checks on every
        page served."""
        if not private_sections().covers(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["languages"], context["localized_pages"] = self.frame_links(request)
        return context

    def frame_links(self, request):
        """(languages, localized_pages) of this page for ``request``: the same for every
        visitor of a live page, so kept in the shared cache (helpers/frame.py, forgotten on every
        page or restriction change) per page, scheme, host and language; built afresh for a
        preview (a draft's links are not the live page's)."""

        def build():
            return (
                page_languages(self, request),
                localize_pages(self.linked_pages(), specific=True),
            )

        if getattr(request, "is_preview", False) or not self.live:
            return build()
        return frame.part(f"links:{self.pk}:{request.scheme}", request, build)


class ListingPage(BasePage):
    """Abstract base of the listing pages (campaigns, stories, workshops): an introduction,
    under the home page, cards shown ``per_page`` at a time (helpers/listing.py)."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [TranslatableField("introduction")]
    parent_page_types = ["home.HomePage"]
    per_page = 12
    api_fields = [APIField("introduction")]

    class Meta:
        abstract = True


class HomePage(HeroImageMixin, BasePage):  # noqa: DJ008 - Page gives __str__ (the title)
    """The home page of one language: hero, key figures, featured sections, free body."""

    hero_heading = models.CharField(_("hero heading"), max_length=120)
    hero_text = models.TextField(_("hero text"), blank=True, max_length=400)
    hero_cta_label = models.CharField(_("hero button text"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_figures = StreamField(
        [("figure", ComputedKeyFigureBlock())],
        blank=True,
        max_num=6,
        verbose_name=_("key figures"),
    )
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                *hero_image_panels(),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("key_figures"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_heading"),
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("hero_heading"),
        TranslatableField("hero_text"),
        *HERO_IMAGE_TRANSLATION_FIELDS,
        TranslatableField("hero_cta_label"),
        SynchronizedField("hero_cta_page"),
        TranslatableField("key_figures"),
        TranslatableField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    api_fields = [
        APIField("hero_heading"),
        APIField("hero_text"),
        APIField("image", serializer=ImageField()),
        APIField(
            "hero_cta",
            serializer=ComputedField(
                lambda page, request: {
                    "label": page.hero_cta_label,
                    "page": localized_link(page.hero_cta_page, request),
                }
                if page.hero_cta_page_id
                else None
            ),
        ),
        APIField("key_figures"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    @classmethod
    def api_queryset(cls, queryset):
        return with_image(queryset)

    def linked_pages(self):
        return super().linked_pages() + [self.hero_cta_page]

    def route(self, request, path_components):
        """Find the page at ``path_components`` under this home page as Wagtail does (each
        level's child by slug, then the last one live), in one query instead of two per
        level (``route_below``). Wagtail's own route is used when a page type routes on its
        own, or for a path that is not a page."""
        if not path_components or not _default_routing():
            return super().route(request, path_components)
        return route_below(self.url_path, path_components) or super().route(
            request, path_components
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # read only when shown: not when the home's fragments are kept (home_page.html)
        context["featured_sections"] = Once(lambda: featured.sections_for(self, request))
        return context


def route_below(home_url_path, path_components):
    """The RouteResult of the live page at ``path_components`` below the home page whose
    url_path is ``home_url_path``, in one query: the page's id and type are kept per path in
    the shared cache (helpers/frame.py, forgotten on every page change), and its url_path must
    still match. None when no page is there (Wagtail's own route then decides); Http404 for
    a page that is not live. Only for the default routing (``_default_routing``)."""
    url_path = home_url_path + "/".join(path_components) + "/"

    def find():
        return Page.objects.filter(url_path=url_path).values_list("pk", "content_type_id").first()

    key = hashlib.sha256(url_path.encode()).hexdigest()
    found = frame.shared(f"route:{key}", find)
    if found is None:
        return None
    model = ContentType.objects.get_for_id(found[1]).model_class()
    if model is None:
        return None
    pages = compiled.instances(  # compiled once per page and thread (helpers/compiled.py)
        ("route-page", model._meta.label, found[0], url_path),
        lambda: model.objects.filter(pk=found[0], url_path=url_path)[:1],
    )
    return routed(pages)


def routed(pages):
    """The RouteResult of the first of ``pages`` (a list), as Wagtail's Page.route gives it:
    None without one (Wagtail then decides), Http404 for a page that is not live."""
    if not pages:
        return None
    if not pages[0].live:
        raise Http404
    return RouteResult(pages[0])


@cache
def _default_routing():
    """True when no page type below the home pages routes on its own (Wagtail's Page.route
    then only follows slugs, which HomePage.route does in one query)."""
    return all(model.route is Page.route for model in get_page_models() if model is not HomePage)


class StandardPage(BasePage):
    """A page of free content: about us, FAQ, legal notice, privacy policy."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=500)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    translatable_fields = PAGE_TRANSLATABLE_FIELDS + [
        TranslatableField("introduction"),
        TranslatableField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    api_fields = [APIField("introduction"), APIField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class LinkListSnippet(TranslatableMixin, models.Model):
    """Abstract base of the menus staff edit as snippets, one per language."""

    links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("links"))

    panels = [FieldPanel("links")]

    class Meta(TranslatableMixin.Meta):
        abstract = True

    @classmethod
    def for_active_language(cls):
        """Return the instance in the reader's language, else the French one, else None."""
        wanted = [get_language(), settings.LANGUAGE_CODE]
        instances = {
            item.locale.language_code: item
            for item in cls.objects.filter(locale__language_code__in=wanted).select_related(
                "locale"
            )
        }
        return next((instances[code] for code in wanted if code in instances), None)

    def resolved_links(self, request):
        """Return [(label, url, is_external)] with page links in the reader's language.

        Two queries in all, whatever the number of links.
        """
        pages = localize_pages(block.value["page"] for block in self.links)
        resolved = []
        for block in self.links:
            page = block.value["page"]
            if page is not None:
                target = pages[page.pk]
                if target is None:  # not live or not public: no link
                    continue
                resolved.append(
                    (block.value["label"] or target.title, target.get_url(request), False)
                )
            elif block.value["url"]:
                resolved.append((block.value["label"], block.value["url"], True))
        return resolved


class MainMenu(LinkListSnippet):
    """The main navigation at the top of every page."""

    translatable_fields = [TranslatableField("links")]

    class Meta(LinkListSnippet.Meta):
        verbose_name = _("main menu")
        verbose_name_plural = _("main menus")

    def __str__(self):
        return str(_("Main menu ({language})")).format(language=self.locale.get_display_name())


class Footer(LinkListSnippet):
    """The footer of every page: a short text about the association and useful links."""

    about = RichTextField(
        _("about the association"), blank=True, features=["bold", "italic", "link"]
    )

    panels = [FieldPanel("about"), FieldPanel("links")]
    translatable_fields = [TranslatableField("about"), TranslatableField("links")]

    class Meta(LinkListSnippet.Meta):
        verbose_name = _("footer")
        verbose_name_plural = _("footers")

    def __str__(self):
        return str(_("Footer ({language})")).format(language=self.locale.get_display_name())


@register_setting(icon="site")
class SiteContact(BaseSiteSetting):
    """How to reach the association: shown in the footer, the same in every language."""

    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    social_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("social networks"),
    )

    panels = [
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("address"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("contact details")
        # Staff who answer people's requests about their data (home/personal_data_admin.py)
        permissions = [
            ("manage_personal_data", _("Can find, export and erase a person's personal data"))
        ]
