"""Fixtures of the JSON API tests: the site of tests/donations (campaign in every language),
a story listing and a workshop listing."""

from tests.donations.conftest import campaign, home_page  # noqa: F401 - shared fixtures
from tests.stories.conftest import reviewer, story_index  # noqa: F401 - shared fixtures
from tests.workshops.conftest import workshop_index  # noqa: F401 - shared fixtures
