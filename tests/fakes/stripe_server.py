"""A fake Stripe API on loopback, for tests that drive the real ``stripe`` SDK.

Covers what the site uses: Checkout Sessions (create, retrieve, expire), PaymentIntents and
Charges (retrieve), Disputes (list by charge, retrieve), Refunds (create), idempotency keys,
``expand``, signed webhook events, and injected failures (``fail_next``, ``fail_after_refunds``).
Standard library only; one daemon thread; all state behind one lock.

A conftest would use it like this::

    import stripe
    import pytest
    from tests.fakes.stripe_server import FakeStripe

    @pytest.fixture
    def stripe_server(settings):
        with FakeStripe() as server:
            settings.STRIPE_API_BASE = server.url
            settings.STRIPE_SECRET_KEY = "sk_test_fake"
            yield server

    client = stripe.StripeClient(
        "sk_test_fake",
        base_addresses={"api": server.url},
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=2),
    )
    session = client.v1.checkout.sessions.create(params={...}, options={"idempotency_key": "k"})
    server.complete(session.id)                      # the donor paid
    payload, header = server.signed(server.event("checkout.session.completed",
                                                 server.sessions[session.id]), "whsec_test")
    server.fail_next("timeout")                      # or "500", "disconnect"

``session.url`` (``<server.url>/pay/<id>``) is a tiny page with Pay / Pay later / Cancel buttons
that redirect to ``success_url`` (``{CHECKOUT_SESSION_ID}`` filled in) or ``cancel_url``.
"""

import copy
import html
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import stripe

try:  # the SDK's own list of Checkout Session parameters, to reject unknown ones like Stripe
    from stripe._request_options import RequestOptions
    from stripe.params.checkout._session_create_params import SessionCreateParams

    SESSION_PARAMS = set(SessionCreateParams.__annotations__) - set(RequestOptions.__annotations__)
    LOCALES = set(re.findall(r"'([^']+)'", repr(SessionCreateParams.__annotations__["locale"])))
except (ImportError, KeyError):  # pragma: no cover - another SDK layout: skip those checks
    SESSION_PARAMS, LOCALES = set(), set()

# "lost": the request is carried out, but its answer never reaches the client
FAILURE_MODES = ("500", "timeout", "disconnect", "lost")
RETRIEVABLE = {
    "checkout/sessions": "checkout.session",
    "payment_intents": "payment_intent",
    "charges": "charge",
    "disputes": "dispute",
    "refunds": "refund",
}
_REFUNDS = ("POST", "/v1/refunds")
MINIMUM_AMOUNT = 50  # Stripe's minimum charge in eur/usd cents


class StripeFakeError(ValueError):
    """A Stripe-shaped error; the server answers it, the test controls raise it."""

    def __init__(self, status, message, param=None, type="invalid_request_error", code=None):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type, "message": message, "param": param, "code": code}}


def new_id(prefix):
    return f"{prefix}_{secrets.token_hex(12)}"


def parse_form(text):
    """``a[b][0][c]=1`` (how the SDK encodes params) → ``{"a": {"b": [{"c": "1"}]}}``."""
    root = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        parts = [key.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", key)]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise StripeFakeError(400, f"Invalid array or object: {key}", key)
        node[parts[-1]] = value
    return _listify(root)


def _listify(node, key=None):
    if not isinstance(node, dict):
        return node
    node = {k: _listify(v, k) for k, v in node.items()}
    if key != "metadata" and node and all(k.isdigit() for k in node):
        return [node[k] for k in sorted(node, key=int)]
    return node


def _integer(value, param, minimum=0):
    if value is None or value == "":
        raise StripeFakeError(400, f"Missing required param: {param}.", param)
    if not re.fullmatch(r"\d+", str(value)) or int(value) < minimum:
        raise StripeFakeError(400, f"Invalid integer: {value}", param)
    return int(value)


def _check_metadata(metadata, param):
    if not isinstance(metadata, dict):
        raise StripeFakeError(400, "Invalid object", param)
    if len(metadata) > 50:
        raise StripeFakeError(400, "Metadata can have up to 50 keys.", param)
    for key, value in metadata.items():
        if len(key) > 40 or len(value) > 500:
            raise StripeFakeError(400, f"Metadata key or value too long: {key}", f"{param}[{key}]")
    return metadata


class _Handler(BaseHTTPRequestHandler):
    fake = None  # set per server by FakeStripe.start()
    protocol_version = "HTTP/1.0"  # one request per connection: nothing pooled across a stop()

    def do_GET(self):
        self.fake._handle(self)

    do_POST = do_DELETE = do_GET

    def log_message(self, *args):
        pass


class FakeStripe:
    """The fake server; see the module docstring."""

    api_key_prefix = "sk_test_"

    def __init__(self, hold_seconds=5.0):
        self.hold_seconds = hold_seconds  # how long a "timeout" failure holds the connection
        self.url = None
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._httpd = self._thread = None
        self._port = 0
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self):
        """Listen on 127.0.0.1 (the same port again after a stop(), if it is still free)."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self._port}"
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        """Stop listening: from now on connections are refused. State is kept."""
        if self._httpd:
            self._stopping.set()  # ends a held "timeout" connection early
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(5)
            self._httpd = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reset(self):
        with self._lock:
            self._objects = {}  # id → session / payment intent / charge
            self._session_params = {}  # session id → create params
            self._idempotency = {}  # key → (method, path, params, response)
            self._failures = []
            self._requests = []
            self._refund_failure = None  # see fail_after_refunds()

    # -- what tests look at ------------------------------------------------------------------
    def _of_type(self, kind):
        with self._lock:
            return {k: copy.deepcopy(v) for k, v in self._objects.items() if v["object"] == kind}

    @property
    def sessions(self):
        return self._of_type("checkout.session")

    @property
    def payment_intents(self):
        return self._of_type("payment_intent")

    @property
    def charges(self):
        return self._of_type("charge")

    @property
    def disputes(self):
        return self._of_type("dispute")

    @property
    def requests(self):
        """API requests received: (method, path, params, headers), oldest first."""
        with self._lock:
            return copy.deepcopy(self._requests)

    # -- test controls -----------------------------------------------------------------------
    def fail_next(self, mode, times=1):
        """Make the next ``times`` API requests fail: "500", "timeout" or "disconnect"."""
        if mode not in FAILURE_MODES:
            raise ValueError(f"mode must be one of {FAILURE_MODES}")
        with self._lock:
            self._failures.extend([mode] * times)

    def complete(self, session_id, paid=True):
        """The customer finished checkout; ``paid=False``: an asynchronous method is pending."""
        with self._lock:
            session = self._get(session_id, "checkout.session")
            if session["status"] != "open":
                raise StripeFakeError(400, f"Session {session_id} is {session['status']}")
            now, pi_id, ch_id = int(time.time()), new_id("pi_test"), new_id("ch_test")
            amount, currency = session["amount_total"], session["currency"]
            pi_data = self._session_params[session_id].get("payment_intent_data", {})
            self._objects[ch_id] = {
                "id": ch_id, "object": "charge", "amount": amount, "amount_refunded": 0,
                "refunded": False, "currency": currency, "paid": paid, "payment_intent": pi_id,
                "disputed": False,
                "status": "succeeded" if paid else "pending", "metadata": {}, "created": now,
                "livemode": False,
            }  # fmt: skip
            self._objects[pi_id] = {
                "id": pi_id, "object": "payment_intent", "amount": amount, "currency": currency,
                "amount_received": amount if paid else 0, "latest_charge": ch_id,
                "status": "succeeded" if paid else "processing", "created": now,
                "metadata": copy.deepcopy(pi_data.get("metadata", {})), "livemode": False,
            }  # fmt: skip
            session.update(
                status="complete",
                payment_status="paid" if paid else "unpaid",
                payment_intent=pi_id,
                customer_details={"email": session["customer_email"]},
            )
            return copy.deepcopy(session)

    def async_result(self, session_id, succeeded):
        """The pending asynchronous payment of a completed session succeeded or failed."""
        with self._lock:
            session = self._get(session_id, "checkout.session")
            pi = self._objects.get(session["payment_intent"])
            if not pi or pi["status"] != "processing":
                raise StripeFakeError(400, f"Session {session_id} has no pending payment")
            charge = self._objects[pi["latest_charge"]]
            if succeeded:
                session["payment_status"] = "paid"
                pi.update(status="succeeded", amount_received=pi["amount"])
                charge.update(status="succeeded", paid=True)
            else:
                pi["status"] = "requires_payment_method"
                charge["status"] = "failed"
            return copy.deepcopy(session)

    def expire(self, session_id):
        with self._lock:
            session = self._get(session_id, "checkout.session")
            if session["status"] != "open":
                message = 'Only Checkout Sessions with a status in ["open"] can be expired.'
                raise StripeFakeError(400, message, "session")
            session["status"] = "expired"
            return copy.deepcopy(session)

    def refund(self, session_id, amount=None):
        """Refund (part of) a paid session's charge; returns the charge (cumulative refunds)."""
        with self._lock:
            pi = self._objects.get(self._get(session_id, "checkout.session")["payment_intent"])
            charge = self._objects[pi["latest_charge"]] if pi else None
            if not charge or charge["status"] != "succeeded":
                raise StripeFakeError(400, f"Session {session_id} has no succeeded charge")
            left = charge["amount"] - charge["amount_refunded"]
            amount = left if amount is None else amount
            if not 0 < amount <= left:
                raise StripeFakeError(400, f"Refund amount {amount} is not within 1..{left}")
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            return copy.deepcopy(charge)

    def dispute(
        self, session_or_payment_intent, status="needs_response", amount=None, reason="fraudulent"
    ):
        """The cardholder disputes a paid charge (of a session or a payment intent): the
        charge becomes ``disputed``; returns the dispute (``amount`` default: the charge's)."""
        with self._lock:
            pi_id = session_or_payment_intent
            if self._objects.get(pi_id, {}).get("object") == "checkout.session":
                pi_id = self._objects[pi_id]["payment_intent"]
            pi = self._get(pi_id, "payment_intent")
            charge = self._objects[pi["latest_charge"]]
            if charge["status"] != "succeeded":
                raise StripeFakeError(400, f"Payment {pi_id} has no succeeded charge")
            dp_id = new_id("dp_test")
            self._objects[dp_id] = {
                "id": dp_id, "object": "dispute", "amount": charge["amount"] if amount is None
                else amount, "currency": charge["currency"], "charge": charge["id"],
                "payment_intent": pi_id, "reason": reason, "status": status,
                "created": int(time.time()), "is_charge_refundable": False, "metadata": {},
                "livemode": False,
            }  # fmt: skip
            charge["disputed"] = True
            return copy.deepcopy(self._objects[dp_id])

    def close_dispute(self, dispute_id, won=False):
        """The bank decided: the dispute is ``won`` or lost; returns it."""
        with self._lock:
            dispute = self._get(dispute_id, "dispute")
            dispute["status"] = "won" if won else "lost"
            return copy.deepcopy(dispute)

    def _list_disputes(self, params):
        """``GET /v1/disputes`` filtered by ``charge`` / ``payment_intent``, newest first."""
        limit = _integer(params.get("limit", "10"), "limit", minimum=1)
        with self._lock:
            found = [
                copy.deepcopy(obj)
                for obj in self._objects.values()
                if obj["object"] == "dispute"
                and all(obj[name] == params[name] for name in ("charge", "payment_intent")
                        if name in params)
            ]  # fmt: skip
        found.sort(key=lambda obj: obj["created"], reverse=True)
        return {
            "object": "list", "url": "/v1/disputes", "has_more": len(found) > limit,
            "data": found[:limit],
        }  # fmt: skip

    # -- refunds (Refund API) ----------------------------------------------------------------
    @property
    def refunds(self):
        """Refunds created through ``POST /v1/refunds`` (an idempotent replay creates none)."""
        return self._of_type("refund")

    @property
    def refund_calls(self):
        """How many ``POST /v1/refunds`` requests arrived (replays and failures included)."""
        with self._lock:
            return sum(1 for method, path, *_ in self._requests if (method, path) == _REFUNDS)

    def fail_after_refunds(self, count, mode="500"):
        """Once ``count`` refunds exist, the next ``POST /v1/refunds`` fails as ``mode`` (one
        of FAILURE_MODES; "lost": the refund is made but its answer never arrives)."""
        if mode not in FAILURE_MODES:
            raise ValueError(f"mode must be one of {FAILURE_MODES}")
        with self._lock:
            self._refund_failure = (count, mode)

    def _refund_failure_now(self, method, path):
        """The failure mode the current request gets from fail_after_refunds, or None."""
        if (method, path) != _REFUNDS or self._refund_failure is None:
            return None
        count, mode = self._refund_failure
        if len(self.refunds) < count:
            return None
        self._refund_failure = None
        return mode

    def _create_refund(self, params):
        """``POST /v1/refunds``: refund (part of) a payment intent's succeeded charge."""
        unknown = sorted(set(params) - {"payment_intent", "charge", "amount", "reason", "metadata"})
        if unknown:
            raise StripeFakeError(400, f"Received unknown parameter: {unknown[0]}", unknown[0])
        with self._lock:
            if params.get("charge"):
                charge = self._get(params["charge"], "charge")
            elif params.get("payment_intent"):
                pi = self._get(params["payment_intent"], "payment_intent")
                charge = self._objects.get(pi["latest_charge"])
            else:
                raise StripeFakeError(400, "One of `charge` or `payment_intent` is required.")
            if not charge or charge["status"] != "succeeded":
                message = "This PaymentIntent does not have a successful charge to refund."
                raise StripeFakeError(400, message, "payment_intent", code="charge_not_refundable")
            left = charge["amount"] - charge["amount_refunded"]
            if left == 0:
                message = f"Charge {charge['id']} has already been refunded."
                raise StripeFakeError(400, message, "charge", code="charge_already_refunded")
            amount = left if params.get("amount") is None else _integer(params["amount"], "amount")
            if not 0 < amount <= left:
                message = f"Refund amount ({amount}) is greater than unrefunded amount ({left})."
                raise StripeFakeError(400, message, "amount", code="amount_too_large")
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount"]
            re_id = new_id("re_test")
            self._objects[re_id] = {
                "id": re_id, "object": "refund", "amount": amount, "currency": charge["currency"],
                "charge": charge["id"], "payment_intent": charge["payment_intent"],
                "status": "succeeded", "reason": params.get("reason"),
                "metadata": _check_metadata(params.get("metadata", {}), "metadata"),
                "created": int(time.time()),
            }  # fmt: skip
            return copy.deepcopy(self._objects[re_id])

    def event(self, type, obj):
        """A Stripe event wrapping (a copy of) ``obj``."""
        return {
            "id": new_id("evt"), "object": "event", "type": type, "created": int(time.time()),
            "livemode": False, "api_version": stripe.api_version, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": copy.deepcopy(obj)},
        }  # fmt: skip

    @staticmethod
    def signed(event, secret, timestamp=None):
        """(payload bytes, Stripe-Signature header) as Stripe would POST them to a webhook."""
        payload = json.dumps(event).encode()
        header = stripe.WebhookSignature.generate_signature_header(
            payload=payload.decode(), secret=secret, timestamp=timestamp or int(time.time())
        )
        return payload, header

    # -- HTTP --------------------------------------------------------------------------------
    def _get(self, object_id, kind):
        obj = self._objects.get(object_id)
        if not obj or obj["object"] != kind:
            message = f"No such {kind}: '{object_id}'"
            raise StripeFakeError(404, message, "id", code="resource_missing")
        return obj

    def _handle(self, handler):
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        extra, failure = {}, None
        try:
            params = parse_form(body if handler.command == "POST" else url.query)
            if url.path.startswith("/pay/"):
                return self._checkout_page(handler, url.path)
            with self._lock:
                self._requests.append((handler.command, url.path, params, dict(handler.headers)))
                failure = self._failures.pop(0) if self._failures else None
                failure = failure or self._refund_failure_now(handler.command, url.path)
            if failure == "500":
                raise StripeFakeError(500, "Injected failure (fake Stripe).", type="api_error")
            if failure == "lost":
                self._api(handler.command, url.path, params, handler)
                handler.close_connection = True
                return
            if failure:  # "timeout" holds the connection first; both close it without answering
                if failure == "timeout":
                    self._stopping.wait(self.hold_seconds)
                handler.close_connection = True
                return
            status, payload, extra = 200, *self._api(handler.command, url.path, params, handler)
        except StripeFakeError as error:
            status, payload = error.status, error.body
        except Exception as error:  # a bug in the fake: answer it rather than hang the client
            status, payload = 500, {"error": {"type": "api_error", "message": repr(error)}}
        self._send(handler, status, json.dumps(payload), "application/json", extra)

    def _api(self, method, path, params, handler):
        if not handler.headers.get("Authorization", "").startswith(f"Bearer {self.api_key_prefix}"):
            raise StripeFakeError(401, "Invalid API Key provided.")
        key = handler.headers.get("Idempotency-Key") if method == "POST" else None
        with self._lock:
            if key in self._idempotency:
                *request, response = self._idempotency[key]
                if request != [method, path, params]:
                    raise StripeFakeError(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters "
                        f"they were first used with. Try using a key other than '{key}' if you "
                        "meant to execute a different request.",
                        type="idempotency_error",
                    )
                return copy.deepcopy(response), {"Idempotent-Replayed": "true"}
            response = self._route(method, path, params)
            if key:
                self._idempotency[key] = (method, path, params, copy.deepcopy(response))
            return response, {}

    def _route(self, method, path, params):
        parts = path.strip("/").split("/")
        if method == "GET" and parts == ["v1", "disputes"]:
            return self._list_disputes(params)
        if method == "POST" and parts == ["v1", "checkout", "sessions"]:
            return self._create_session(params)
        expire = ["v1", "checkout", "sessions", parts[3] if len(parts) == 5 else "", "expire"]
        if method == "POST" and parts == expire:
            return self.expire(parts[3])
        if method == "POST" and parts == ["v1", "refunds"]:
            return self._create_refund(params)
        kind = RETRIEVABLE.get("/".join(parts[1:-1]))
        if method == "GET" and parts[0] == "v1" and kind:
            return self._expand(copy.deepcopy(self._get(parts[-1], kind)), params.get("expand"))
        raise StripeFakeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _expand(self, obj, paths):
        """Replace ids by their objects along each dotted path, like Stripe's ``expand``."""
        for dotted in paths or []:
            node = obj
            for name in dotted.split("."):
                if isinstance(node, dict) and node.get(name) in self._objects:
                    node[name] = copy.deepcopy(self._objects[node[name]])
                node = node.get(name) if isinstance(node, dict) else None
        return obj

    def _create_session(self, p):
        unknown = sorted(set(p) - SESSION_PARAMS) if SESSION_PARAMS else []
        if unknown:
            raise StripeFakeError(400, f"Received unknown parameter: {unknown[0]}", unknown[0])
        if p.get("mode") != "payment":
            raise StripeFakeError(400, "This fake only supports mode=payment.", "mode")
        for name in ("success_url", "cancel_url"):
            if not p.get(name):
                raise StripeFakeError(400, f"Missing required param: {name}.", name)
            if not re.match(r"https?://[^/]", p[name]):
                raise StripeFakeError(400, "Not a valid URL", name)
        items = p.get("line_items")
        if not items or not isinstance(items, list):
            raise StripeFakeError(400, "Missing required param: line_items.", "line_items")
        total, currencies = 0, set()
        for i, item in enumerate(items):
            where = f"line_items[{i}]"
            price = item.get("price_data") if isinstance(item, dict) else None
            if not isinstance(price, dict):
                raise StripeFakeError(400, f"Missing required param: {where}[price_data].", where)
            if not price.get("currency"):
                param = f"{where}[price_data][currency]"
                raise StripeFakeError(400, f"Missing required param: {param}.", param)
            currencies.add(price["currency"].lower())
            product = price.get("product_data")
            if not price.get("product") and not (isinstance(product, dict) and product.get("name")):
                message = (
                    "You must specify either `product` or `product_data` when creating a price."
                )
                raise StripeFakeError(400, message, f"{where}[price_data][product_data]")
            unit = _integer(price.get("unit_amount"), f"{where}[price_data][unit_amount]")
            total += unit * _integer(item.get("quantity"), f"{where}[quantity]", minimum=1)
        if len(currencies) > 1:
            raise StripeFakeError(400, "All line items must use the same currency.", "line_items")
        if total < MINIMUM_AMOUNT:
            message = "The Checkout Session's total amount due must add up to at least 0.50."
            raise StripeFakeError(400, message, "line_items", code="amount_too_small")
        metadata = _check_metadata(p.get("metadata", {}), "metadata")
        pi_data = p.get("payment_intent_data", {})
        _check_metadata(pi_data.get("metadata", {}), "payment_intent_data[metadata]")
        if LOCALES and p.get("locale") and p["locale"] not in LOCALES:
            raise StripeFakeError(400, f"Invalid locale: {p['locale']}", "locale")
        if p.get("customer_email") and not re.fullmatch(r"[^@\s]+@[^@\s]+", p["customer_email"]):
            message = f"Invalid email address: {p['customer_email']}"
            raise StripeFakeError(400, message, "customer_email")
        now, sid = int(time.time()), new_id("cs_test")
        expires_at = p.get("expires_at")
        self._session_params[sid] = p
        self._objects[sid] = {
            "id": sid, "object": "checkout.session", "livemode": False, "mode": "payment",
            "url": f"{self.url}/pay/{sid}", "status": "open", "payment_status": "unpaid",
            "amount_subtotal": total, "amount_total": total, "currency": currencies.pop(),
            "metadata": metadata, "client_reference_id": p.get("client_reference_id"),
            "customer_email": p.get("customer_email"), "customer_details": None,
            "locale": p.get("locale"), "submit_type": p.get("submit_type"),
            "payment_intent": None, "success_url": p["success_url"], "cancel_url": p["cancel_url"],
            "created": now,
            "expires_at": _integer(expires_at, "expires_at") if expires_at else now + 86400,
        }  # fmt: skip
        return copy.deepcopy(self._objects[sid])

    # -- the hosted checkout page (for browser tests) ----------------------------------------
    def _checkout_page(self, handler, path):
        parts = path.strip("/").split("/")  # pay/<id>[/<action>]
        with self._lock:
            session = copy.deepcopy(self._get(parts[1], "checkout.session"))
        actions = {"pay": True, "pay_later": False, "cancel": None}
        action = parts[2] if len(parts) > 2 and handler.command == "POST" else None
        if action in actions and session["status"] == "open":
            if action == "cancel":
                location = session["cancel_url"]
            else:
                self.complete(session["id"], paid=actions[action])
                location = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
            return self._send(handler, 303, "", "text/html", {"Location": location})
        amount = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
        buttons = "".join(
            f'<form method="post" action="/pay/{session["id"]}/{name}">'
            f'<button name="{name}">{name.replace("_", " ").capitalize()}</button></form>'
            for name in actions
        )
        page = f"<!doctype html><title>Fake Stripe Checkout</title><h1>{html.escape(amount)}</h1>"
        status = f"<p id=status>{session['status']} / {session['payment_status']}</p>"
        self._send(handler, 200, page + status + buttons, "text/html; charset=utf-8", {})

    def _send(self, handler, status, text, content_type, headers):
        data = text.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", new_id("req"))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
