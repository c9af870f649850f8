"""Fixtures for workshops (the listing and a workshop are shared by every folder:
tests/conftest.py)."""

import pytest


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
