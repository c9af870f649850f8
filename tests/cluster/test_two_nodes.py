"""Two app nodes on shared services (issue 15, scripts/cluster.py): real gunicorn processes
under the production settings behind haproxy, on the local PostgreSQL and Redis, media on S3
(moto's server), payments through the fake Stripe server; real HTTP only.

A gift made through node A is in the total node B shows at once (page and API, its cached page
purged through the shared cache); a photo uploaded through A is served through B (rendition
made by B from the original on S3, no location left in it); a sign-in on A holds on B, directly
and through the balancer. One cluster for the module (about a minute to start).

PostgreSQL only (two processes on one SQLite file is not what production runs): skipped on
SQLite with the reason; CI runs it in its PostgreSQL pass. Ports from CLUSTER_TEST_PORT
(default 8820, six in a row), Redis db 11 (CLUSTER_TEST_REDIS_URL; keys under a prefix of
the run), the database
<test database>_cluster (CLUSTER_TEST_DATABASE_URL), made afresh.
"""

import importlib.util
import io
import os
import re
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection

import boto3
import pytest
import requests
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
HTTPS = {"X-Forwarded-Proto": "https"}  # what the balancer tells a node

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the two-node cluster runs on PostgreSQL only: set DATABASE_URL to a PostgreSQL "
    "database (CI does, in its PostgreSQL pass)",
)


def cluster_script():
    spec = importlib.util.spec_from_file_location("cocity_cluster", ROOT / "scripts/cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missing(reason):
    """Fail in CI, where everything must be there; skip elsewhere, saying what is missing."""
    if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


def free_base_port(first, count=6):
    for base in range(first, first + 200, 10):
        try:
            for port in range(base, base + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no {count} free ports in a row from {first}")


def test_database_url():
    if os.environ.get("CLUSTER_TEST_DATABASE_URL"):
        return os.environ["CLUSTER_TEST_DATABASE_URL"]
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}_cluster"
    )


test_database_url.__test__ = False  # a helper, not a test


class Browser(requests.Session):
    """A client whose cookies go to the balancer (HTTPS) and to the nodes' own plain-HTTP
    ports alike, as one visitor's browser would send them to one site: the production
    settings mark them Secure, which only matters to the client."""

    def __init__(self, certificate):
        super().__init__()
        self.trust_env = False  # no proxy, and REQUESTS_CA_BUNDLE must not replace verify
        self.verify = str(certificate)

    def request(self, method, url, **kwargs):
        if url.startswith("http://"):
            kwargs["headers"] = {**HTTPS, **(kwargs.get("headers") or {})}
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        response = super().request(method, url, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response

    def post_form(self, base, path, data, files=None):
        """POST as the page at ``base + path`` would (CSRF: its Origin, the cookie's token)."""
        origin = f"https://{urlsplit(base).netloc}"
        return self.post(base + path, data=data, files=files, headers={"Origin": origin})


def form_fields(html, marker):
    """The name → value of every field of the form holding a field named ``marker``."""
    soup = BeautifulSoup(html, "html.parser")
    form = next(f for f in soup.find_all("form") if f.find(attrs={"name": marker}))
    fields = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("checkbox", "radio", "file"):
            continue
        if field.name == "select":
            option = field.find("option", selected=True) or field.find(
                "option", value=lambda value: value
            )
            fields[name] = option.get("value") if option else ""
        else:
            fields[name] = field.get("value") or field.text or ""
    return fields


@pytest.fixture(scope="module")
def cluster():
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        missing("haproxy is required for the two-node tests (apt-get install haproxy)")
    if importlib.util.find_spec("moto") is None:
        missing("moto[server] is required for the two-node tests (requirements-dev.txt)")
    redis_url = os.environ.get("CLUSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
    try:
        address = urlsplit(redis_url)
        with socket.create_connection((address.hostname, address.port or 6379), 2):
            pass
    except OSError:
        missing(f"Redis must answer at {redis_url} for the two-node tests")
    script = cluster_script()
    port = free_base_port(int(os.environ.get("CLUSTER_TEST_PORT", "8820")))
    database_url = test_database_url()
    with script.running_cluster(port, database_url, redis_url, workers=1, say=print) as running:
        yield running
    script.fresh_database(database_url, create=False)  # every process is stopped by now


@pytest.fixture(scope="module")
def campaign(cluster):
    """A campaign open to gifts, as the API of node B lists it."""
    answer = Browser(cluster.certificate).get(
        cluster.nodes["b"] + "/api/v2/pages/?type=campaigns.CampaignPage&locale=fr"
        "&fields=raised_cents,donor_count,donate_url,accepts_donations"
    )
    assert answer.status_code == 200
    return next(item for item in answer.json()["items"] if item["accepts_donations"])


def shown_total(html):
    """The euros the campaign page shows as raised (its give bar: "2 070 €")."""
    strong = BeautifulSoup(html, "html.parser").select_one(".give-bar__figures strong")
    return int(re.sub(r"\D", "", strong.text))


def test_the_balancer_spreads_requests_over_both_nodes(cluster):
    browser = Browser(cluster.certificate)
    served = {browser.get(cluster.url + "/healthz").headers["X-Cocity-Node"] for _ in range(4)}
    assert served == {"a", "b"}
    for name, url in cluster.nodes.items():
        assert browser.get(url + "/healthz").json()["cache"] == "ok", name


def test_a_gift_through_node_a_is_in_the_total_on_node_b_at_once(cluster, campaign):
    node_a, node_b = cluster.nodes["a"], cluster.nodes["b"]
    page = urlsplit(campaign["meta"]["html_url"]).path
    api = f"/api/v2/pages/{campaign['id']}/"
    reader = Browser(cluster.certificate)  # anonymous: served from the page cache
    before = reader.get(node_b + api).json()["raised_cents"]
    assert reader.get(node_b + page).status_code == 200
    warm = reader.get(node_b + page)
    assert warm.headers["X-Page-Cache"] == "hit"  # B would serve its cached copy
    assert shown_total(warm.text) * 100 == before

    donor = Browser(cluster.certificate)
    donate = urlsplit(campaign["donate_url"]).path
    form = donor.get(node_a + donate)
    assert form.status_code == 200
    fields = form_fields(form.text, "donor_email")
    fields.update(
        amount_choice="25", display="anonymous", donor_email="cluster@example.org", consent="on"
    )
    started = donor.post_form(node_a, donate, fields)
    assert started.status_code in (302, 303), started.text[:500]
    checkout = started.headers["Location"]
    assert checkout.startswith(cluster.stripe.url + "/pay/")
    session_id = checkout.rsplit("/", 1)[1]
    cluster.stripe.complete(session_id)
    event = cluster.stripe.event("checkout.session.completed", cluster.stripe.sessions[session_id])
    payload, signature = cluster.stripe.signed(event, cluster.webhook_secret)
    delivered = requests.post(
        node_a + "/webhooks/stripe/",
        data=payload,
        headers={**HTTPS, "Stripe-Signature": signature, "Content-Type": "application/json"},
        timeout=30,
    )
    assert delivered.status_code == 200, delivered.text[:500]

    # At once on node B: the page (its cached copy purged by A through the shared cache)
    after = reader.get(node_b + page)
    assert after.status_code == 200
    total = shown_total(after.text)
    assert total * 100 >= before + 2500  # 25 €, and the match funds' share if any
    detail = reader.get(node_b + api).json()
    assert detail["raised_cents"] == total * 100
    assert detail["donor_count"] == campaign["donor_count"] + 1
    # ... and through the balancer, whichever node answers
    for _ in range(2):
        answer = reader.get(cluster.url + page)
        assert shown_total(answer.text) == total, answer.headers["X-Cocity-Node"]


def jpeg_with_location():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (48.0, 52.0, 10.0)  # latitude of Belleville
    output = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 60)).save(output, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(output.getvalue())).getexif().get_ifd(0x8825)
    return output.getvalue()


def sign_in_admin(browser, node, password):
    form = browser.get(node + "/admin/login/")
    fields = {**form_fields(form.text, "username"), "username": "admin", "password": password}
    signed_in = browser.post_form(node, "/admin/login/", fields)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/admin/"


def test_a_photo_uploaded_through_node_a_is_served_through_node_b(cluster):
    node_a, node_b = cluster.nodes["a"], cluster.nodes["b"]
    staff = Browser(cluster.certificate)
    sign_in_admin(staff, node_a, cluster.admin_password)
    title = f"Cluster photo {time.time_ns()}"
    form = staff.get(node_a + "/admin/images/add/")
    fields = {**form_fields(form.text, "title"), "title": title}
    uploaded = staff.post_form(
        node_a,
        "/admin/images/add/",
        fields,
        files={"file": ("jardin.jpg", jpeg_with_location(), "image/jpeg")},
    )
    assert uploaded.status_code == 302, uploaded.text[:500]

    # Node B finds it, makes its admin rendition from the original on S3, links it on S3
    listing = staff.get(node_b + "/admin/images/", params={"q": title})
    image_id = re.search(r"/admin/images/(\d+)/", listing.text).group(1)
    edit = staff.get(f"{node_b}/admin/images/{image_id}/")
    assert edit.status_code == 200
    media = f"{cluster.s3_url}/{cluster.bucket}/"
    renditions = re.findall(rf'src="({re.escape(media)}images/[^"]+)"', edit.text)
    assert renditions, "no rendition on S3 in the edit page of node B"
    rendition = requests.get(renditions[0], timeout=10)
    assert rendition.status_code == 200
    assert rendition.headers["Content-Type"].startswith("image/")
    Image.open(io.BytesIO(rendition.content)).verify()

    # The original: on S3 (the newest one there), under a random name, without location
    bucket = boto3.client(
        "s3",
        endpoint_url=cluster.s3_url,
        aws_access_key_id=cluster.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=cluster.env["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    listed = bucket.list_objects_v2(Bucket=cluster.bucket, Prefix="original_images/")
    newest = max(listed["Contents"], key=lambda item: item["LastModified"])["Key"]
    assert re.fullmatch(r"original_images/[0-9a-f]{32}\.jpg", newest)
    assert newest.removeprefix("original_images/")[:-4] in renditions[0]  # its rendition
    original_url = media + newest
    original = requests.get(original_url, timeout=10)
    assert original.status_code == 200
    picture = Image.open(io.BytesIO(original.content))
    assert picture.size == (640, 480)
    assert not picture.getexif() and "exif" not in picture.info


@pytest.fixture(scope="module")
def leader(cluster):
    """Awa (a demo project leader), signed in to the leaders' space on node A."""
    node_a = cluster.nodes["a"]
    browser = Browser(cluster.certificate)
    form = browser.get(node_a + "/fr/space/login/")
    fields = {
        **form_fields(form.text, "username"),
        "username": "awa",
        "password": "cocity-demo-leader",
    }
    signed_in = browser.post_form(node_a, "/fr/space/login/", fields)
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert "sessionid" in browser.cookies
    return browser


def test_signed_in_on_node_a_stays_signed_in_on_node_b(cluster, leader):
    node_a, node_b = cluster.nodes["a"], cluster.nodes["b"]
    space = leader.get(node_b + "/fr/space/")
    assert space.status_code == 200
    assert 'action="/fr/space/login/"' not in space.text
    served = set()
    for _ in range(4):  # through the balancer, round robin
        answer = leader.get(cluster.url + "/fr/space/")
        assert answer.status_code == 200
        assert 'action="/fr/space/login/"' not in answer.text
        served.add(answer.headers["X-Cocity-Node"])
    assert served == {"a", "b"}
    # without the cookie, either node shows the sign-in form
    stranger = Browser(cluster.certificate)
    for node in (node_a, node_b):
        answer = stranger.get(node + "/fr/space/")
        assert answer.status_code == 302 or 'action="/fr/space/login/"' in answer.text


def test_a_private_photo_uploaded_through_node_a_is_shown_through_node_b_to_its_owner_only(
    cluster, leader
):
    node_a, node_b = cluster.nodes["a"], cluster.nodes["b"]
    form = leader.get(node_a + "/fr/space/stories/new/")
    assert form.status_code == 200
    fields = {**form_fields(form.text, "alt_1"), "add_photo": "1", "alt_1": "Des bacs"}
    added = leader.post_form(
        node_a,
        "/fr/space/stories/new/",
        fields,
        files={"photo_1": ("bacs.jpg", jpeg_with_location(), "image/jpeg")},
    )
    assert added.status_code == 200, added.text[:500]
    # the private view's address (home/images.py: names under private/ never get a media URL)
    shown = re.findall(r'src="([^"]*/space/photos/[^"]+)"', added.text)
    assert shown, re.findall(r"<img[^>]*>", added.text)
    assert not re.findall(rf'src="{re.escape(cluster.s3_url)}[^"]*/private/', added.text)

    photo = leader.get(node_b + urlsplit(shown[0]).path)  # node B reads it from S3
    assert photo.status_code == 200
    assert photo.headers["Content-Type"].startswith("image/")
    assert "no-store" in photo.headers["Cache-Control"]
    assert not Image.open(io.BytesIO(photo.content)).getexif()
    stranger = Browser(cluster.certificate)
    assert stranger.get(node_b + urlsplit(shown[0]).path).status_code == 404


def test_node_b_draws_a_poster_with_the_campaign_photo_from_s3(cluster, campaign):
    answer = Browser(cluster.certificate).get(
        f"{cluster.nodes['b']}/campaign-poster/fr/{campaign['id']}.pdf"
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(answer.content)).pages[0]
    images = [
        item.get_object()
        for item in page["/Resources"].get("/XObject", {}).values()
        if item.get_object()["/Subtype"] == "/Image"
    ]
    assert any(image["/Width"] >= 480 for image in images), "the photo is missing"
