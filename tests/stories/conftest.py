from wagtail.models import Locale

import pytest

from campaigns.factories import DistrictFactory
from stories.factories import StoryIndexPageFactory
from tests.donations.conftest import campaign, home_page  # noqa: F401 - shared fixtures


@pytest.fixture
def story_index(home_page):  # noqa: F811 - the fixture above
    from home.locales import create_language_aliases

    index = StoryIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    return index


@pytest.fixture
def district(db):
    return DistrictFactory(locale=Locale.objects.get(language_code="fr"), code="75020")
