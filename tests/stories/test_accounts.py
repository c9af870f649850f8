"""Project leaders' accounts: sign in and out, passwords, rate limits, accounts made by staff."""

import re
import time

from django.contrib.auth.models import Permission
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation

from wagtail.models import ModelLogEntry, Page

import pytest
from bs4 import BeautifulSoup

from helpers.ratelimit import per_user, rate_limited
from stories.accounts import NOT_A_LEADER
from stories.leader_admin import campaign_choices
from stories.models import LeaderProfile
from stories.workflow import LEADERS_GROUP, ensure_groups

PASSWORD = "Jardin-des-couronnes-2026"
NEW_PASSWORD = "Des-tomates-sur-le-toit-7"
LINK = re.compile(r"http://testserver(/(\w+(?:-\w+)?)/space/password/reset/[\w-]+/[\w-]+/)")


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counts live in the (local memory) cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_leader(db, django_user_model):
    def make(username="awa", email="awa@example.org", language="ar", password=PASSWORD):
        user = django_user_model.objects.create_user(username, email, password)
        leaders, _reviewers = ensure_groups()
        user.groups.add(leaders)
        LeaderProfile.objects.create(user=user, public_name="Awa D.", language=language)
        return user

    return make


@pytest.fixture
def staff(db, django_user_model):
    """A staff member allowed into the admin and to create users, not a superuser."""
    user = django_user_model.objects.create_user("claire", "claire@example.org", PASSWORD)
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="auth", codename="add_user"),
    )
    return user


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def url(name, language="fr", **kwargs):
    with translation.override(language):
        return reverse(f"stories:{name}", kwargs=kwargs or None)


def in_language(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


def link_in(email):
    match = LINK.search(email.body)
    assert match, email.body
    return match.group(1), match.group(2)


def set_password_through(client, link, password=NEW_PASSWORD):
    """Follow a set-password link like a browser and choose ``password``; return the answer."""
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token out of the URL
    form_url = response["Location"]
    assert "set-password" in form_url
    assert soup_of(client.get(form_url)).select_one("input[name=new_password1]") is not None
    return client.post(form_url, {"new_password1": password, "new_password2": password})


# Signing in and out


@pytest.mark.django_db
@pytest.mark.parametrize("language, direction", [("fr", "ltr"), ("ar", "rtl")])
def test_login_page_renders_in_the_visitors_language(client, home_page, language, direction):
    response = client.get(f"/{language}/space/login/")
    assert response.status_code == 200
    soup = soup_of(response)
    html = soup.find("html")
    assert (html["lang"], html["dir"]) == (language, direction)
    form = soup.select_one("main form[method=post]")
    assert form["action"] == f"/{language}/space/login/"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    for name in ("username", "password"):
        field = form.select_one(f"input[name={name}]")
        assert soup.select_one(f"label[for={field['id']}]") is not None
    assert soup.select_one(f'a[href="/{language}/space/password/reset/"]') is not None
    assert soup.select_one('meta[name=robots][content="noindex"]') is not None


@pytest.mark.django_db
def test_leader_signs_in_and_lands_on_their_space_in_that_language(client, home_page, make_leader):
    leader = make_leader()
    response = client.post("/ar/space/login/", {"username": "awa", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url("space", "ar") == "/ar/space/"
    assert client.session["_auth_user_id"] == str(leader.pk)

    # Signed in already: the login page sends them on
    assert client.get("/fr/space/login/")["Location"] == "/fr/space/"


@pytest.mark.django_db
def test_login_goes_back_to_the_page_asked_for_but_never_elsewhere(client, home_page, make_leader):
    make_leader()
    data = {"username": "awa", "password": PASSWORD}
    asked = client.post("/fr/space/login/?next=/fr/space/stories/new/", data)
    assert asked["Location"] == "/fr/space/stories/new/"
    client.logout()
    elsewhere = client.post("/fr/space/login/?next=https://evil.example/", data)
    assert elsewhere["Location"] == "/fr/space/"


@pytest.mark.django_db
def test_staff_without_the_leaders_group_are_refused_with_a_translated_message(
    client, home_page, staff, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    for user in (staff, admin):
        response = client.post(
            "/fr/space/login/", {"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 200
        alert = soup_of(response).select_one("[role=alert]")
        assert in_language("fr", NOT_A_LEADER) in alert.get_text()
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_password_or_inactive_leader_get_the_usual_error_only(client, home_page, make_leader):
    leader = make_leader()
    wrong = client.post("/fr/space/login/", {"username": "awa", "password": "nope"})
    leader.is_active = False
    leader.save()
    inactive = client.post("/fr/space/login/", {"username": "awa", "password": PASSWORD})
    for response in (wrong, inactive):
        assert response.status_code == 200
        alert = soup_of(response).select_one("[role=alert]").get_text()
        assert in_language("fr", NOT_A_LEADER) not in alert
        assert alert.strip()
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_needs_a_post(client, home_page, make_leader):
    leader = make_leader()
    client.force_login(leader)
    assert client.get("/fr/space/logout/").status_code == 405
    assert client.session["_auth_user_id"] == str(leader.pk)

    response = client.post("/fr/space/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/space/login/"
    assert "_auth_user_id" not in client.session
    notice = soup_of(client.get(response["Location"])).select_one("[role=status]")
    assert in_language("fr", "You are signed out.") in notice.get_text()


# Passwords


@pytest.mark.django_db
def test_password_reset_email_is_in_the_leaders_language_and_its_link_works(
    client, home_page, make_leader
):
    leader = make_leader(language="ar")
    response = client.post("/fr/space/password/reset/", {"email": "AWA@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/space/password/reset/done/"

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["awa@example.org"]
    assert email.subject == in_language("ar", "Co-city: choose a new password")
    assert in_language("ar", "Choose your new password with this link:") in email.body
    assert "Awa D." in email.body and "awa" in email.body
    link, language = link_in(email)
    assert language == "ar"

    done = set_password_through(client, link)
    assert done["Location"] == "/ar/space/password/reset/complete/"
    assert client.get(done["Location"]).status_code == 200
    leader.refresh_from_db()
    assert leader.check_password(NEW_PASSWORD)

    # The link works once
    again = client.get(link)
    assert again.status_code == 200
    assert soup_of(again).select_one("input[name=new_password1]") is None
    assert soup_of(again).select_one('a[href="/ar/space/password/reset/"]') is not None

    response = client.post("/ar/space/login/", {"username": "awa", "password": NEW_PASSWORD})
    assert response["Location"] == "/ar/space/"


@pytest.mark.django_db
def test_password_reset_does_not_tell_whether_an_address_is_known(
    client, home_page, make_leader, staff
):
    make_leader()
    known = client.post("/fr/space/password/reset/", {"email": "awa@example.org"})
    mail.outbox.clear()
    # an unknown address, and a staff member (not a leader): same answer, no email
    for address in ("nobody@example.org", staff.email):
        response = client.post("/fr/space/password/reset/", {"email": address})
        assert response.status_code == known.status_code == 302
        assert response["Location"] == known["Location"]
    assert mail.outbox == []
    assert client.get(known["Location"]).status_code == 200


@pytest.mark.django_db
def test_leader_who_never_chose_a_password_can_ask_for_a_new_link(client, home_page, make_leader):
    leader = make_leader(language="pt", password=None)
    assert not leader.has_usable_password()
    client.post("/en/space/password/reset/", {"email": "awa@example.org"})
    assert len(mail.outbox) == 1
    assert link_in(mail.outbox[0])[1] == "pt"


@pytest.mark.django_db
def test_password_reset_email_falls_back_to_the_page_language_without_a_profile(
    client, home_page, django_user_model
):
    user = django_user_model.objects.create_user("sam", "sam@example.org", PASSWORD)
    user.groups.add(ensure_groups()[0])
    client.post("/zh-hans/space/password/reset/", {"email": "sam@example.org"})
    assert link_in(mail.outbox[0])[1] == "zh-hans"


# Rate limits


@pytest.mark.django_db
def test_the_11th_failed_login_attempt_in_five_minutes_is_refused(
    client, home_page, make_leader, monkeypatch
):
    """Per address (settings.LOGIN_RATE_LIMIT_PER_IP); more in tests/home/test_security.py."""
    make_leader()
    data = {"username": "awa", "password": "wrong"}
    for _attempt in range(10):
        assert client.post("/fr/space/login/", data).status_code == 200
    response = client.post("/fr/space/login/", data)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 300
    assert soup_of(response).select_one("[role=alert]") is not None
    assert soup_of(response).find("html")["lang"] == "fr"

    # even with the right password; but another address and plain visits still work
    assert client.post("/fr/space/login/", {**data, "password": PASSWORD}).status_code == 429
    other_address = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.post("/fr/space/login/", data, **other_address).status_code == 200
    assert client.get("/fr/space/login/").status_code == 200

    # the next window starts afresh
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 301)
    assert client.post("/fr/space/login/", {**data, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_visitor(client, home_page, make_leader, settings):
    make_leader()
    settings.LEADER_RATE_LIMIT = (2, 60)
    for _request in range(2):
        client.post("/fr/space/password/reset/", {"email": "awa@example.org"})
    response = client.post("/fr/space/password/reset/", {"email": "awa@example.org"})
    assert response.status_code == 429
    assert len(mail.outbox) == 2
    other_visitor = client.post(
        "/fr/space/password/reset/", {"email": "awa@example.org"}, REMOTE_ADDR="192.0.2.7"
    )
    assert other_visitor.status_code == 302


@pytest.mark.django_db
def test_rate_limited_decorator_counts_per_key_and_only_posts(rf, home_page, django_user_model):
    @rate_limited(per_user, 1, 60)
    def view(request):
        return HttpResponse("ok")

    first, second = (django_user_model.objects.create_user(name) for name in ("one", "two"))

    def request(method, user):
        req = getattr(rf, method)("/fr/space/")
        req.user = user
        return req

    assert view(request("post", first)).status_code == 200
    assert view(request("get", first)).status_code == 200
    assert view(request("post", second)).status_code == 200
    assert view(request("post", first)).status_code == 429


@pytest.mark.django_db
def test_behind_the_load_balancer_each_visitor_has_their_own_limit(
    client, home_page, make_leader, settings
):
    """Every request reaches the app from the load balancer's address; the visitor's is the
    last one of X-Forwarded-For. What a client puts in front of it cannot reset its count."""
    make_leader()
    settings.LEADER_RATE_LIMIT = (2, 60)
    settings.RATE_LIMIT_PROXY_HOPS = 1
    balancer = {"REMOTE_ADDR": "10.0.0.2"}

    def reset(forwarded):
        return client.post(
            "/fr/space/password/reset/",
            {"email": "awa@example.org"},
            HTTP_X_FORWARDED_FOR=forwarded,
            **balancer,
        ).status_code

    assert [reset("198.51.100.1") for _ in range(2)] == [302, 302]
    assert reset("198.51.100.1") == 429
    assert reset("203.0.113.9, 198.51.100.1") == 429  # a forged address in front: same visitor
    assert reset("198.51.100.2") == 302  # another visitor, same load balancer


# Accounts created by staff in the admin


ADD_URL = "/admin/project-leaders/new/"
INDEX_URL = "/admin/project-leaders/"


def leader_form(campaign, **overrides):
    return {
        "username": "fatou",
        "email": "fatou@example.org",
        "public_name": "Fatou S.",
        "language": "ar",
        "campaigns": [campaign.pk],
        **overrides,
    }


def leaders_in_every_language(campaign):
    return {
        page.locale.language_code: set(page.leaders.values_list("username", flat=True))
        for page in campaign.get_translations(inclusive=True).specific()
    }


@pytest.mark.django_db
def test_staff_create_a_leader_who_gets_a_link_to_choose_a_password(
    client, campaign, staff, django_user_model, django_capture_on_commit_callbacks
):
    campaign.save_revision()  # editors open pages from their latest revision
    client.force_login(staff)
    assert INDEX_URL in client.get("/admin/").content.decode()  # the menu entry
    form = client.get(ADD_URL)
    assert form.status_code == 200
    assert campaign.title in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, leader_form(campaign))
    assert response.status_code == 302

    user = django_user_model.objects.get(username="fatou")
    assert user.email == "fatou@example.org"
    assert not user.has_usable_password()
    assert user.groups.filter(name=LEADERS_GROUP).exists()
    assert (user.leader_profile.public_name, user.leader_profile.language) == ("Fatou S.", "ar")
    languages = leaders_in_every_language(campaign)
    assert set(languages) == {"fr", "en", "ar", "pt", "zh-hans"}
    assert all(leaders == {"fatou"} for leaders in languages.values())
    campaign.refresh_from_db()
    assert user.pk in campaign.latest_revision.content["leaders"]
    assert ModelLogEntry.objects.filter(
        action="wagtail.create", object_id=str(user.leader_profile.pk), user=staff
    ).exists()
    assert "Fatou S." in client.get(INDEX_URL).content.decode()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["fatou@example.org"]
    assert email.subject == in_language(
        "ar", "Your Co-city project leader space: choose your password"
    )
    link, language = link_in(email)
    assert language == "ar"
    anonymous = client.__class__()
    assert set_password_through(anonymous, link).status_code == 302
    signed_in = anonymous.post("/ar/space/login/", {"username": "fatou", "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/ar/space/"


@pytest.mark.django_db
def test_staff_edit_a_leader_language_campaigns_and_active(client, campaign, staff, make_leader):
    leader = make_leader()
    client.force_login(staff)
    client.post(ADD_URL, leader_form(campaign, username="bob", email="bob@example.org"))
    bob = LeaderProfile.objects.get(user__username="bob")

    edit_url = f"/admin/project-leaders/edit/{bob.pk}/"
    form = client.get(edit_url)
    assert form.status_code == 200
    checked = soup_of(form).select_one(f"input[name=campaigns][value='{campaign.pk}']")
    assert checked.has_attr("checked")

    response = client.post(
        edit_url, {"public_name": "Bob K.", "language": "pt", "campaigns": [], "is_active": ""}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    bob.user.refresh_from_db()
    assert (bob.public_name, bob.language, bob.user.is_active) == ("Bob K.", "pt", False)
    assert all(not leaders for leaders in leaders_in_every_language(campaign).values())
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(bob.pk)).exists()
    assert leader.leader_profile.public_name == "Awa D."  # others untouched


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"username": "AWA"}, "username"),  # taken, whatever the case
        ({"username": "a b"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "Awa@Example.org"}, "email"),  # taken
        ({"campaigns": []}, "campaigns"),
        ({"language": "xx"}, "language"),
    ],
)
def test_bad_input_in_the_create_form_creates_nothing(
    client, campaign, staff, make_leader, django_user_model, overrides, field
):
    make_leader()
    client.force_login(staff)
    users = django_user_model.objects.count()
    response = client.post(ADD_URL, leader_form(campaign, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert django_user_model.objects.count() == users
    assert LeaderProfile.objects.count() == 1
    assert not any("fatou" in leaders for leaders in leaders_in_every_language(campaign).values())
    assert mail.outbox == []


@pytest.mark.django_db
def test_only_staff_allowed_to_create_users_reach_the_leaders_admin(
    client, campaign, make_leader, django_user_model
):
    # anonymous: to the admin's login
    assert client.get(INDEX_URL)["Location"].startswith("/admin/login/")

    # an editor of the admin without auth.add_user: no menu entry, no view
    editor = django_user_model.objects.create_user("ed", "ed@example.org", PASSWORD)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert INDEX_URL not in client.get("/admin/").content.decode()
    for response in (client.get(INDEX_URL), client.get(ADD_URL)):
        assert response.status_code in (302, 403)
    client.post(ADD_URL, leader_form(campaign))
    assert not django_user_model.objects.filter(username="fatou").exists()


@pytest.mark.django_db
def test_leaders_are_not_let_into_the_admin(client, home_page, make_leader):
    client.force_login(make_leader())
    for path in ("/admin/", INDEX_URL, "/admin/pages/"):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_campaign_choices_are_the_default_language_campaigns(campaign):
    assert list(campaign_choices()) == [Page.objects.get(pk=campaign.pk)]
