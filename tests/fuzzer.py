"""A deterministic fuzzer of the public site: malformed requests to every public form, query
parameter and API endpoint of the demo, in every language; no answer may be a 500.

Used by tests/test_fuzz.py (a sample of the suite) and bench/fuzz.py (5 000 requests and
more, on SQLite or PostgreSQL). The same seed gives the same requests on the same data.

Each request is built from a *target* (a route of the demo with the parameters or form
fields it reads, found in the database: pages, campaigns, workshops…) and malformed values:
NUL and control characters, huge and negative numbers, Unicode (right-to-left marks,
emoji, other scripts' digits), 10 KB strings, SQL and full-text search syntax, `%` and
quotes, `a[]=` arrays, repeated parameters, broken percent-encodings (`%C0%AF`), bad JSON
and the wrong content type. Each request runs in a transaction that is rolled back, so the
demo stays as built and a database error in one request cannot spill into the next.
"""

import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page

from campaigns.models import CampaignPage
from stories.models import StoryPage
from workshops.models import WorkshopPage

HUGE = "99999999999999999999"

MALFORMED = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m",
    "\r\nX-Injected: 1",
    "\t",
    "\x7f",
    "\u0085",
    HUGE,
    "-" + HUGE,
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "00000000000000000000001",
    "1e309",
    "NaN",
    "inf",
    "-0.0",
    "1.5",
    "1,5",
    "0x1F",
    "１２３",
    "٣٤٥",
    "²",
    "é",
    "العربية",
    "中文",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "\ufeff",
    "\ufffd",
    "😀" * 50,
    "A" * 10_000,
    "é" * 5_000,
    "'",
    '"',
    "\\",
    "%",
    "%%",
    "%s%d%n",
    "{}",
    "{0}",
    "' OR 1=1 --",
    '"; DROP TABLE wagtailcore_page; --',
    "NEAR(a b)",
    "a*",
    '"unterminated',
    'a" OR "b',
    "a AND (b OR",
    "*",
    "^",
    ":",
    "-",
    "(",
    ")",
    "!&|<>:*",
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "/fr/../../admin/",
    "//evil.example/",
    "javascript:alert(1)",
    "null",
    "true",
    "[1,2]",
    '{"a":',
    "__proto__",
    "*,-id",
    "?",
    "&",
    "=",
    "#",
]

# Percent-escapes that do not decode to valid UTF-8 (or are not escapes at all)
RAW_ESCAPES = [
    "%C0%AF",
    "%FF%FE",
    "%E2%82",
    "%00",
    "%ZZ",
    "%",
    "%2",
    "%u0041",
    "%F0%9F%98%80",
    "%0A",
]

API_PAGE_PARAMS = {
    "search": ["jardin", "atelier", "couronnes"],
    "search_operator": ["and", "or"],
    "offset": ["0", "20"],
    "limit": ["1", "50"],
    "type": [
        "campaigns.CampaignPage",
        "stories.StoryPage",
        "workshops.WorkshopPage",
        "home.HomePage",
        "home.StandardPage",
        "campaigns.CampaignIndexPage",
        "wagtailcore.Page",
        "donations.Donation",
    ],
    "fields": ["*", "title,status", "-title", "_,id", "body", "owner", "donor_email", "*,-meta"],
    "locale": ["fr", "ar", "zh-hans", "xx"],
    "translation_of": ["3"],
    "order": ["title", "-id", "random", "first_published_at", "-title,id"],
    "child_of": ["3", "root"],
    "descendant_of": ["3"],
    "ancestor_of": ["3"],
    "site": ["localhost", "testserver"],
    "id": ["3"],
    "slug": ["jardin-des-couronnes"],
    "title": ["Accueil"],
    "status": ["live"],
    "rich_text_format": ["html", "markdown", "xml"],
    "show_drafts": ["1"],
}
API_MEDIA_PARAMS = {
    "search": ["jardin", "photo"],
    "offset": ["0"],
    "limit": ["10"],
    "fields": ["*", "title,width", "file", "download_url"],
    "order": ["title", "-id", "random"],
    "title": ["a"],
    "id": ["1"],
    "tags": ["jardin"],
}
LISTING_PARAMS = {
    "page": ["1", "2", "last"],
    "q": ["jardin"],
    "district": ["75020", "93300"],
    "category": ["ecologie", "culture"],
    "campaign": [],
    "status": ["live", "succeeded", "closed"],
    "month": ["2026-12", "2027-01"],
    "when": ["past"],
    "amount": ["25", "10"],
    "lang": ["fr", "ar"],
}
DONATION_FIELDS = {
    "amount_choice": ["10", "25", "50", "custom"],
    "custom_amount": ["12", "12,50", "12.50", "5", "1000000"],
    "donor_name": ["Awa"],
    "donor_email": ["awa@example.org"],
    "display": ["name", "anonymous", "hidden_amount"],
    "message": ["Bravo"],
    "consent": ["on"],
}
REGISTRATION_FIELDS = {
    "name": ["Fatou Diop"],
    "email": ["fatou@example.org"],
    "phone": ["06 12 34 56 78"],
    "seats": ["1", "5", "6"],
    "language": ["fr", "ar", "xx"],
    "accessibility_needs": ["Fauteuil"],
}
LOGIN_FIELDS = {"username": ["awa", "admin"], "password": ["wrong"]}
RESET_FIELDS = {"email": ["awa@example.org"]}
CHECKOUT_FIELDS = {"action": ["pay", "cancel"]}


@dataclass(frozen=True)
class Target:
    """A route to fuzz: ``params`` (name → plausible values) go in the query string of a GET
    or the form of a POST."""

    kind: str
    method: str
    path: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Request:
    kind: str
    method: str
    url: str
    body: bytes = b""
    content_type: str = ""

    def __str__(self):
        text = f"{self.method} {self.url}"
        if self.body:
            text += f"  [{self.content_type}] {self.body[:300]!r}"
        return text[:600]


@dataclass
class Report:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)

    def by_class(self):
        classes = Counter()
        for status, count in self.statuses.items():
            classes[f"{status // 100}xx"] += count
        return dict(sorted(classes.items()))

    def table(self):
        lines = [f"requests: {self.requests}"]
        lines += [f"  {name}: {count}" for name, count in self.by_class().items()]
        lines.append(
            "  statuses: " + ", ".join(f"{s}×{n}" for s, n in sorted(self.statuses.items()))
        )
        kinds = sorted(self.kinds.items())
        lines.append("  targets: " + ", ".join(f"{k} {n}" for k, n in kinds))
        mean = {kind: 1000 * self.seconds[kind] / count for kind, count in kinds}
        lines.append("  mean ms: " + ", ".join(f"{k} {ms:.0f}" for k, ms in mean.items()))
        lines.append(f"answers >= 500: {len(self.failures)}")
        lines += [f"  {status} {request}  ← {error}" for status, request, error in self.failures]
        return "\n".join(lines)


def targets():
    """Every public route of the demo with the parameters it reads, in a stable order."""
    languages = [code for code, _name in settings.LANGUAGES]
    pages = list(Page.objects.live().filter(depth__gte=2).order_by("pk"))
    campaigns = list(CampaignPage.objects.live().order_by("pk"))
    workshops = list(WorkshopPage.objects.live().order_by("pk"))
    stories = list(StoryPage.objects.live().order_by("pk"))
    campaign_keys = sorted({str(page.translation_key) for page in campaigns})
    listing = {**LISTING_PARAMS, "campaign": [str(page.pk) for page in campaigns[:3]]}
    found = []
    for page in pages:
        url = page.get_url()
        if url:
            found.append(Target("page", "GET", url, listing))
    for language in languages:
        with translation.override(language):
            found += [
                Target("search", "GET", reverse("search"), {"q": ["jardin"], "page": ["2"]}),
                Target("feed", "GET", reverse("stories:feed"), {}),
                Target("calendar", "GET", reverse("workshops:calendar"), {}),
                Target("login", "POST", reverse("stories:login"), LOGIN_FIELDS),
                Target("login", "GET", reverse("stories:login"), {"next": ["/fr/space/"]}),
                Target("password_reset", "POST", reverse("stories:password_reset"), RESET_FIELDS),
                Target(
                    "password_reset",
                    "GET",
                    reverse(
                        "stories:password_reset_confirm",
                        kwargs={"uidb64": "MQ", "token": "set-password"},
                    ),
                    {},
                ),
                Target(
                    "registration",
                    "GET",
                    reverse("workshops:registration", kwargs={"token": "eyJyIjoxfQ:bad:sig"}),
                    {},
                ),
                Target(
                    "registration",
                    "POST",
                    reverse("workshops:cancel", kwargs={"token": "eyJyIjoxfQ:bad:sig"}),
                    {},
                ),
            ]
            for key in campaign_keys:
                donate = reverse("donations:donate", kwargs={"campaign_key": key})
                found.append(Target("donate", "GET", donate, {"amount": ["25", "7"]}))
                found.append(Target("donate", "POST", donate, DONATION_FIELDS))
            gift = {"donation_uuid": str(uuid.UUID(int=1))}
            for name in ("demo_checkout", "thanks", "cancelled"):
                found.append(Target("donate", "GET", reverse(f"donations:{name}", kwargs=gift), {}))
            checkout = reverse("donations:demo_checkout", kwargs=gift)
            found.append(Target("donate", "POST", checkout, CHECKOUT_FIELDS))
            for workshop in workshops:
                ids = {"page_id": workshop.pk}
                found.append(
                    Target("workshop", "GET", reverse("workshops:workshop_ics", kwargs=ids), {})
                )
                found.append(
                    Target(
                        "workshop",
                        "POST",
                        reverse("workshops:register", kwargs=ids),
                        REGISTRATION_FIELDS,
                    )
                )
    found += [
        Target("frame", "GET", "/", {}),
        Target("frame", "GET", "/sitemap.xml", {"p": ["2"], "section": ["pages"]}),
        Target("frame", "GET", "/robots.txt", {}),
        Target("open_data", "GET", "/open-data/campaigns.csv", {"lang": ["fr"]}),
        Target("open_data", "GET", "/open-data/campaigns.json", {"lang": ["fr"]}),
        Target("open_data", "GET", "/open-data/stats.json", {"year": ["2026"]}),
        Target("webhook", "POST", "/webhooks/stripe/", {"type": ["checkout.session.completed"]}),
        Target("api", "GET", "/api/v2/pages/", API_PAGE_PARAMS),
        Target("api", "GET", "/api/v2/pages/find/", {"html_path": ["/fr/campagnes/", "/"]}),
        Target("api", "GET", "/api/v2/images/", API_MEDIA_PARAMS),
        Target("api", "GET", "/api/v2/documents/", API_MEDIA_PARAMS),
    ]
    for page in pages[:: max(1, len(pages) // 12)]:
        found.append(Target("api", "GET", f"/api/v2/pages/{page.pk}/", API_PAGE_PARAMS))
    for campaign in campaigns:
        found.append(Target("embed", "GET", f"/embed/campaign/{campaign.pk}/", {"lang": ["ar"]}))
    for story in stories[:3]:
        found.append(Target("api", "GET", f"/api/v2/pages/{story.pk}/", {"fields": ["*"]}))
    return found


# How often each kind of route is picked (the demo has far more workshop routes than
# search routes, say: picking routes at random would hardly fuzz the search)
WEIGHTS = {
    "page": 18,
    "api": 20,
    "search": 7,
    "donate": 10,
    "workshop": 7,
    "registration": 3,
    "login": 5,
    "password_reset": 4,
    "embed": 4,
    "open_data": 5,
    "feed": 3,
    "calendar": 3,
    "frame": 4,
    "webhook": 2,
}


class Generator:
    """Malformed requests from ``targets``, reproducible from ``seed``."""

    def __init__(self, targets, seed=0):
        self.by_kind = {}
        for target in targets:
            self.by_kind.setdefault(target.kind, []).append(target)
        self.kinds = sorted(self.by_kind)
        self.weights = [WEIGHTS.get(kind, 1) for kind in self.kinds]
        self.random = random.Random(seed)

    def value(self, plausible):
        """A malformed value most of the time, else a plausible one, percent-encoded."""
        choice = self.random.random()
        if plausible and choice < 0.25:
            text = self.random.choice(plausible)
        elif choice < 0.35 and plausible:
            text = self.random.choice(plausible) + self.random.choice(MALFORMED)
        else:
            text = self.random.choice(MALFORMED)
        encoded = quote(text, safe="")
        if self.random.random() < 0.12:
            position = self.random.randint(0, len(encoded))
            encoded = encoded[:position] + self.random.choice(RAW_ESCAPES) + encoded[position:]
        return encoded

    def name(self, target):
        names = list(target.params)
        roll = self.random.random()
        if names and roll < 0.8:
            name = self.random.choice(names)
        else:
            name = self.random.choice(["x", "utm_source", "_", "format", "csrfmiddlewaretoken"])
        if self.random.random() < 0.08:
            name += self.random.choice(["[]", "[0]", "%00", "%C0%AF", "."])
        return name

    def pairs(self, target):
        pairs = []
        for _index in range(self.random.randint(1, 4)):
            name = self.name(target)
            plausible = target.params.get(name, [])
            pairs.append(f"{name}={self.value(plausible)}")
            if self.random.random() < 0.1:  # the same parameter again
                pairs.append(f"{name}={self.value(plausible)}")
        if self.random.random() < 0.05:
            pairs.append(self.random.choice(["", "=", "&", "a", "a=b=c", "%"]))
        return "&".join(pairs)

    def path(self, path):
        """Sometimes a malformed path: numbers swapped for huge or negative ones, a bad
        escape or a control character in a segment, an extra segment."""
        roll = self.random.random()
        if roll < 0.06:
            return "".join(
                self.random.choice([HUGE, "-1", "0", "9223372036854775808"])
                if part.isdigit()
                else part
                for part in _split_numbers(path)
            )
        if roll < 0.1:
            junk = self.random.choice(RAW_ESCAPES + ["%00", "%0D%0A", "..", "%2F%2F", quote("é")])
            return path.rstrip("/") + "/" + junk + "/"
        return path

    def request(self):
        (kind,) = self.random.choices(self.kinds, self.weights)
        target = self.random.choice(self.by_kind[kind])
        path = self.path(target.path)
        query = self.pairs(target)
        if target.method == "GET":
            return Request(target.kind, "GET", f"{path}?{query}")
        roll = self.random.random()
        if roll < 0.7:
            return Request(
                target.kind,
                "POST",
                path,
                query.encode("ascii"),
                "application/x-www-form-urlencoded",
            )
        if roll < 0.8:
            body = self.random.choice(['{"a":', "[1,2", "{}", "[]", '{"type": null}', "\x00"])
            return Request(target.kind, "POST", path, body.encode(), "application/json")
        if roll < 0.9:
            boundary = "fuzz"
            body = (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{self.name(target)}"\r\n\r\n'
                f"{self.random.choice(MALFORMED)[:200]}\r\n--{boundary}"
                + self.random.choice(["--\r\n", "\r\n", ""])
            )
            return Request(
                target.kind,
                "POST",
                path,
                body.encode("utf-8", "surrogatepass"),
                f"multipart/form-data; boundary={boundary}",
            )
        return Request(
            target.kind, "POST", f"{path}?{query}", b"\xff\xfe\x00junk", "text/plain; charset=utf-8"
        )

    def __iter__(self):
        while True:
            yield self.request()


def _split_numbers(path):
    """``path`` in pieces, digits apart: "/embed/campaign/21/" → "/embed/campaign/", "21", "/"."""
    pieces, current = [], ""
    for character in path:
        if current and character.isdigit() != current[-1].isdigit():
            pieces.append(current)
            current = ""
        current += character
    return pieces + [current]


ACCEPT_LANGUAGES = ["fr", "ar,en;q=0.5", "zh-hans", "xx-YY", "*", "", "fr;q=abc", "😀", "a" * 300]


def run(count, seed=0, client=None):
    """Send ``count`` malformed requests; return a Report (statuses, ≥ 500 with the request)."""
    client = client or Client(raise_request_exception=False)
    client.raise_request_exception = False
    routes = targets()
    for target in routes:
        # Kept: image renditions made on a page's first view (rolled back, they would be
        # made again at every request of the run); the other languages use the same images
        if target.kind == "page" and target.path.startswith("/fr/"):
            client.get(target.path)
    generator = Generator(routes, seed)
    noise = random.Random(seed + 1)
    report = Report()
    for request in generator:
        if report.requests >= count:
            break
        extra = {
            "REMOTE_ADDR": f"198.51.{noise.randint(0, 255)}.{noise.randint(1, 254)}",
            "HTTP_ACCEPT_LANGUAGE": noise.choice(ACCEPT_LANGUAGES),
        }
        if noise.random() < 0.05:
            extra["HTTP_COOKIE"] = noise.choice(
                ["sessionid=abcdefgh%00ijk", "django_language=xx", "csrftoken=\x00", "a=b; ; ="]
            )
        started = time.perf_counter()
        with transaction.atomic():
            response = client.generic(
                request.method,
                request.url,
                data=request.body,
                content_type=request.content_type or "application/octet-stream",
                **extra,
            )
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
        report.requests += 1
        report.kinds[request.kind] += 1
        report.seconds[request.kind] += time.perf_counter() - started
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            summary = f"{error[0].__name__}: {error[1]}"[:200] if error else ""
            report.failures.append((response.status_code, request, summary))
    return report
