"""Staff side of workshops in the Wagtail admin: registrations per workshop, phone
registrations, cancelling, the waiting list, CSV export, attendance sheet, venues."""

import csv
import datetime
import io

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest
from bs4 import BeautifulSoup

from home.locales import create_language_aliases
from tests.conftest import speaks
from workshops import registrations
from workshops.admin_permissions import COMMUNICATIONS_GROUP
from workshops.factories import VenueFactory, WorkshopPageFactory
from workshops.models import (
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Venue,
    WorkshopPage,
    WorkshopSeats,
)

INDEX_URL = reverse("workshop_registrations:index")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, workshop, registration=None):
    args = [workshop.pk] if registration is None else [workshop.pk, registration.pk]
    return reverse(f"workshop_registrations:{name}", args=args)


def staff_client(django_user_model, username, *codenames):
    """A logged-in client for a non-superuser with admin access and ``codenames`` of
    workshops' permissions."""
    user = django_user_model.objects.create_user(username=username, password="x")
    permissions = list(
        Permission.objects.filter(content_type__app_label="workshops", codename__in=codenames)
    )
    assert len(permissions) == len(codenames)
    permissions.append(Permission.objects.get(codename="access_admin"))
    user.user_permissions.add(*permissions)
    speaks(user, "en")
    client = Client()
    client.force_login(user)
    return client


def book(workshop, name, seats=1, email="", phone="06 12 34 56 78", needs=""):
    """An online registration, through the one function allowed to change seats."""
    return registrations.register(
        workshop, name=name, seats=seats, language="fr", email=email, phone=phone, needs=needs
    )


def set_capacity(workshop, capacity):
    WorkshopPage.objects.filter(translation_key=workshop.translation_key).update(capacity=capacity)
    workshop.capacity = capacity


def status_of(registration):
    registration.refresh_from_db()
    return registration.status


def phone_data(**overrides):
    data = {
        "name": "Moussa Keita",
        "email": "",
        "phone": "06 11 22 33 44",
        "seats": "2",
        "language": "fr",
        "accessibility_needs": "Fauteuil roulant",
    }
    data.update(overrides)
    return data


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def names_in(response, kind):
    """The names in the per-workshop page's table ``kind`` (confirmed, waiting, cancelled)."""
    table = soup(response).select_one(f'[data-registrations="{kind}"]')
    if table is None:
        return []
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    index = headers.index("Name")
    return [row.select("td")[index].get_text(strip=True) for row in table.select("tbody tr")]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode())))


def xlsx_rows(response):
    """The cells of the export's one sheet, and the formula-looking ones' types."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()], [
        cell.data_type for row in sheet.iter_rows() for cell in row
    ]


def errors_of(response):
    return [message.message for message in response.context["messages"] if "error" in message.tags]


@pytest.fixture
def full_workshop(workshop):
    """``workshop`` with 3 seats: Ada has 2, Bea (1 seat) and Chloé (2) wait, Dan cancelled."""
    set_capacity(workshop, 3)
    ada = book(workshop, "Ada", seats=2, email="ada@example.org")
    dan = book(workshop, "Dan", seats=1)
    registrations.cancel(dan)
    book(workshop, "Eve", seats=1)
    # Eve took the last seat; from now on, people wait
    bea = book(workshop, "Bea", seats=1, email="bea@example.org")
    chloe = book(workshop, "Chloé", seats=2, email="chloe@example.org")
    assert [status_of(item) for item in (ada, bea, chloe)] == [
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    return workshop


def registration(name):
    return Registration.objects.get(name=name)


# The list of workshops


@pytest.mark.django_db
def test_menu_lists_upcoming_workshops_once_with_seats_and_waiting(admin, full_workshop):
    past = WorkshopPageFactory(
        parent=full_workshop.get_parent(),
        title="Atelier passé",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    dashboard = admin.get(reverse("wagtailadmin_home")).content.decode()
    assert INDEX_URL in dashboard

    response = admin.get(INDEX_URL)
    assert response.status_code == 200
    rows = soup(response).select("tbody tr")
    # one row per workshop, although it has a page in every language
    assert len(rows) == 1
    cells = [cell.get_text(" ", strip=True) for cell in rows[0].select("td")]
    assert "Atelier des idées" in cells[0]
    assert "3 / 3" in cells
    assert "2 (3 seats)" in cells
    assert url("workshop", full_workshop) in rows[0].decode()

    response = admin.get(INDEX_URL, {"past": "1"})
    text = soup(response).select_one("tbody").get_text()
    assert "Atelier passé" in text and "Atelier des idées" not in text
    assert url("workshop", past) in response.content.decode()


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_workshops_or_registrations(
    admin, workshop_index, django_assert_max_num_queries
):
    def add_workshops(count):
        for _index in range(count):
            page = WorkshopPageFactory(parent=workshop_index, capacity=2)
            create_language_aliases(page)
            for name in ("A", "B", "C"):
                book(page, name)

    add_workshops(2)
    admin.get(INDEX_URL)
    with CaptureQueriesContext(connection) as two:
        response = admin.get(INDEX_URL)
    two = len(two)  # read now: the next request empties the connection's query log
    assert len(soup(response).select("tbody tr")) == 2
    add_workshops(8)
    with django_assert_max_num_queries(two):
        response = admin.get(INDEX_URL)
    rows = soup(response).select("tbody tr")
    assert len(rows) == 10
    assert all("2 / 2" in row.get_text() for row in rows)


# One workshop's registrations


@pytest.mark.django_db
def test_workshop_page_lists_confirmed_waiting_in_order_and_cancelled(admin, full_workshop):
    response = admin.get(url("workshop", full_workshop))
    assert response.status_code == 200
    assert names_in(response, "confirmed") == ["Ada", "Eve"]
    assert names_in(response, "waiting") == ["Bea", "Chloé"]
    assert names_in(response, "cancelled") == ["Dan"]
    page = soup(response)
    assert page.select_one('[data-summary="seats"]').get_text(strip=True) == "3 / 3"
    # actions for a superuser: confirm (POST) on waiting rows, cancel on confirmed and waiting
    bea = registration("Bea")
    confirm_forms = page.select('[data-registrations="waiting"] form[method="post"]')
    assert [form["action"] for form in confirm_forms] == [
        url("confirm", full_workshop, bea),
        url("confirm", full_workshop, registration("Chloé")),
    ]
    assert url("cancel", full_workshop, registration("Ada")) in response.content.decode()
    assert url("cancel", full_workshop, registration("Dan")) not in response.content.decode()
    for name in ("add", "export", "attendance"):
        assert url(name, full_workshop) in response.content.decode()


@pytest.mark.django_db
def test_workshop_page_query_count_does_not_grow_with_registrations(
    admin, workshop, django_assert_max_num_queries
):
    set_capacity(workshop, 10)
    for index in range(3):
        book(workshop, f"Person {index}", seats=2)
    admin.get(url("workshop", workshop))
    with CaptureQueriesContext(connection) as few:
        admin.get(url("workshop", workshop))
    few = len(few)  # read now: the next request empties the connection's query log
    for index in range(30):
        item = book(workshop, f"Other {index}", seats=2)
        if index % 5 == 0:
            registrations.cancel(item)
    # phone registrations (each with the staff member who took it) too
    admin.post(url("add", workshop), phone_data())
    with django_assert_max_num_queries(few):
        response = admin.get(url("workshop", workshop))
    assert len(names_in(response, "confirmed")) == 5
    assert len(names_in(response, "waiting")) > 20
    assert len(names_in(response, "cancelled")) >= 6


@pytest.mark.django_db
def test_any_language_version_of_a_workshop_shows_the_same_registrations(admin, full_workshop):
    arabic = WorkshopPage.objects.get(
        translation_key=full_workshop.translation_key, locale__language_code="ar"
    )
    response = admin.get(url("workshop", arabic))
    assert names_in(response, "waiting") == ["Bea", "Chloé"]


@pytest.mark.django_db
def test_unknown_workshop_or_registration_of_another_workshop_is_404(admin, full_workshop):
    other = WorkshopPageFactory(parent=full_workshop.get_parent())
    ada, bea = registration("Ada"), registration("Bea")
    set_capacity(full_workshop, 10)
    set_capacity(other, 10)

    def not_found(response):
        # LocaleMiddleware sends a 404 under /admin/ on to /fr/admin/…, which is a 404 too
        return response.status_code == 404 or admin.get(response["Location"]).status_code == 404

    assert not_found(admin.get(reverse("workshop_registrations:workshop", args=[999999])))
    assert not_found(admin.get(url("cancel", other, ada)))
    assert not_found(admin.post(url("cancel", other, ada)))
    assert not_found(admin.post(url("confirm", other, bea)))
    assert status_of(ada) == RegistrationStatus.CONFIRMED
    assert status_of(bea) == RegistrationStatus.WAITLISTED


# Registrations taken by phone


@pytest.mark.django_db
def test_phone_registration_is_confirmed_and_recorded_as_taken_by_staff(
    admin, admin_user, workshop, django_capture_on_commit_callbacks
):
    response = admin.get(url("add", workshop))
    assert response.status_code == 200
    assert "Atelier des idées" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            url("add", workshop), phone_data(email="moussa@example.org", language="ar")
        )
    assert response.status_code == 302
    assert response["Location"] == url("workshop", workshop)
    item = Registration.objects.get()
    assert item.status == RegistrationStatus.CONFIRMED
    assert item.source == RegistrationSource.PHONE
    assert item.taken_by == admin_user
    assert (item.seats, item.phone, item.language) == (2, "06 11 22 33 44", "ar")
    assert item.accessibility_needs == "Fauteuil roulant"
    # registered on the workshop's Arabic page, so that its emails and links are in Arabic
    assert item.workshop.locale.language_code == "ar"
    assert item.workshop_key == workshop.translation_key
    assert WorkshopSeats.objects.taken(workshop.translation_key) == 2
    assert [message.to for message in mail.outbox] == [["moussa@example.org"]]

    response = admin.get(url("workshop", workshop))
    assert names_in(response, "confirmed") == ["Moussa Keita"]
    assert "By phone" in response.content.decode()


@pytest.mark.django_db
def test_phone_registration_when_full_and_closed_online_goes_to_the_waiting_list(
    admin, full_workshop
):
    WorkshopPage.objects.filter(translation_key=full_workshop.translation_key).update(
        registration_open=False
    )
    response = admin.post(url("add", full_workshop), phone_data(seats="1"), follow=True)
    assert response.status_code == 200
    item = Registration.objects.get(name="Moussa Keita")
    assert item.status == RegistrationStatus.WAITLISTED
    assert item.source == RegistrationSource.PHONE
    assert names_in(response, "waiting") == ["Bea", "Chloé", "Moussa Keita"]
    assert WorkshopSeats.objects.taken(full_workshop.translation_key) == 3
    assert "waiting list" in " ".join(str(message) for message in response.context["messages"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, error",
    [
        ({"email": "", "phone": ""}, None, "Give an email address or a phone number"),
        ({"seats": "0"}, "seats", "Choose between 1 and 5 seats."),
        ({"seats": "6"}, "seats", "Choose between 1 and 5 seats."),
        ({"seats": "deux"}, "seats", "Choose between 1 and 5 seats."),
        ({"name": ""}, "name", "This field is required."),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"phone": "call me maybe"}, "phone", "Enter a phone number"),
        ({"language": "xx"}, "language", "Select a valid choice."),
        ({"accessibility_needs": "x" * 1001}, "accessibility_needs", "at most 1000"),
    ],
)
def test_bad_phone_registration_is_refused_with_400_and_saves_nothing(
    admin, workshop, overrides, field, error
):
    response = admin.post(url("add", workshop), phone_data(**overrides))
    assert response.status_code == 400
    assert (field or "__all__") in response.context["form"].errors
    # the message as the staff member reads it (in their admin language)
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not Registration.objects.exists()
    assert WorkshopSeats.objects.taken(workshop.translation_key) == 0


@pytest.mark.django_db
def test_no_phone_registration_once_the_workshop_has_started(admin, workshop):
    started = timezone.now() - datetime.timedelta(minutes=5)
    WorkshopPage.objects.filter(translation_key=workshop.translation_key).update(
        starts_at=started, ends_at=started + datetime.timedelta(hours=2)
    )
    response = admin.get(url("add", workshop))
    assert response.status_code == 302
    response = admin.post(url("add", workshop), phone_data())
    assert response.status_code == 400
    assert "has started" in response.content.decode()
    assert not Registration.objects.exists()
    response = admin.get(url("workshop", workshop))
    assert url("add", workshop) not in response.content.decode()


# Cancelling and the waiting list


@pytest.mark.django_db
def test_cancelling_asks_first_then_gives_the_seats_to_the_first_waiting(
    admin, full_workshop, django_capture_on_commit_callbacks
):
    ada = registration("Ada")
    response = admin.get(url("cancel", full_workshop, ada))
    assert response.status_code == 200
    assert "Ada" in response.content.decode()
    assert status_of(ada) == RegistrationStatus.CONFIRMED  # asking changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("cancel", full_workshop, ada), follow=True)
    assert response.status_code == 200
    assert status_of(ada) == RegistrationStatus.CANCELLED
    # Bea (1 seat) and then Chloé (2 seats) fit in the 2 seats Ada left
    assert status_of(registration("Bea")) == RegistrationStatus.CONFIRMED
    assert status_of(registration("Chloé")) == RegistrationStatus.WAITLISTED
    assert WorkshopSeats.objects.taken(full_workshop.translation_key) == 2
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]
    assert names_in(response, "waiting") == ["Chloé"]
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Ada" in text and "Bea" in text

    # a second click changes nothing
    response = admin.post(url("cancel", full_workshop, ada))
    assert response.status_code == 302
    assert WorkshopSeats.objects.taken(full_workshop.translation_key) == 2


@pytest.mark.django_db
def test_confirming_from_the_waiting_list_when_it_does_not_fit_changes_nothing(
    admin, full_workshop, django_capture_on_commit_callbacks
):
    chloe = registration("Chloé")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("confirm", full_workshop, chloe), follow=True)
    assert response.status_code == 200
    errors = errors_of(response)
    assert len(errors) == 1 and "Chloé needs 2 seats and 0 are free" in errors[0]
    assert status_of(chloe) == RegistrationStatus.WAITLISTED
    assert WorkshopSeats.objects.taken(full_workshop.translation_key) == 3
    assert names_in(response, "waiting") == ["Bea", "Chloé"]
    assert not mail.outbox


@pytest.mark.django_db
def test_confirming_out_of_turn_when_the_capacity_was_raised(
    admin, full_workshop, django_capture_on_commit_callbacks
):
    set_capacity(full_workshop, 5)
    chloe = registration("Chloé")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url("confirm", full_workshop, chloe))
    assert response.status_code == 302
    assert status_of(chloe) == RegistrationStatus.CONFIRMED
    assert status_of(registration("Bea")) == RegistrationStatus.WAITLISTED
    assert WorkshopSeats.objects.taken(full_workshop.translation_key) == 5
    assert [message.to for message in mail.outbox] == [["chloe@example.org"]]
    # confirming again, or by GET, changes nothing
    response = admin.post(url("confirm", full_workshop, chloe), follow=True)
    assert "not on the waiting list" in " ".join(map(str, response.context["messages"]))
    assert admin.get(url("confirm", full_workshop, registration("Bea"))).status_code == 405
    assert WorkshopSeats.objects.taken(full_workshop.translation_key) == 5


# Export and attendance sheet


@pytest.mark.django_db
def test_csv_export_has_confirmed_then_waiting_rows_and_no_formulas(admin, full_workshop):
    book(full_workshop, '=HYPERLINK("http://evil.example")', needs="@SUM(A1)", phone="+33 6 12")
    rows = csv_rows(admin.get(url("export", full_workshop)))
    header = rows[0]
    assert header[:4] == ["Status", "Waiting list position", "Name", "Seats"]
    assert "Email" in header and "Phone" in header
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [row["Name"] for row in body] == [
        "Ada",
        "Eve",
        "Bea",
        "Chloé",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert [row["Waiting list position"] for row in body] == ["", "", "1", "2", "3"]
    assert body[0]["Status"] == "Confirmed" and body[2]["Status"] == "On the waiting list"
    assert body[0]["Email"] == "ada@example.org"
    assert body[4]["Accessibility needs"] == "'@SUM(A1)"
    assert body[4]["Phone"] == "'+33 6 12"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    registered = datetime.datetime.fromisoformat(body[0]["Registered at"])
    assert registered.utcoffset() is not None
    assert "attachment" in admin.get(url("export", full_workshop))["Content-Disposition"]
    # an unknown format gives the CSV
    assert csv_rows(admin.get(url("export", full_workshop) + "?export=pdf")) == rows


@pytest.mark.django_db
def test_xlsx_export_has_the_same_rows_as_text_and_local_dates(admin, full_workshop):
    book(full_workshop, '=HYPERLINK("http://evil.example")', needs="@SUM(A1)", phone="+33 6 12")
    csv_body = csv_rows(admin.get(url("export", full_workshop)))
    response = admin.get(url("export", full_workshop) + "?export=xlsx")
    assert f'filename="registrations-{full_workshop.slug}.xlsx"' in response["Content-Disposition"]
    rows, types = xlsx_rows(response)
    assert rows[0] == csv_body[0]  # the same headings
    names = [row[2] for row in rows[1:]]
    assert names == ["Ada", "Eve", "Bea", "Chloé", '=HYPERLINK("http://evil.example")']
    assert "f" not in types  # kept as text: never run as a formula
    assert [row[1] for row in rows[1:]] == [None, None, 1, 2, 3]
    # dates are spreadsheet dates, in Paris time (what staff read on the page)
    ada = Registration.objects.get(name="Ada")
    registered_at = rows[1][rows[0].index("Registered at")]
    assert isinstance(registered_at, datetime.datetime)
    expected = timezone.localtime(ada.created_at).replace(tzinfo=None, microsecond=0)
    assert abs(registered_at - expected) < datetime.timedelta(seconds=1)


@pytest.mark.django_db
def test_attendance_sheet_lists_confirmed_by_name_then_the_waiting_list(admin, full_workshop):
    book(full_workshop, "Zoé", needs="Interprète LSF")  # waits
    set_capacity(full_workshop, 10)
    registrations.fill_from_waiting_list(full_workshop)
    book(full_workshop, "aïcha", seats=5)  # 7 of 10 taken: waits
    response = admin.get(url("attendance", full_workshop))
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "en"
    assert page.select_one("h1").get_text(strip=True) == "Atelier des idées"
    confirmed = page.select_one('[data-sheet="confirmed"]')
    names = [row.select("td")[0].get_text(strip=True) for row in confirmed.select("tbody tr")]
    assert names == ["Ada", "Bea", "Chloé", "Eve", "Zoé"]
    headers = [th.get_text(strip=True) for th in confirmed.select("thead th")]
    assert headers[-1] == "Present"
    boxes = [row.select("td")[-1] for row in confirmed.select("tbody tr")]
    assert all(box.get_text(strip=True) == "" and box.select(".box") for box in boxes)
    assert "Interprète LSF" in confirmed.get_text()
    waiting = page.select_one('[data-sheet="waiting"]')
    assert "aïcha" in waiting.get_text()
    assert "Dan" not in page.get_text()  # cancelled
    assert "@example.org" not in response.content.decode()
    assert "06 12 34 56 78" not in response.content.decode()
    assert full_workshop.venue.name in page.get_text()
    assert "@media print" in response.content.decode()


# Permissions and personal data


@pytest.mark.django_db
def test_only_staff_with_registration_permissions_see_the_menu_and_views(
    django_user_model, full_workshop
):
    outsider = staff_client(django_user_model, "outsider")
    viewer = staff_client(django_user_model, "viewer", "view_registration")
    ada, bea = registration("Ada"), registration("Bea")
    reading = [
        INDEX_URL,
        url("workshop", full_workshop),
        url("export", full_workshop),
        url("attendance", full_workshop),
    ]

    assert INDEX_URL not in outsider.get(reverse("wagtailadmin_home")).content.decode()
    for address in reading + [url("add", full_workshop), url("cancel", full_workshop, ada)]:
        assert outsider.get(address).status_code in (302, 403), address

    assert INDEX_URL in viewer.get(reverse("wagtailadmin_home")).content.decode()
    for address in reading:
        assert viewer.get(address).status_code == 200, address
    # looking is not acting
    page = viewer.get(url("workshop", full_workshop)).content.decode()
    assert url("add", full_workshop) not in page
    assert url("cancel", full_workshop, ada) not in page
    assert url("confirm", full_workshop, bea) not in page
    for client in (outsider, viewer):
        assert client.get(url("add", full_workshop)).status_code in (302, 403)
        assert client.post(url("add", full_workshop), phone_data()).status_code in (302, 403)
        assert client.post(url("cancel", full_workshop, ada)).status_code in (302, 403)
        set_capacity(full_workshop, 10)
        assert client.post(url("confirm", full_workshop, bea)).status_code in (302, 403)
    assert status_of(ada) == RegistrationStatus.CONFIRMED
    assert status_of(bea) == RegistrationStatus.WAITLISTED
    assert not Registration.objects.filter(name="Moussa Keita").exists()

    clerk = staff_client(
        django_user_model, "clerk", "view_registration", "add_registration", "change_registration"
    )
    assert clerk.post(url("add", full_workshop), phone_data()).status_code == 302
    assert clerk.post(url("cancel", full_workshop, ada)).status_code == 302
    assert status_of(ada) == RegistrationStatus.CANCELLED


@pytest.mark.django_db
def test_contact_details_only_for_staff_allowed_to_see_them(django_user_model, full_workshop):
    viewer = staff_client(django_user_model, "viewer", "view_registration")
    trusted = staff_client(
        django_user_model, "trusted", "view_registration", "view_registrant_details"
    )

    response = viewer.get(url("workshop", full_workshop))
    assert "ada@example.org" not in response.content.decode()
    assert "06 12 34 56 78" not in response.content.decode()
    assert not soup(response).select(".contact-details")
    rows = csv_rows(viewer.get(url("export", full_workshop)))
    assert "Email" not in rows[0] and "Phone" not in rows[0]
    assert not any("@example.org" in cell or "06 12" in cell for row in rows for cell in row)
    rows, _types = xlsx_rows(viewer.get(url("export", full_workshop) + "?export=xlsx"))
    assert "Email" not in rows[0] and "Phone" not in rows[0]
    assert not any("@example.org" in str(cell) for row in rows for cell in row)

    response = trusted.get(url("workshop", full_workshop))
    assert "ada@example.org" in response.content.decode()
    assert "06 12 34 56 78" in response.content.decode()
    rows = csv_rows(trusted.get(url("export", full_workshop)))
    assert "ada@example.org" in rows[1]
    assert len(rows[0]) == len(rows[1])


@pytest.mark.django_db
def test_communications_group_gets_the_registration_permissions(admin, django_user_model, workshop):
    group = Group.objects.get(name=COMMUNICATIONS_GROUP)  # made by the data migrations
    assert group.name == COMMUNICATIONS_GROUP == "Communications"
    assert Group.objects.filter(name="Communications").count() == 1
    assert set(group.permissions.values_list("codename", flat=True)) >= {
        "view_registration",
        "add_registration",
        "change_registration",
        "view_registrant_details",
    }
    assert not group.permissions.filter(codename="delete_registration").exists()

    user = django_user_model.objects.create_user(username="comms", password="x")
    user.groups.add(group, Group.objects.get_or_create(name="Admin access")[0])
    user.groups.get(name="Admin access").permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    speaks(user, "en")
    client = Client()
    client.force_login(user)
    book(workshop, "Ada", email="ada@example.org")
    response = client.get(url("workshop", workshop))
    assert response.status_code == 200
    assert "ada@example.org" in response.content.decode()
    assert client.post(url("add", workshop), phone_data()).status_code == 302

    # the permissions are offered in the groups' settings
    response = admin.get(reverse("wagtailusers_groups:add"))
    assert response.status_code == 200
    details = Permission.objects.get(codename="view_registrant_details")
    assert soup(response).select_one(f'input[name="permissions"][value="{details.pk}"]')


# Venues


@pytest.mark.django_db
def test_venue_snippets_are_listed_and_searched(admin):
    VenueFactory(name="Maison des Canaux", address="6 quai de la Seine\n75019 Paris")
    VenueFactory(name="Bibliothèque Couronnes", address="66 rue des Couronnes\n75020 Paris")
    list_url = reverse("wagtailsnippets_workshops_venue:list")
    response = admin.get(list_url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Maison des Canaux" in text and "Bibliothèque Couronnes" in text
    response = admin.get(list_url, {"q": "quai de la Seine"})
    rows = soup(response).select("tbody tr")
    assert len(rows) == 1 and "Maison des Canaux" in rows[0].get_text()
    assert admin.get(reverse("wagtailsnippets_workshops_venue:add")).status_code == 200
    assert Venue.objects.count() == 2
