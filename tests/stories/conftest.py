from django.contrib.auth.models import Group

from wagtail.models import Locale

import pytest

from campaigns.factories import DistrictFactory
from home.locales import create_language_aliases
from stories.factories import StoryIndexPageFactory
from stories.workflow import REVIEWERS_GROUP, ensure_groups
from tests.donations.conftest import campaign, home_page  # noqa: F401 - shared fixtures
from tests.stories.helpers import make_leader


@pytest.fixture
def story_index(home_page):  # noqa: F811 - the fixture above
    index = StoryIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    return index


@pytest.fixture
def district(db):
    return DistrictFactory(locale=Locale.objects.get(language_code="fr"), code="75020")


@pytest.fixture
def leader(django_user_model, campaign, story_index):  # noqa: F811 - fixture above
    return make_leader(django_user_model, "nadia", campaign)


@pytest.fixture
def reviewer(django_user_model):
    ensure_groups()
    user = django_user_model.objects.create_user("camille", "camille@example.org", "pw")
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return user
