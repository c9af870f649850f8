"""The leader's draft pages written from their space (stories, campaign news): created
unpublished under a parent page with their language copies, then edited revision by revision."""

from django.utils.text import slugify

from wagtail.coreutils import find_available_slug

from home.locales import create_language_aliases


def create_leader_draft(parent, page_class, fields, user, default_slug):
    """A new unpublished ``page_class`` page owned by ``user`` under ``parent`` (slug from
    its title, else ``default_slug``), with a first revision and its language copies."""
    page = page_class(
        **fields,
        slug=find_available_slug(
            parent, slugify(fields["title"], allow_unicode=True) or default_slug
        ),
        owner=user,
        live=False,
        locale=parent.locale,
    )
    parent.add_child(instance=page)
    page.save_revision(user=user)
    create_language_aliases(page)
    return page


def update_draft(page, fields, user):
    """A new revision of ``page``: its latest revision with ``fields`` changed (never
    published)."""
    draft = page.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save_revision(user=user)
    return page
