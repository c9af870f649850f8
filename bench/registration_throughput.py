"""Benchmark: workshop registrations per second, one at a time and from parallel threads.

    .venv/bin/python bench/registration_throughput.py [--registrations 300] [--threads 8]

Builds a throw-away database (SQLite, or DATABASE_URL), a workshop whose capacity is half
the number of registrations, then registers everyone through the public form (Django test
client): first one after the other, then again for a second workshop from parallel threads,
all contending for the same seat row. Prints registrations per second, median and p95
latency, queries per registration, and checks the room is exactly full with the rest
waiting. Not part of `make test`.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wagtail.models import Locale, Page, Site

    from home.factories import HomePageFactory
    from workshops.factories import WorkshopIndexPageFactory, WorkshopPageFactory
    from workshops.models import Registration, RegistrationStatus, WorkshopSeats

    # one client, many people: the benchmark measures the ledger, not the limits
    settings.REGISTRATION_LIMIT_PER_CONTACT_PER_WORKSHOP = 10**9
    settings.REGISTRATION_LIMIT_PER_CONTACT = (10**9, 60)
    settings.REGISTRATION_LIMIT_PER_IP = (10**9, 60)
    settings.REGISTRATION_POSTS_PER_IP = (10**9, 60)
    call_command("migrate", verbosity=0)
    home = HomePageFactory(
        parent=Page.get_first_root_node(), locale=Locale.objects.get(language_code="fr")
    )
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = WorkshopIndexPageFactory(parent=home)
    count = arguments.registrations
    capacity = count // 2

    def form(number):
        return {
            "name": f"P{number}",
            "phone": f"06 00 00 {number:04d}",
            "seats": "1",
            "language": "fr",
        }

    def check(workshop):
        key = workshop.translation_key
        confirmed = Registration.objects.filter(
            workshop_key=key, status=RegistrationStatus.CONFIRMED
        ).count()
        waiting = Registration.objects.filter(
            workshop_key=key, status=RegistrationStatus.WAITLISTED
        ).count()
        taken = WorkshopSeats.objects.get(workshop_key=key).taken
        assert confirmed == taken == capacity and waiting == count - capacity, (
            confirmed,
            taken,
            waiting,
        )

    rows = []
    # One after the other
    workshop = WorkshopPageFactory(parent=index, capacity=capacity)
    client, latencies, queries = Client(), [], []
    for number in range(count):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(f"/fr/workshops/{workshop.pk}/register/", form(number))
            latencies.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
        queries.append(len(captured))
    check(workshop)
    rows.append(("sequential", 1, count / sum(latencies), latencies, statistics.median(queries)))

    # Everyone at once, from threads
    workshop = WorkshopPageFactory(parent=index, capacity=capacity)
    latencies, lock, numbers = [], threading.Lock(), iter(range(count))

    def worker():
        own = Client()
        try:
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                start = time.perf_counter()
                response = own.post(f"/fr/workshops/{workshop.pk}/register/", form(number))
                elapsed = time.perf_counter() - start
                assert response.status_code == 302, response.status_code
                with lock:
                    latencies.append(elapsed)
        finally:
            connections.close_all()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(arguments.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    check(workshop)
    rows.append(("parallel", arguments.threads, count / wall, latencies, float("nan")))

    print(f"{connection.vendor}, {count} registrations for {capacity} seats each run\n")
    print("| run | threads | registrations/s | median | p95 | queries/registration |")
    print("|---|---|---|---|---|---|")
    for name, threads_used, rate, values, query_count in rows:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"| {name} | {threads_used} | {rate:.0f} | {statistics.median(values) * 1000:.1f} ms"
            f" | {p95 * 1000:.1f} ms | {query_count:g} |"
        )


if __name__ == "__main__":
    main()
