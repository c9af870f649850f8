"""Browser tests: a real `runserver` on its own SQLite demo database, driven by the system Chromium.

The server runs in a subprocess with the dev settings, so it never sees pytest-django's test
database (nor a PostgreSQL DATABASE_URL given to the outer run). No test here uses the `db`
fixture. Its database (migrate + load_demo) is prepared in the background from the moment the
tests are collected, while the database tests run. Playwright never downloads a browser: it
launches /usr/bin/chromium.

Without /usr/bin/chromium the tests are skipped, unless REQUIRE_BROWSER=1 (CI), where they fail.

Every page a test opens (through `new_page` / `page`) is watched for Content-Security-Policy
violations (and Permissions-Policy header errors): a test during which the browser refused
anything fails, unless it is marked `@pytest.mark.expected_csp_violation("<regex>")` and every
violation matches. The total is printed at the end of the run.
"""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
SERVER_START_TIMEOUT = 30  # seconds
COMMAND_TIMEOUT = 180  # seconds, for migrate and load_demo
SERVER_PREPARATION = pytest.StashKey()


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_environment(tmp_dir):
    """The outer environment, minus its database, plus the e2e server's own settings."""
    env = os.environ.copy()
    env.pop("DATABASE_URL", None)  # CI's second run points the suite at PostgreSQL
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cocity.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp_dir / 'e2e.sqlite3'}",
            "MEDIA_ROOT": str(tmp_dir / "media"),
            "DEMO_ADMIN_PASSWORD": "e2e-admin-Pa55word!",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
            # Every browser test signs in as the same demo leader, one after the other, far
            # faster than a person: 20 forms a minute (the default) is reached within one test
            # module and the next form answers 429. The limit itself is tested in
            # tests/home/test_settings_env.py and tests/stories/.
            "LEADER_RATE_LIMIT": "1000/60",
        }
    )
    return env


class ServerPreparation:
    """`migrate` then `load_demo` for the e2e server, in a background thread.

    Started as soon as the tests are collected (see pytest_collection_finish), so that the
    two commands run on another core while the database tests run; `site_url` then only
    waits for what is left of them.
    """

    def __init__(self, tmp_dir):
        self.tmp_dir = tmp_dir
        self.env = _server_environment(tmp_dir)
        self.failure = None
        self._process = None
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="e2e-server-setup", daemon=True)
        self._thread.start()

    def _run(self):
        for args in (("migrate", "--no-input"), ("load_demo",)):
            self.failure = self._manage(*args)
            if self.failure:
                return

    def _manage(self, *args):
        """Run `manage.py *args`; return why it failed, or None."""
        command = [sys.executable, str(REPO_ROOT / "manage.py"), *args]
        with self._lock:
            if self._stopped:
                return "the test session ended first"
            process = self._process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        try:
            stdout, stderr = process.communicate(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            return (
                f"`manage.py {' '.join(args)}` took more than {COMMAND_TIMEOUT} s.\n"
                f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
            )
        if process.returncode != 0:
            return (
                f"`manage.py {' '.join(args)}` failed (exit {process.returncode}).\n"
                f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
            )
        return None

    def wait(self):
        """Wait for both commands; fail the test if one of them failed."""
        self._thread.join()
        if self.failure:
            pytest.fail(self.failure, pytrace=False)

    def stop(self):
        with self._lock:
            self._stopped = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
                self._process.wait(timeout=10)


def pytest_collection_finish(session):
    """Start preparing the e2e server's database now if a browser test is going to run."""
    config = session.config
    if config.option.collectonly or not CHROMIUM.exists():
        return
    if any("site_url" in getattr(item, "fixturenames", ()) for item in session.items):
        tmp_dir = config._tmp_path_factory.mktemp("e2e-server")
        config.stash[SERVER_PREPARATION] = ServerPreparation(tmp_dir)


def pytest_unconfigure(config):
    preparation = config.stash.get(SERVER_PREPARATION, None)
    if preparation is not None:
        preparation.stop()


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium_executable():
    """The system Chromium; skip (or fail under REQUIRE_BROWSER=1) when it is missing."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install the `chromium` package to run the browser tests"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def site_url(chromium_executable, tmp_path_factory, pytestconfig):
    """Base URL (no trailing slash) of a real runserver loaded with the demo site."""
    preparation = pytestconfig.stash.get(SERVER_PREPARATION, None)
    if preparation is None:  # not started at collection (site_url asked for dynamically)
        preparation = ServerPreparation(tmp_path_factory.mktemp("e2e-server"))
        pytestconfig.stash[SERVER_PREPARATION] = preparation
    preparation.wait()
    tmp_dir, env = preparation.tmp_dir, preparation.env

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**env, "WAGTAILADMIN_BASE_URL": url}  # the links in emails point at this server
    log_path = tmp_dir / "runserver.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                str(REPO_ROOT / "manage.py"),
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"runserver exited with {process.returncode}:\n{log_path.read_text()}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{url}/fr/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"runserver did not answer on {url} within {SERVER_START_TIMEOUT} s:\n"
                    f"{log_path.read_text()}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield url
    finally:
        _stop(process)


# Playwright's sync API keeps an asyncio loop running while it is started, and Django refuses
# database queries ("SynchronousOnlyOperation") while a loop runs. pytest-django happens to run
# database tests first, but rather than rely on that ordering, Playwright and the browser are
# started once for the whole e2e package and stopped when its last test is done.
@pytest.fixture(scope="package")
def playwright_instance(chromium_executable):
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance, chromium_executable):
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_executable, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


CSP_VIOLATIONS = pytest.StashKey()
# Reports the violations the browser raises as events (in every frame, before any script of
# the page runs; not subject to the page's policy). Frame-ancestors refusals raise no event in
# the refused document: the console messages below catch those.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__reportCspViolation(
        `${event.effectiveDirective} refused ${event.blockedURI || "inline code"} ` +
        `in ${event.documentURI} (${event.sourceFile || "?"}:${event.lineNumber}) ` +
        `${event.sample || ""}`
    );
}, true);
"""
POLICY_MESSAGE = re.compile(r"Content Security Policy|Permissions-Policy|Permissions Policy")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "expected_csp_violation(pattern): the test makes the browser refuse something on "
        "purpose; violations matching the regex do not fail it",
    )
    config.stash[CSP_VIOLATIONS] = {"unexpected": 0, "expected": 0}


def pytest_terminal_summary(terminalreporter, config):
    counts = config.stash.get(CSP_VIOLATIONS, None)
    if counts and (counts["unexpected"] or counts["expected"] or CHROMIUM.exists()):
        terminalreporter.write_line(
            f"Browser tests: {counts['unexpected']} Content-Security-Policy violation(s), "
            f"{counts['expected']} expected by a test (expected_csp_violation)."
        )


@pytest.fixture
def csp_violations(request):
    """The policy violations the browser reported during the test (see the module's
    docstring); the test fails if any is unexpected."""
    violations = []
    yield violations
    marker = request.node.get_closest_marker("expected_csp_violation")
    allowed = re.compile(marker.args[0]) if marker else None
    unexpected = [text for text in violations if not (allowed and allowed.search(text))]
    counts = request.config.stash[CSP_VIOLATIONS]
    counts["unexpected"] += len(unexpected)
    counts["expected"] += len(violations) - len(unexpected)
    if unexpected:
        pytest.fail(
            f"the browser refused {len(unexpected)} thing(s) under the site's policies:\n"
            + "\n".join(f"- {text}" for text in unexpected),
            pytrace=False,
        )


def watch_policies(context, violations):
    """Collect ``context``'s policy violations into ``violations``."""
    context.expose_binding("__reportCspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(CSP_LISTENER)

    def on_console(message):
        if POLICY_MESSAGE.search(message.text):
            violations.append(f"console: {message.text}")

    context.on("page", lambda page: page.on("console", on_console))


@pytest.fixture
def new_page(browser, csp_violations):
    """Factory: a page in a fresh context (viewport, JavaScript…), closed after the test.
    Its policy violations are collected (csp_violations)."""
    contexts = []

    def make(viewport=None, **context_options):
        context = browser.new_context(viewport=viewport or DESKTOP, **context_options)
        context.set_default_timeout(10_000)
        watch_policies(context, csp_violations)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop (1280×800) page with JavaScript on, in its own context."""
    return new_page()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


def manage_shell(pytestconfig, code):
    """Run ``code`` with `manage.py shell` against the e2e server's own database and settings
    (Playwright's running event loop forbids database queries in the tests' process); its
    standard output."""
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "manage.py"), "shell", "--no-imports", "-c", code],
        cwd=REPO_ROOT,
        env=pytestconfig.stash[SERVER_PREPARATION].env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def not_found_page(pytestconfig, path):
    """(status, HTML) of the site's real 404 page for ``path``, as production serves it: the
    e2e server runs with DEBUG on (Django's technical 404), so it is rendered apart, with
    DEBUG off, from the server's database; a test serves it in place of the server's answer."""
    out = pytestconfig.stash[SERVER_PREPARATION].env["MEDIA_ROOT"] + "/../not-found.html"
    code = (
        "from django.conf import settings; from django.test import Client; "
        "settings.DEBUG = False; "
        f"response = Client(HTTP_HOST='127.0.0.1').get({path!r}); "
        f"open({out!r}, 'wb').write(response.content); print('STATUS', response.status_code)"
    )
    status = int(manage_shell(pytestconfig, code).split("STATUS")[-1])
    with open(out, "rb") as html:
        return status, html.read()
