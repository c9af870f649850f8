"""helpers/compiled.py: a query compiled once per thread and key, then run afresh each time
(fresh rows, Django's conversions, the current moment put in its place)."""

import datetime
import threading

from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from donations.models import Donation, DonationStatus, MatchFund
from helpers import compiled

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fresh_entries():
    compiled.forget()
    yield
    compiled.forget()


def fund(name, starts_in_days, ends_in_days, logo=None, **fields):
    now = timezone.now()
    values = {"ratio_percent": 100, "total_cap_cents": 100_000, **fields}
    return MatchFund.objects.create(
        sponsor_name=name,
        sponsor_logo=logo,
        starts_at=now + starts_in_days * DAY,
        ends_at=now + ends_in_days * DAY,
        **values,
    )


class Counting:
    """A build function that counts how often it is called (how often SQL is compiled)."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, *args):
        self.calls += 1
        return self.build(*args)


def test_rows_are_read_afresh_but_compiled_once():
    fund("A", -1, 10)
    build = Counting(
        lambda: MatchFund.objects.order_by("sponsor_name").values_list("sponsor_name", "ends_at")
    )
    first = compiled.rows("names", build)
    assert [name for name, _ends in first] == ["A"]
    assert first == list(build.build())  # Django's own conversions: an aware datetime
    assert timezone.is_aware(first[0][1])

    fund("B", -1, 10)
    with CaptureQueriesContext(connection) as queries:
        second = compiled.rows("names", build)
    assert [name for name, _ends in second] == ["A", "B"]  # the new row: nothing kept but SQL
    assert len(queries) == 1
    assert build.calls == 1  # compiled once


def test_the_key_names_what_the_query_depends_on():
    fund("A", -1, 10, ratio_percent=100)
    fund("B", -1, 10, ratio_percent=50)

    def names_at(ratio):
        return compiled.rows(
            ("by-ratio", ratio),
            lambda: MatchFund.objects.filter(ratio_percent=ratio).values_list(
                "sponsor_name", flat=True
            ),
        )

    assert names_at(100) == ["A"]
    assert names_at(50) == ["B"]
    # the same key with another value: the first value's SQL (why the key must name it)
    frozen = compiled.rows(
        ("by-ratio", 100),
        lambda: MatchFund.objects.filter(ratio_percent=50).values_list("sponsor_name", flat=True),
    )
    assert frozen == ["A"]


def test_the_current_moment_goes_where_the_build_put_it():
    fund("open", -1, 1)
    fund("later", 2, 5)
    build = Counting(
        lambda now: MatchFund.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .order_by("pk")
        .values_list("sponsor_name", flat=True)
    )
    now = timezone.now()
    assert compiled.rows("active", build, at=now) == ["open"]
    assert compiled.rows("active", build, at=now + 3 * DAY) == ["later"]
    assert compiled.rows("active", build, at=now + 10 * DAY) == []
    assert build.calls == 1


def test_a_build_that_ignores_the_moment_is_refused():
    with pytest.raises(ValueError):
        compiled.rows(
            "no-moment",
            lambda now: MatchFund.objects.values_list("pk", flat=True),
            at=timezone.now(),
        )


def test_rows_want_a_values_list_queryset():
    with pytest.raises(TypeError):
        compiled.rows("instances", lambda: MatchFund.objects.all())
    with pytest.raises(TypeError):
        compiled.instances("values", lambda: MatchFund.objects.values_list("pk"))


def test_an_empty_in_list_runs_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert (
            compiled.rows("none", lambda: MatchFund.objects.filter(pk__in=[]).values_list("pk"))
            == []
        )
    assert len(queries) == 0


def test_instances_as_django_gives_them():
    logo = Image.objects.create(title="Logo", file=get_test_image_file())
    logo.get_rendition("max-160x64")
    fund("A", -1, 10, logo=logo)
    fund("B", -1, 10)
    Donation.objects.create(
        campaign_key="00000000-0000-0000-0000-000000000001",
        amount_cents=500,
        status=DonationStatus.PAID,
        source="match",
        match_fund=MatchFund.objects.get(sponsor_name="A"),
        paid_at=timezone.now(),
    )

    def build(now):
        return (
            MatchFund.objects.filter(ends_at__gt=now)
            .select_related("sponsor_logo")
            .prefetch_related("sponsor_logo__renditions")
            .annotate(matches_count=Count("matches"), doubled=F("ratio_percent") * 2)
            .order_by("sponsor_name")
        )

    now = timezone.now()
    found = compiled.instances("funds", build, at=now)
    expected = list(build(now))
    assert [(f.pk, f.sponsor_name, f.ends_at) for f in found] == [
        (f.pk, f.sponsor_name, f.ends_at) for f in expected
    ]
    assert [(f.matches_count, f.doubled) for f in found] == [(1, 200), (0, 200)]
    # the related row came with it, and the prefetch ran: no query to show the logo
    with CaptureQueriesContext(connection) as queries:
        assert found[0].sponsor_logo.title == "Logo"
        assert found[0].sponsor_logo.get_rendition("max-160x64").width <= 160
        assert found[1].sponsor_logo is None
    assert len(queries) == 0

    # later: fresh rows, the same SQL
    fund("C", -1, 10)
    with CaptureQueriesContext(connection) as queries:
        again = compiled.instances("funds", build, at=now + 5 * DAY)
    assert [f.sponsor_name for f in again] == ["A", "B", "C"]
    assert len(queries) == 2  # the funds, and the logos' renditions (prefetch)
    assert compiled.instances("funds", build, at=now + 20 * DAY) == []


def test_each_thread_keeps_its_own():
    """A compiler belongs to its thread's connection: another thread starts with none."""
    fund("A", -1, 10)
    assert compiled.rows("names", lambda: MatchFund.objects.values_list("pk", flat=True))
    assert ("names", False) in compiled._entries()
    seen = []
    thread = threading.Thread(target=lambda: seen.append(dict(compiled._entries())))
    thread.start()
    thread.join()
    assert seen == [{}]
