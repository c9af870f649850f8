from tests.donations.conftest import campaign, home_page  # noqa: F401 - shared fixtures
