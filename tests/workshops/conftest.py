import pytest

from home.locales import create_language_aliases
from tests.donations.conftest import campaign, home_page  # noqa: F401 - shared fixtures
from workshops.factories import WorkshopIndexPageFactory, WorkshopPageFactory


@pytest.fixture
def workshop_index(home_page):  # noqa: F811 - the fixture above
    index = WorkshopIndexPageFactory(parent=home_page)
    create_language_aliases(index)
    return index


@pytest.fixture
def workshop(workshop_index):
    """A workshop in a week with 20 seats, in every language."""
    page = WorkshopPageFactory(parent=workshop_index, title="Atelier des idées")
    create_language_aliases(page)
    return page


@pytest.fixture
def registration_data():
    return {
        "name": "Fatou Diop",
        "email": "fatou@example.org",
        "phone": "",
        "seats": "2",
        "language": "ar",
        "accessibility_needs": "",
    }
