"""The real site under load and faults (issue 15, items 6 and 7): shared by tests/system/ and
bench/mixed_load.py.

:func:`running_site` starts a PostgreSQL server and a redis-server of its own (Debian's
binaries, in a temporary folder, on loopback ports: they may be stopped and restarted without
touching anyone else's), then the two-node trial of scripts/cluster.py on them: two gunicorn
nodes with the production settings behind haproxy, the fake Stripe server, a mail sink, media
on S3 (moto). :func:`mixed_load` drives it: anonymous page views, gifts through the fake
Stripe checkout with their webhooks delivered late, shuffled and duplicated (a refused
delivery is retried, as Stripe does), and registrations for a small workshop room.
:func:`ledger_state` reads what the database says afterwards.
"""

import collections
import contextlib
import glob
import heapq
import itertools
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.cluster import running_cluster, wait_for_port  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PYTHON_MANAGE = (sys.executable, "manage.py")
ROOM_SEATS = 6  # the small workshop room: seats free for the run


# --- services of our own ------------------------------------------------------------------


def _as_postgres(*command, **options):
    """Run ``command`` as the ``postgres`` user (initdb and postgres refuse root)."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)


def postgres_binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) are missing")
    return Path(found[-1]).parent


class Postgres:
    """A PostgreSQL server of our own: trust on loopback, no fsync (a test's data)."""

    def __init__(self, port, folder):
        self.port, self.bin = port, postgres_binaries()
        self.data = Path(folder) / "pgdata"
        self.log = Path(folder) / "postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}/cocity_system"

    def init(self):
        self.data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            shutil.chown(self.data, "postgres")
            self.data.parent.chmod(0o755)
        _as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        return self.start()

    def _ctl(self, *arguments):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
        )
        return _as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "60", *arguments,
        )  # fmt: skip

    def start(self):
        self._ctl("start")
        return self

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "fast")


class Redis:
    """A redis-server of our own, in memory only."""

    def __init__(self, port, folder):
        self.port, self.folder = port, Path(folder)
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process, name="redis-server")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@contextlib.contextmanager
def running_site(port=8850, workers=2, say=lambda text: None):
    """PostgreSQL on PORT+1, Redis on PORT+2, the cluster (balancer, nodes…) from PORT+10.
    Yields a :class:`Site`."""
    folder = Path(tempfile.mkdtemp(prefix="cocity-system-"))
    postgres, redis = Postgres(port + 1, folder), Redis(port + 2, folder)
    try:
        say(f"PostgreSQL of our own on {port + 1}, Redis on {port + 2} ({folder})")
        postgres.init()
        redis.start()
        with running_cluster(port + 10, postgres.url, redis.url, workers, say) as cluster:
            site = Site(cluster, postgres, redis, folder)
            site.port = port
            site.prepare()
            yield site
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- the site ------------------------------------------------------------------------------

SETUP = """
import json
from campaigns.models import CampaignPage, CampaignIndexPage
from workshops.models import WorkshopPage
from home.models import HomePage
campaign = next(p for p in CampaignPage.objects.live().filter(locale__language_code="fr")
                .order_by("pk") if p.accepts_donations)
workshop = next(p for p in WorkshopPage.objects.live().filter(locale__language_code="fr")
                .order_by("pk") if p.accepts_registrations)
capacity = workshop.seats_taken + %(seats)d
WorkshopPage.objects.filter(translation_key=workshop.translation_key).update(capacity=capacity)
urls = ["/fr/", "/en/", "/ar/", campaign.url, campaign.get_parent().url, workshop.url,
        "/api/v2/pages/?type=campaigns.CampaignPage&fields=raised_cents",
        f"/api/v2/pages/{campaign.pk}/"]
urls += [p.url for p in CampaignPage.objects.live().filter(locale__language_code="en")[:3]]
print(json.dumps({"campaign_key": str(campaign.translation_key), "campaign_id": campaign.pk,
                  "campaign_url": campaign.url, "workshop_id": workshop.pk,
                  "workshop_key": str(workshop.translation_key), "capacity": capacity,
                  "urls": urls}))
"""

STATE = """
import json
from django.db.models import Sum
from donations import ledger, ledger_audit
from donations.models import CampaignTally, Donation, DonationStatus, WebhookEvent
from helpers.money import format_money
from workshops.models import Registration, RegistrationStatus, WorkshopPage
key, workshop_key = %(key)r, %(workshop_key)r
raised, donors = ledger.tally(key)
row = CampaignTally.objects.filter(campaign_key=key).first()
matched = row.matched_cents if row else 0
stripe = Donation.objects.filter(campaign_key=key, provider="stripe")
seats = (Registration.objects.filter(workshop_key=workshop_key, status=RegistrationStatus.CONFIRMED)
         .aggregate(n=Sum("seats"))["n"] or 0)
print(json.dumps({
    "raised": raised, "donors": donors, "matched": matched, "gifts": raised - matched,
    "raised_text": format_money(raised, "fr"),
    "problems": ledger_audit.problems(),
    "stripe": {d.provider_session_id: [d.status, d.amount_cents] for d in stripe
               if d.provider_session_id},
    "stripe_paid_cents": stripe.filter(status=DonationStatus.PAID)
                               .aggregate(n=Sum("amount_cents"))["n"] or 0,
    "webhook_events": WebhookEvent.objects.count(),
    "seats_confirmed": seats,
    "capacity": WorkshopPage.objects.filter(translation_key=workshop_key).first().capacity,
}))
"""


class Site:
    def __init__(self, cluster, postgres, redis, folder):
        self.cluster, self.postgres, self.redis, self.folder = cluster, postgres, redis, folder
        self.stripe = cluster.stripe
        self.nodes = list(cluster.nodes.values())
        self.info = {}

    def shell(self, code):
        return json.loads(self.cluster.manage("shell", "-c", code).strip().splitlines()[-1])

    def prepare(self):
        self.info = self.shell(SETUP % {"seats": ROOM_SEATS})

    def state(self):
        return self.shell(
            STATE % {"key": self.info["campaign_key"], "workshop_key": self.info["workshop_key"]}
        )

    def node_pids(self):
        return {name: p.pid for name, p in self.cluster.processes.items() if name in "ab"}


# --- the load ------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.statuses = collections.Counter()
        self.errors = []  # (what, url, status or exception)
        self.failures = collections.Counter()  # connection errors
        self.failed_at = []  # (time.monotonic(), the client thread) of each connection error
        self.gifts_started = self.gifts_paid = self.gifts_refused = 0
        self.paid_cents = 0
        self.registrations = collections.Counter()
        self.webhook_deliveries = self.webhook_duplicates = self.webhook_refused = 0
        self.unavailable = []  # (seconds, Retry-After) of the 503 answers

    def record(self, what, url, response, seconds):
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.errors.append((what, url, response.status_code))
                if response.status_code == 503:
                    self.unavailable.append((seconds, response.headers.get("Retry-After")))

    def failed(self, what, url, error):
        with self.lock:
            self.failures[type(error).__name__] += 1
            self.failed_at.append((time.monotonic(), threading.get_ident()))
            self.errors.append((what, url, repr(error)))

    def figures(self, duration):
        ordered = sorted(self.latencies) or [0.0]

        def pick(share):
            return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

        return {
            "requests": len(self.latencies),
            "requests_per_second": round(len(self.latencies) / duration, 1),
            "p50_ms": round(pick(0.50), 1),
            "p95_ms": round(pick(0.95), 1),
            "p99_ms": round(pick(0.99), 1),
            "statuses": dict(sorted(self.statuses.items())),
            "connection_errors": dict(self.failures),
            "gifts_started": self.gifts_started,
            "gifts_paid": self.gifts_paid,
            "gifts_refused_503": self.gifts_refused,
            "registrations": dict(self.registrations),
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_duplicates": self.webhook_duplicates,
            "webhook_refused_then_retried": self.webhook_refused,
        }


class Webhooks:
    """Stripe's side: each event delivered 1–3 times, late and out of order, again after a
    refusal (any answer but 2xx, or no answer) until one delivery is acknowledged."""

    def __init__(self, site, stats, threads=4, seed=None):
        self.site, self.stats = site, stats
        self.random = random.Random(seed)
        self.heap, self.lock, self.counter = [], threading.Condition(), itertools.count()
        self.pending = 0
        self.stopping = False
        self.rotation = itertools.count()
        self.nodes = None  # where to deliver (default: the nodes in turn)
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def send(self, event):
        copies = self.random.choice((1, 2, 2, 3))
        payload, header = self.site.stripe.signed(event, self.site.cluster.webhook_secret)
        with self.lock:
            for copy in range(copies):
                when = time.monotonic() + self.random.uniform(0, 2.0)
                heapq.heappush(self.heap, (when, next(self.counter), payload, header, copy > 0))
                self.pending += 1
            self.lock.notify_all()

    def _run(self):
        session = requests.Session()
        while True:
            with self.lock:
                while not self.heap or self.heap[0][0] > time.monotonic():
                    if self.stopping and not self.heap:
                        return
                    wait = self.heap[0][0] - time.monotonic() if self.heap else 0.2
                    self.lock.wait(max(0.01, min(wait, 0.2)))
                when, number, payload, header, duplicate = heapq.heappop(self.heap)
            nodes = self.nodes or self.site.nodes
            node = nodes[next(self.rotation) % len(nodes)]
            answered = None
            started = time.monotonic()
            try:
                answer = session.post(
                    f"{node}/webhooks/stripe/", data=payload, timeout=15,
                    headers={"Stripe-Signature": header, "Content-Type": "application/json",
                             "X-Forwarded-Proto": "https",
                             # a connection per delivery, as Stripe makes: a kept-alive one
                             # idle for gunicorn's 2 s keepalive may be closed by the node just
                             # as the next delivery is sent on it (a reset no server avoids)
                             "Connection": "close"},
                )  # fmt: skip
                answered = answer.status_code
                self.stats.record(
                    "webhook", "/webhooks/stripe/", answer, time.monotonic() - started
                )
            except requests.RequestException as error:
                self.stats.failed("webhook", "/webhooks/stripe/", error)
            with self.lock:
                if answered is not None and 200 <= answered < 300:
                    self.stats.webhook_deliveries += 1
                    self.stats.webhook_duplicates += duplicate
                    self.pending -= 1
                else:  # Stripe tries again later
                    self.stats.webhook_refused += 1
                    again = time.monotonic() + self.random.uniform(0.5, 1.5)
                    heapq.heappush(self.heap, (again, number, payload, header, duplicate))
                self.lock.notify_all()

    def drain(self, seconds=90):
        """Wait until every delivery was acknowledged; True when they all were."""
        deadline = time.monotonic() + seconds
        with self.lock:
            while self.pending and time.monotonic() < deadline:
                self.lock.wait(0.2)
            self.stopping = True
            self.lock.notify_all()
            return self.pending == 0


class Visitor:
    """One simulated person (its own address for the rate limits), talking to one node
    directly as the balancer would: X-Forwarded-Proto https, X-Forwarded-For."""

    def __init__(
        self, site, stats, webhooks, number, base=None, pay_share=0.8, thanks_share=0.4, timeout=20
    ):
        self.site, self.stats, self.webhooks = site, stats, webhooks
        self.base = base or site.nodes[number % len(site.nodes)]
        self.number = number
        self.random = random.Random(number)
        self.session = requests.Session()
        self.pay_share, self.thanks_share, self.timeout = pay_share, thanks_share, timeout
        self.last_gift = None  # (session id, amount in cents) of the last gift paid
        self.address = f"10.{number // 250 % 250}.{number % 250}.{self.random.randint(1, 250)}"
        self.host = urlsplit(self.base).netloc

    def headers(self, **extra):
        # A connection per request, as the balancer makes them (haproxy's http-server-close,
        # scripts/cluster.py): a kept-alive connection to a node whose worker is recycled
        # (max_requests) may be closed just as the next request leaves on it, a reset the
        # balancer never sees and no server avoids.
        return {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Connection": "close",
            **extra,
        }

    def request(self, what, method, path, **options):
        url = path if path.startswith("http") else f"{self.base}{path}"
        started = time.monotonic()
        try:
            answer = self.session.request(
                method, url, allow_redirects=False, timeout=self.timeout,
                headers=self.headers(**options.pop("headers", {})), **options,
            )  # fmt: skip
        except requests.RequestException as error:
            self.stats.failed(what, path, error)
            return None
        self.stats.record(what, path, answer, time.monotonic() - started)
        return answer

    def form(self, what, path):
        """GET a form: (its CSRF token, the cookie header) or None."""
        answer = self.request(what, "GET", path)
        if answer is None or answer.status_code != 200:
            return None
        token = CSRF.search(answer.text)
        cookie = answer.cookies.get("csrftoken")
        if not token or not cookie:
            raise AssertionError(f"No CSRF token in {path}")
        return token.group(1), f"csrftoken={cookie}"

    def post(self, what, path, token_cookie, data):
        token, cookie = token_cookie
        headers = {
            "Cookie": cookie,
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{path}",
        }
        return self.request(
            what, "POST", path, data={**data, "csrfmiddlewaretoken": token}, headers=headers
        )

    def view(self):
        self.request("page", "GET", self.random.choice(self.site.info["urls"]))

    def give(self):
        path = f"/fr/donate/{self.site.info['campaign_key']}/"
        form = self.form("gift form", path)
        if form is None:
            return
        euros = self.random.choice((5, 10, 25, 50))
        data = {
            "amount_choice": "custom", "custom_amount": str(euros),
            "donor_name": f"Donateur {self.number}", "donor_email": f"d{self.number}@example.org",
            "display": "name", "message": "", "consent": "on",
        }  # fmt: skip
        with self.stats.lock:
            self.stats.gifts_started += 1
        answer = self.post("gift", path, form, data)
        if answer is None:
            return
        if answer.status_code == 503:
            with self.stats.lock:
                self.stats.gifts_refused += 1
            return
        if answer.status_code != 302 or "/pay/" not in answer.headers.get("Location", ""):
            with self.stats.lock:
                self.stats.errors.append(
                    ("gift", path, f"{answer.status_code} {answer.text[:300]}")
                )
            return
        session_id = answer.headers["Location"].rsplit("/pay/", 1)[1].strip("/")
        if self.random.random() > self.pay_share:
            return  # the donor gives up at the checkout: nothing is owed, nothing counts
        session = self.site.stripe.complete(session_id)
        with self.stats.lock:
            self.stats.gifts_paid += 1
            self.stats.paid_cents += session["amount_total"]
        self.webhooks.send(self.site.stripe.event("checkout.session.completed", session))
        self.last_gift = (session_id, session["amount_total"])
        if (
            self.random.random() < self.thanks_share
        ):  # back on the site: the thank-you page settles too
            success = urlsplit(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id))
            self.request("thanks", "GET", f"{success.path}?{success.query}")

    def register(self):
        path = f"/fr/workshops/{self.site.info['workshop_id']}/register/"
        form = self.form("registration form", path)
        if form is None:
            return
        data = {
            "name": f"Habitant {self.number}",
            "email": f"r{self.number}-{self.random.random()}@example.org",
            "phone": "", "seats": str(self.random.choice((1, 1, 2))), "language": "fr",
            "accessibility_needs": "",
        }  # fmt: skip
        answer = self.post("registration", path, form, data)
        if answer is not None:
            with self.stats.lock:
                self.stats.registrations[answer.status_code] += 1


def mixed_load(site, duration=60, concurrency=50, gift_share=0.12, register_share=0.04, say=print):
    """Run the mixed load; return (Stats, seconds it ran, whether every webhook was
    acknowledged)."""
    warm_up(site)
    stats = Stats()
    webhooks = Webhooks(site, stats, seed=duration)
    stop_at = time.monotonic() + duration
    numbers = itertools.count(1000)

    def visitor_loop(slot):
        choice = random.Random(slot)
        while time.monotonic() < stop_at:
            visitor = Visitor(site, stats, webhooks, next(numbers))
            roll = choice.random()
            if roll < gift_share:
                visitor.give()
            elif roll < gift_share + register_share:
                visitor.register()
            else:
                for _ in range(choice.randint(1, 4)):
                    visitor.view()

    started = time.monotonic()
    threads = [
        threading.Thread(target=visitor_loop, args=(n,), daemon=True) for n in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ran = time.monotonic() - started
    say(f"Load done in {ran:.1f} s; delivering the last webhooks")
    drained = webhooks.drain()
    return stats, ran, drained


def warm_up(site):
    """Every page once on each worker, untimed (imports, templates, the page cache)."""
    for node in site.nodes:
        for _round in range(4):
            for url in site.info["urls"]:
                with contextlib.suppress(requests.RequestException):
                    requests.get(f"{node}{url}", headers={"X-Forwarded-Proto": "https"}, timeout=30)


def check_totals(site, state, test=None):
    """The page and the API show the ledger's total (a paid gift is fresh within 2 s)."""
    time.sleep(2.5)
    info = site.info
    visitor = Visitor(site, Stats(), None, 1)
    api = visitor.request("api", "GET", f"/api/v2/pages/{info['campaign_id']}/").json()
    page = visitor.request("page", "GET", info["campaign_url"]).text
    return {
        "api_raised_cents": api.get("raised_cents"),
        "page_shows_total": state["raised_text"] in page
        or state["raised_text"].replace("\u202f", "&nbsp;") in page
        or state["raised_text"].replace("\xa0", "&nbsp;") in page,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
