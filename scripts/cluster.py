"""Two app nodes on shared services, for a local trial (`make cluster`) and tests/cluster/.

One command starts, from Debian and PyPI packages only and on loopback only:

- PostgreSQL: the local server, a database of its own, made afresh (CLUSTER_DATABASE_URL,
  default postgres://postgres@127.0.0.1:5432/cocity_cluster); migrated, the demo built and the
  static files collected once, before the nodes start;
- Redis: the local server, a database number of its own (CLUSTER_REDIS_URL, default
  redis://127.0.0.1:6379/12) and a key prefix new for each run, so nothing is emptied and a
  run never sees another's pages: the shared cache (page cache, rate limits);
- S3: moto's server mode (`python -m moto.server`) with a bucket for the uploaded media
  (cocity/storage.py), the demo's images included;
- Stripe: the fake Stripe server of the tests (tests/fakes/stripe_server.py): its checkout page
  has Pay / Pay later / Cancel buttons, no real payment is ever taken; and a mail sink (SMTP);
- node A and node B: gunicorn with the project's gunicorn.conf.py and the production settings,
  the same SECRET_KEY, database, cache and bucket;
- the load balancer: haproxy in the foreground, its configuration in a temporary folder,
  terminating TLS with a self-signed certificate made for 127.0.0.1 (the production settings
  send cookies over HTTPS only), round robin between the nodes, each answer naming its node
  in an ``X-Cocity-Node`` header.

Ports: the balancer on PORT (default 8800), node A on PORT+1, node B on PORT+2, moto on PORT+3,
the fake Stripe server on PORT+4, the mail sink on PORT+5. Ctrl-C stops everything.

Tests use :func:`running_cluster`, a context manager that yields a :class:`Cluster` (its URLs,
environment, the fake Stripe server) and stops every process when it ends.
"""

import argparse
import contextlib
import datetime
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BUCKET = "cocity-media"
S3_KEY, S3_SECRET = "cluster-key", "cluster-secret"  # moto accepts any credentials
STRIPE_KEY, WEBHOOK_SECRET = "sk_test_cluster", "whsec_cluster"
DEMO_ADMIN_PASSWORD = "cocity-cluster-admin"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cocity_cluster"
REDIS_URL = "redis://127.0.0.1:6379/12"
# Only the public media may be read straight from the bucket: originals and renditions of
# published images. private/ (and documents, served by Wagtail's checking view) are not.
PUBLIC_PREFIXES = ("original_images/", "images/")


@dataclass
class Cluster:
    url: str  # the load balancer, https://127.0.0.1:PORT
    nodes: dict  # {"a": "http://127.0.0.1:PORT+1", "b": …}
    s3_url: str
    bucket: str
    certificate: Path  # the balancer's self-signed certificate (requests: verify=)
    env: dict  # the nodes' environment (manage.py commands on the same services)
    folder: Path  # configuration and logs
    stripe: object  # tests.fakes.stripe_server.FakeStripe
    webhook_secret: str = WEBHOOK_SECRET
    admin_password: str = DEMO_ADMIN_PASSWORD
    processes: dict = field(default_factory=dict)

    def manage(self, *arguments):
        """Run a manage.py command on the cluster's services; return its output."""
        return subprocess.run(
            [PYTHON, "manage.py", *arguments],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout


# --- services -----------------------------------------------------------------------------


def fresh_database(url, create=True):
    """Drop the PostgreSQL database named by ``url`` and (``create``) make it again, empty."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or not name.isidentifier():
        raise SystemExit(f"A PostgreSQL database URL with a plain name is needed, not {url!r}.")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def check_redis(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis does not answer at {url}: {error}") from None


def self_signed_certificate(folder):
    """A key and a certificate for 127.0.0.1 and localhost, valid two days, as one PEM file
    (haproxy's format); returns (pem with key, certificate only)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Co-city local cluster")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "balancer.pem").write_bytes(cert_pem + key_pem)
    (folder / "certificate.pem").write_bytes(cert_pem)
    return folder / "balancer.pem", folder / "certificate.pem"


def haproxy_config(port, nodes, pem):
    servers = "\n".join(
        f"    server {name} {urlsplit(url).netloc} check inter 1s fall 2 rise 1"
        for name, url in nodes.items()
    )
    return f"""# Generated by scripts/cluster.py: the local trial's load balancer.
global
    maxconn 512
    ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option forwardfor
    option http-server-close
    # A node that refuses the connection (killed, restarting): try again, on the other node
    retries 3
    option redispatch
    # A node slow under load is not taken for dead (its health check has 5 s)
    timeout check 5s

frontend cocity
    bind 127.0.0.1:{port} ssl crt {pem}
    # The site behind TLS, as in production (SECURE_PROXY_SSL_HEADER)
    http-request set-header X-Forwarded-Proto https
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz?require=database ver HTTP/1.1 hdr Host 127.0.0.1
    http-response set-header X-Cocity-Node %[srv_name]
{servers}
"""


def wait_for_port(port, process=None, seconds=60, name="process"):
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{name} stopped (exit {process.returncode}); see its log")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not listen on 127.0.0.1:{port} in {seconds} s")
        time.sleep(0.2)


def wait_for_health(url, process, name, seconds=90):
    """Wait until ``url``/healthz answers 200 (database and cache ok)."""
    import requests

    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped (exit {process.returncode}); see its log")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} is not healthy after {seconds} s; see its log")
        time.sleep(0.3)


def start(name, command, env, folder):
    """Start ``command`` in its own process group, its output in ``folder/<name>.log``."""
    with open(folder / f"{name}.log", "ab") as log:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process, seconds=15):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def make_bucket(s3_url):
    """The media bucket, and the policy a real one needs: public read of the public media."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_url,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(bucket_policy(BUCKET)))


def bucket_policy(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicMedia",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_PREFIXES],
            }
        ],
    }


def node_environment(*, port, database_url, redis_url, s3_url, stripe_url, smtp_port, workers):
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "PAYMENT_BACKEND", "SENTRY_DSN"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="cocity.settings.production",
        PYTHONPATH=str(ROOT),
        # The same secret on every node: sessions, CSRF tokens and signed links work on both
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"cluster-{secrets.token_hex(4)}",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_url,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID=S3_KEY,
        AWS_SECRET_ACCESS_KEY=S3_SECRET,
        STRIPE_SECRET_KEY=STRIPE_KEY,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=stripe_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        WAGTAILADMIN_BASE_URL=f"https://127.0.0.1:{port}",
        # load_demo names the balancer's address in the demo's Site
        HOST="127.0.0.1",
        PORT=str(port),
        DEMO_ADMIN_PASSWORD=DEMO_ADMIN_PASSWORD,
        GUNICORN_WORKERS=str(workers),
        GUNICORN_THREADS="2",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        RATE_LIMIT_PROXY_HOPS="1",
    )
    return env


@contextlib.contextmanager
def running_cluster(
    port=8800, database_url=DATABASE_URL, redis_url=REDIS_URL, workers=2, say=lambda text: None
):
    """Start everything (see the module docstring); yield a :class:`Cluster`; stop it all."""
    sys.path.insert(0, str(ROOT))
    from tests.fakes.smtp_sink import SMTPSink
    from tests.fakes.stripe_server import FakeStripe

    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    folder = Path(tempfile.mkdtemp(prefix="cocity-cluster-"))
    node_ports = {"a": port + 1, "b": port + 2}
    s3_port, stripe_port, smtp_port = port + 3, port + 4, port + 5
    s3_url = f"http://127.0.0.1:{s3_port}"
    processes = {}
    began = time.monotonic()
    stripe = FakeStripe()
    stripe._port = stripe_port
    smtp = collect = None
    try:
        say(f"Services: PostgreSQL {database_url} (made afresh), Redis {redis_url}")
        fresh_database(database_url)
        check_redis(redis_url)
        smtp = SMTPSink(port=smtp_port).start()
        stripe.start()
        processes["s3"] = start(
            "s3",
            [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
            {**os.environ, "MOTO_PORT": str(s3_port)},
            folder,
        )
        wait_for_port(s3_port, processes["s3"], name="moto (S3)")
        make_bucket(s3_url)
        env = node_environment(
            port=port,
            database_url=database_url,
            redis_url=redis_url,
            s3_url=s3_url,
            stripe_url=stripe.url,
            smtp_port=smtp_port,
            workers=workers,
        )
        say(f"Once: migrate, load_demo, collectstatic (logs in {folder})")
        # collectstatic needs no database: side by side with the rest
        collect = start(
            "collectstatic", [PYTHON, "manage.py", "collectstatic", "--no-input"], env, folder
        )
        with open(folder / "prepare.log", "ab") as log:
            for command in (("migrate", "--no-input"), ("load_demo",)):
                started = time.monotonic()
                subprocess.run(
                    [PYTHON, "manage.py", *command],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                say(f"  {command[0]}: {time.monotonic() - started:.0f} s")
        if collect.wait() != 0:
            raise RuntimeError(f"collectstatic failed; see {folder / 'collectstatic.log'}")
        nodes = {}
        for name, node_port in node_ports.items():
            nodes[name] = f"http://127.0.0.1:{node_port}"
            processes[name] = start(
                f"node-{name}",
                [str(Path(PYTHON).parent / "gunicorn"), "-c", "gunicorn.conf.py", "cocity.wsgi"],
                {**env, "GUNICORN_BIND": f"127.0.0.1:{node_port}"},
                folder,
            )
        for name, url in nodes.items():
            wait_for_health(url, processes[name], f"node {name.upper()}")
        pem, certificate = self_signed_certificate(folder)
        (folder / "haproxy.cfg").write_text(haproxy_config(port, nodes, pem))
        processes["balancer"] = start(
            "balancer", [haproxy, "-db", "-f", str(folder / "haproxy.cfg")], env, folder
        )
        wait_for_port(port, processes["balancer"], name="haproxy")
        cluster = Cluster(
            url=f"https://127.0.0.1:{port}",
            nodes=nodes,
            s3_url=s3_url,
            bucket=BUCKET,
            certificate=certificate,
            env=env,
            folder=folder,
            stripe=stripe,
            processes=processes,
        )
        wait_until_balanced(cluster)
        say(f"Ready in {time.monotonic() - began:.0f} s")
        yield cluster
    finally:
        for process in (processes.get(name) for name in ("balancer", "a", "b", "s3")):
            if process is not None:
                stop(process)
        if collect is not None:
            stop(collect)
        stripe.stop()
        if smtp is not None:
            smtp.stop()


def wait_until_balanced(cluster, seconds=30):
    """Wait until the balancer has seen both nodes healthy (its checks run every second)."""
    import requests

    seen, deadline = set(), time.monotonic() + seconds
    while seen != set(cluster.nodes):
        if time.monotonic() > deadline:
            raise RuntimeError(f"The balancer reached only {sorted(seen)} in {seconds} s")
        with contextlib.suppress(requests.RequestException):
            answer = requests.get(f"{cluster.url}/healthz", verify=cluster.certificate, timeout=5)
            if answer.status_code == 200:
                seen.add(answer.headers.get("X-Cocity-Node"))
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", "8800")))
    parser.add_argument(
        "--database-url", default=os.environ.get("CLUSTER_DATABASE_URL", DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("CLUSTER_REDIS_URL", REDIS_URL))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    arguments = parser.parse_args()

    def say(text):
        print(text, flush=True)

    # Ctrl-C stops everything, even when started from a shell that ignores SIGINT in the
    # background; SIGTERM too
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with running_cluster(
            arguments.port, arguments.database_url, arguments.redis_url, arguments.workers, say
        ) as cluster:
            say(
                f"""
Co-city on two nodes: {cluster.url}/  (self-signed certificate: accept it once)
  node A {cluster.nodes["a"]}, node B {cluster.nodes["b"]} (HTTP, behind the balancer)
  media on S3 (moto) {cluster.s3_url}/{cluster.bucket}/, fake Stripe {cluster.stripe.url}
  admin: {cluster.url}/admin/  admin / {cluster.admin_password}
  each answer names its node in the X-Cocity-Node header; logs in {cluster.folder}
Ctrl-C stops everything."""
            )
            while all(process.poll() is None for process in cluster.processes.values()):
                time.sleep(0.5)
            stopped = [name for name, p in cluster.processes.items() if p.poll() is not None]
            say(f"Stopped: {', '.join(stopped)}; see the logs in {cluster.folder}")
            return 1
    except KeyboardInterrupt:
        say("\nStopping…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
