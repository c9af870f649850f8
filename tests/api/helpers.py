"""Reading the API in tests."""

import json


def api(client, path, **params):
    """GET /api/v2/<path> and return (status, decoded JSON)."""
    response = client.get(f"/api/v2/{path}", params)
    return response.status_code, json.loads(response.content or b"null")


def walk(value):
    """Every key and every string anywhere in a decoded JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    elif isinstance(value, str):
        yield value
