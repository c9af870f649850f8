"""The smallest WSGI application, for tests of the gunicorn worker alone
(tests/cocity/test_gunicorn_worker.py): no Django, so thousands of requests take seconds."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
