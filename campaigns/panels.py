"""Read-only admin panels of campaign pages."""

from django.conf import settings
from django.utils.translation import get_language_info

from wagtail.admin.panels import Panel
from wagtail.models import Page

from helpers.embed import embed_snippet


class EmbedSnippetsPanel(Panel):
    """The <iframe> snippets that show the campaign's card on another website, one per
    language, ready to copy. Shown once the page exists (the card needs its id)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "campaigns/admin/embed_snippets_panel.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            titles = dict(
                Page.objects.live()
                .filter(translation_key=self.instance.translation_key)
                .values_list("locale__language_code", "title")
            )
            context["is_live"] = self.instance.live
            context["snippets"] = [
                (
                    get_language_info(code)["name_local"],
                    embed_snippet(self.instance, code, self.request, titles.get(code)),
                )
                for code, _name in settings.LANGUAGES
            ]
            return context
