"""sitemap.xml listing every page the public may see in every language, with hreflang
alternates."""

from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from helpers.visibility import public_pages


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap covers one locale's tree; this one covers all of them."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_tree = Q()
        for root in roots:
            in_a_tree |= Q(path__startswith=root.path)
        return public_pages(Page.objects.filter(in_a_tree)).order_by("path").defer_streamfields()

    def absolute_url(self, page):
        """Absolute URL on the host the sitemap was asked for, like the pages' own links."""
        return self.request.build_absolute_uri(page.get_url(self.request))

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        translated = {}
        for version in public_pages(
            Page.objects.filter(
                translation_key__in={item.translation_key for item in pages}, alias_of=None
            )
        ).select_related("locale"):
            translated.setdefault(version.translation_key, []).append(version)

        urls = []
        for item in pages:
            alternates = [
                {
                    "lang_code": version.locale.language_code,
                    "location": self.absolute_url(version),
                }
                for version in translated.get(item.translation_key, [])
            ]
            urls.append(
                {
                    "item": item,
                    "location": self.absolute_url(item),
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates,
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls
