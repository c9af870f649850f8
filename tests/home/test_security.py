"""Security of the frame around every page: sign-in limits, the visitor's address behind our
proxies, the site without its cache (Redis), the Content-Security-Policy and Permissions-Policy
headers, gunicorn's configuration."""

import logging
import multiprocessing
import os
import runpy
import shutil
import socket
import subprocess
import time
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.format import embed_to_frontend_html
from wagtail.embeds.models import Embed

import pytest
from bs4 import BeautifulSoup

from helpers import ratelimit
from stories.workflow import ensure_groups
from tests.stories.helpers import make_leader

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Jardin-des-couronnes-2026"
LOGINS = {"admin": "/admin/login/", "leaders": "/fr/space/login/"}


# Sign-in limits


@pytest.fixture
def accounts(home_page, django_user_model):
    """A member of staff allowed into the admin and a project leader, both with PASSWORD."""
    staff = django_user_model.objects.create_user("claire", "claire@example.org", PASSWORD)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    ensure_groups()
    leader = make_leader(django_user_model, "awa")
    leader.set_password(PASSWORD)
    leader.save()
    return {"admin": staff, "leaders": leader}


@pytest.fixture
def small_login_limits(settings):
    settings.LOGIN_RATE_LIMIT_PER_IP = (3, 60)
    settings.LOGIN_RATE_LIMIT_PER_USERNAME = (5, 60)


def sign_in(client, login, username, password="wrong", address="198.51.100.1", **headers):
    return client.post(
        LOGINS[login], {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_one_address_trying_many_usernames_is_stopped(
    client,
    accounts,
    small_login_limits,
    login,
):
    """One password tried on many accounts from one address: the 4th attempt is refused,
    even with the right password for a real account; other addresses are not affected."""
    for number in range(3):
        assert sign_in(client, login, f"user{number}").status_code == 200
    response = sign_in(client, login, "user9")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    owner = accounts[login].username
    assert sign_in(client, login, owner, PASSWORD).status_code == 429
    assert sign_in(client, login, owner, PASSWORD, address="192.0.2.7").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_many_addresses_trying_one_account_are_stopped(
    client,
    accounts,
    small_login_limits,
    login,
):
    """A distributed attack on one account: the 6th attempt on it is refused from any
    address, while the same addresses may still sign in to other accounts."""
    owner = accounts[login].username
    for number in range(5):
        assert sign_in(client, login, owner, address=f"203.0.113.{number}").status_code == 200
    assert sign_in(client, login, owner.upper(), address="203.0.113.50").status_code == 429
    assert sign_in(client, login, owner, PASSWORD, address="203.0.113.51").status_code == 429
    assert sign_in(client, login, "someone-else", address="203.0.113.0").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGINS)
def test_successful_sign_ins_are_not_counted(
    client,
    accounts,
    small_login_limits,
    login,
):
    """A team signing in from one office, or one account signing in again and again, is never
    refused: only failures add up."""
    owner = accounts[login].username
    for _time in range(8):
        client.logout()
        assert sign_in(client, login, owner, PASSWORD).status_code == 302
    for number in range(3):
        assert sign_in(client, login, f"user{number}").status_code == 200
    assert sign_in(client, login, "user9").status_code == 429


@pytest.mark.django_db
def test_the_admin_refusal_is_a_translated_page(client, accounts, small_login_limits):
    for number in range(3):
        sign_in(client, "admin", f"user{number}")
    response = sign_in(client, "admin", "user9", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("html")["lang"] == "ar"
    assert soup.find("html")["dir"] == "rtl"
    assert soup.select_one("[role=alert]") is not None
    assert "no-cache" in response.get("Cache-Control", "") or "max-age=0" in response.get(
        "Cache-Control", ""
    )
    assert client.get("/admin/login/", REMOTE_ADDR="198.51.100.1").status_code == 200


# The visitor's address behind our proxies

LOAD_BALANCER = "10.0.0.2"
CDN_EDGE = "203.0.113.40"
VISITOR = "198.51.100.7"


def address_of(remote_addr, forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return ratelimit.client_ip(RequestFactory().get("/", **headers))


def test_a_client_reaching_the_app_directly_cannot_choose_its_address(settings):
    """The origin is reachable from the Internet: a forged X-Forwarded-For is ignored."""
    settings.RATE_LIMIT_PROXY_HOPS = 1
    assert address_of(VISITOR, "192.0.2.99") == VISITOR
    assert address_of(VISITOR, f"192.0.2.99, {LOAD_BALANCER}") == VISITOR


def test_behind_the_load_balancer_the_address_it_saw_is_used(settings):
    settings.RATE_LIMIT_PROXY_HOPS = 1
    assert address_of(LOAD_BALANCER, VISITOR) == VISITOR
    assert address_of(LOAD_BALANCER, f"192.0.2.99, {VISITOR}") == VISITOR  # forged in front
    assert address_of(LOAD_BALANCER) == LOAD_BALANCER  # no header: the balancer itself
    settings.RATE_LIMIT_PROXY_HOPS = 0
    assert address_of(LOAD_BALANCER, VISITOR) == LOAD_BALANCER


def test_behind_a_cdn_and_the_load_balancer_the_visitor_is_found(settings):
    """CDN → load balancer → gunicorn (docs/deployment.md): two hops, the balancer's private
    network and the CDN's published ranges trusted."""
    settings.RATE_LIMIT_PROXY_HOPS = 2
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8", "203.0.113.0/24"]
    assert address_of(LOAD_BALANCER, f"192.0.2.99, {VISITOR}, {CDN_EDGE}") == VISITOR
    # the balancer reached without the CDN: the address it saw is the client's own
    assert address_of(LOAD_BALANCER, f"192.0.2.99, {VISITOR}") == VISITOR
    # the CDN's ranges not listed: the edge address, never what the client wrote
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address_of(LOAD_BALANCER, f"192.0.2.99, {VISITOR}, {CDN_EDGE}") == CDN_EDGE


def test_a_wrong_trusted_network_is_reported(settings):
    settings.RATE_LIMIT_PROXY_HOPS = 1
    settings.RATE_LIMIT_TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_TRUSTED_PROXIES"):
        address_of(LOAD_BALANCER, VISITOR)


@pytest.mark.django_db
def test_forged_forwarded_addresses_do_not_reset_the_sign_in_limit(
    client,
    accounts,
    small_login_limits,
    settings,
):
    settings.RATE_LIMIT_PROXY_HOPS = 1
    for number in range(3):
        sign_in(client, "leaders", "awa", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert sign_in(client, "leaders", "bob", HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 429


# The site without its cache (Redis)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A redis-server of its own on a free port, without persistence, that a test can stop
    and start again."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/4"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.02)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        # CI installs it (.ci/run), as the browser tests' Chromium: there a missing one fails
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("redis-server is required (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


def use_redis(settings, url, backend="cocity.cache.DegradingRedisCache", **options):
    """The production settings' cache and sessions (cocity/settings/production.py)."""
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": "cocity",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture
def production_cache(settings, redis_server):
    use_redis(settings, redis_server.url)
    yield redis_server
    cache.clear()


def public_urls(campaign):
    return [
        "/fr/",
        campaign.url,
        "/api/v2/pages/",
        f"/api/v2/pages/{campaign.pk}/",
        "/open-data/campaigns.json",
        "/open-data/campaigns.csv",
        f"/embed/campaign/{campaign.pk}/",
        "/fr/space/login/",
        "/admin/login/",
    ]


@pytest.mark.django_db
def test_the_site_keeps_serving_when_redis_stops(
    client,
    campaign,
    accounts,
    production_cache,
    settings,
    caplog,
):
    settings.LOGIN_RATE_LIMIT_PER_IP = (3, 60)
    urls = public_urls(campaign)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    for number in range(3):
        sign_in(client, "leaders", f"user{number}")
    assert sign_in(client, "leaders", "user9").status_code == 429  # the counts are in Redis
    cache.set("alive", 1)
    assert cache.get("alive") == 1

    production_cache.stop()
    caplog.set_level(logging.WARNING, logger="cocity.cache")
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    # rate limits fail open; sessions in the database: signing in still works
    assert sign_in(client, "leaders", "awa", PASSWORD).status_code == 302
    assert client.get("/fr/space/").status_code == 200
    assert sign_in(client, "admin", "claire", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    warnings = [r for r in caplog.records if r.name == "cocity.cache"]
    assert len(warnings) == 1, "one warning per outage interval, not one per cache call"


def test_the_cache_is_used_again_when_redis_comes_back(settings, redis_server):
    use_redis(settings, redis_server.url, RETRY_SECONDS=0)
    cache.set("key", "before")
    redis_server.stop()
    assert cache.get("key", "missing") == "missing"
    assert cache.add("key", "during") is False
    assert cache.incr("counter") == 1
    assert cache.delete("key") is False
    redis_server.start()
    assert cache.get("key", "missing") == "missing"  # a new, empty server
    cache.set("key", "after")
    assert cache.get("key") == "after"


# Content-Security-Policy and Permissions-Policy


def policy_of(response):
    """The Content-Security-Policy of ``response`` as {directive: [sources]}."""
    header = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client, campaign):
    for url in ["/fr/", campaign.url, "/fr/space/login/", "/fr/does-not-exist/"]:
        response = client.get(url)
        policy = policy_of(response)
        assert policy.get("default-src") == ["'self'"], url
        assert policy["script-src"] == policy["style-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        # the donation form's POST is redirected to Stripe's hosted checkout
        assert policy["form-action"] == ["'self'", "https://checkout.stripe.com"], url
        permissions = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert f"{feature}=()" in permissions, (url, feature)


@pytest.mark.django_db
def test_the_embed_card_keeps_the_policy_but_any_site_may_frame_it(client, campaign):
    policy = policy_of(client.get(f"/embed/campaign/{campaign.pk}/"))
    assert policy["frame-ancestors"] == ["*"]
    assert policy["default-src"] == policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_no_policy_where_no_html_is_rendered_nor_in_the_admin(admin_client, campaign):
    """JSON, CSV: nothing for a browser to enforce. The Wagtail admin relies on inline
    scripts and styles (cocity/settings/base.py says why it is left out)."""
    for url in ["/api/v2/pages/", "/open-data/campaigns.csv", "/open-data/campaigns.json"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" not in response, url
        assert "Permissions-Policy" not in response, url
    admin = admin_client.get("/admin/")
    assert admin.status_code == 200
    assert "Content-Security-Policy" not in admin
    assert "camera=()" in admin["Permissions-Policy"]


def inline_code_in(html):
    """Inline scripts, styles and event handlers in ``html``, which the policy refuses."""
    soup = BeautifulSoup(html, "html.parser")
    found = [str(tag)[:120] for tag in soup.find_all("style")]
    found += [
        str(tag)[:120]
        for tag in soup.find_all("script")
        if not tag.get("src") and tag.get("type") != "application/json"
    ]
    found += [
        f"<{tag.name} {name}=…>"
        for tag in soup.find_all(True)
        for name in tag.attrs
        if name == "style" or name.startswith("on")
    ]
    return found


@pytest.mark.django_db
def test_no_page_of_the_demo_has_inline_script_or_style(admin_client, demo_site):
    """Every demo page as staff see it: what visitors see, plus Wagtail's user bar."""
    pages = list(demo_site.filter(locale__language_code="fr"))
    assert len(pages) > 10
    for page in pages:
        response = admin_client.get(page.url)
        assert response.status_code == 200, page.url
        assert inline_code_in(response.content) == [], page.url
    assert b"wagtail-userbar" in admin_client.get(pages[0].url).content


@pytest.mark.django_db
def test_embedded_videos_have_no_inline_style():
    url = "https://vimeo.com/76979871"
    Embed.objects.create(
        url=url,
        max_width=None,
        hash=get_embed_hash(url),
        type="video",
        html='<iframe src="https://player.vimeo.com/video/76979871" width="640" height="360"'
        ' title="Video"></iframe>',
        width=640,
        height=360,
    )
    tag = Template("{% load wagtailembeds_tags %}{% embed url %}").render(Context({"url": url}))
    in_rich_text = embed_to_frontend_html(url)  # and in a StreamField EmbedBlock
    for html in (tag, in_rich_text):
        assert "player.vimeo.com" in html
        assert inline_code_in(html) == []


# gunicorn


@pytest.mark.parametrize(("value", "expected"), [("", None), ("  ", None), ("3", 3)])
def test_gunicorn_workers_may_be_left_empty(monkeypatch, value, expected):
    """.env.example leaves GUNICORN_WORKERS= empty: the default (2 × cores + 1) then."""
    monkeypatch.setenv("GUNICORN_WORKERS", value)
    monkeypatch.setenv("GUNICORN_THREADS", "")
    config = runpy.run_path(str(REPO_ROOT / "gunicorn.conf.py"))
    assert config["workers"] == (expected or multiprocessing.cpu_count() * 2 + 1)
    assert config["threads"] == 2
