"""The fake Stripe server, driven through the real ``stripe`` SDK (no Django needed)."""

import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError

import pytest
import stripe

from tests.fakes.stripe_server import FakeStripe, StripeFakeError, parse_form

KEY = "sk_test_fake"
WHSEC = "whsec_test_secret"


@pytest.fixture(scope="module")
def module_server():
    with FakeStripe(hold_seconds=3) as server:
        yield server


@pytest.fixture
def server(module_server):
    module_server.reset()
    yield module_server
    if module_server._httpd is None:  # a test stopped it
        module_server.start()


def make_client(url, timeout=2, key=KEY):
    return stripe.StripeClient(
        key,
        base_addresses={"api": url},
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


@pytest.fixture
def client(server):
    return make_client(server.url)


def donation_params(amount=2500, **extra):
    metadata = {"donation_id": "d-123", "campaign_key": "c-9"}
    return {
        "mode": "payment",
        "success_url": "http://testserver/thanks/?s={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://testserver/cancelled/",
        "client_reference_id": "d-123",
        "customer_email": "donor@example.org",
        "locale": "fr",
        "submit_type": "donate",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "eur",
                    "unit_amount": amount,
                    "product_data": {"name": "Jardin partagé"},
                },
            }
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        **extra,
    }


def create(client, key="donation-d-123", **kwargs):
    return client.v1.checkout.sessions.create(
        params=donation_params(**kwargs), options={"idempotency_key": key}
    )


def test_parse_form_nests_like_the_sdk_encodes():
    text = (
        "line_items[0][price_data][currency]=eur&line_items[1][quantity]=2"
        "&metadata[donation_id]=x&metadata[0]=zero&expand[0]=a&expand[1]=b.c&empty="
    )
    assert parse_form(text) == {
        "line_items": [{"price_data": {"currency": "eur"}}, {"quantity": "2"}],
        "metadata": {"donation_id": "x", "0": "zero"},  # metadata never becomes a list
        "expand": ["a", "b.c"],
        "empty": "",
    }


def test_create_session_passes_every_param(server, client):
    session = create(client)
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"{server.url}/pay/{session.id}"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.currency) == (2500, "eur")
    assert session.metadata.to_dict() == {"donation_id": "d-123", "campaign_key": "c-9"}
    assert session.client_reference_id == "d-123"
    assert session.customer_email == "donor@example.org"
    assert session.locale == "fr"
    assert session.payment_intent is None
    assert session.expires_at > session.created

    method, path, params, headers = server.requests[-1]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert params["line_items"][0]["price_data"] == {
        "currency": "eur",
        "unit_amount": "2500",
        "product_data": {"name": "Jardin partagé"},
    }
    assert params["payment_intent_data"]["metadata"]["donation_id"] == "d-123"
    assert headers["Idempotency-Key"] == "donation-d-123"
    assert headers["Authorization"] == f"Bearer {KEY}"
    assert list(server.sessions) == [session.id]


def test_amount_total_sums_line_items(client):
    params = donation_params()
    params["line_items"].append(dict(params["line_items"][0], quantity=3))
    session = client.v1.checkout.sessions.create(params=params)
    assert session.amount_total == 2500 * 4


def test_idempotency_key_returns_the_same_session(server, client):
    first = create(client)
    server.complete(first.id)
    again = create(client)
    assert again.id == first.id
    assert again.status == "open"  # the original response is replayed, like Stripe
    assert len(server.sessions) == 1
    assert create(client, key="donation-other").id != first.id
    with pytest.raises(stripe.IdempotencyError):
        create(client, amount=3000)  # same key, other params


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"mode": "subscription"}, "mode"),
        ({"success_url": None}, "success_url"),
        ({"cancel_url": "not a url"}, "cancel_url"),
        ({"line_items": None}, "line_items"),
        ({"unit_amount": "12.50"}, "line_items[0][price_data][unit_amount]"),
        ({"currency": None}, "line_items[0][price_data][currency]"),
        ({"quantity": None}, "line_items[0][quantity]"),
        ({"product_data": None}, "line_items[0][price_data][product_data]"),
        ({"unit_amount": 10}, "line_items"),  # below Stripe's minimum
        ({"locale": "zh-hans"}, "locale"),
        ({"metadata": {"k" * 41: "v"}}, f"metadata[{'k' * 41}]"),
        ({"colour": "blue"}, "colour"),  # unknown parameter
    ],
)
def test_invalid_params_are_refused(server, client, change, param):
    params = donation_params()
    item = params["line_items"][0]
    for name, value in change.items():
        target = item if name == "quantity" else params
        if name in ("unit_amount", "currency", "product_data"):
            target = item["price_data"]
        target[name] = value
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.create(params=params)
    assert caught.value.http_status == 400
    assert caught.value.param == param
    assert server.sessions == {}


def test_bad_api_key_is_refused(server):
    with pytest.raises(stripe.AuthenticationError):
        make_client(server.url, key="sk_live_nope").v1.checkout.sessions.create(
            params=donation_params()
        )


def test_retrieve_and_unknown_ids(client):
    session = create(client)
    assert client.v1.checkout.sessions.retrieve(session.id).id == session.id
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.retrieve("cs_test_nope")
    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.retrieve("pi_test_nope")


def test_complete_then_payment_intent_carries_the_metadata(server, client):
    session = create(client)
    done = server.complete(session.id)
    assert (done["status"], done["payment_status"]) == ("complete", "paid")
    assert done["payment_intent"].startswith("pi_test_")

    fetched = client.v1.checkout.sessions.retrieve(session.id)
    assert fetched.payment_intent == done["payment_intent"]
    intent = client.v1.payment_intents.retrieve(fetched.payment_intent)
    assert (intent.object, intent.status, intent.amount) == ("payment_intent", "succeeded", 2500)
    assert intent.metadata.to_dict() == {"donation_id": "d-123", "campaign_key": "c-9"}
    assert intent.latest_charge.startswith("ch_test_")
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert (charge.paid, charge.metadata.to_dict()) == (True, {})

    expanded = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]}
    )
    assert expanded.payment_intent.latest_charge.id == charge.id
    with pytest.raises(StripeFakeError):
        server.complete(session.id)  # only open sessions


def test_asynchronous_payment_succeeds_or_fails(server, client):
    paid_later, failed = create(client, key="a"), create(client, key="b")
    for session in (paid_later, failed):
        done = server.complete(session.id, paid=False)
        assert (done["status"], done["payment_status"]) == ("complete", "unpaid")
    assert server.async_result(paid_later.id, succeeded=True)["payment_status"] == "paid"
    assert server.async_result(failed.id, succeeded=False)["payment_status"] == "unpaid"
    intents = server.payment_intents
    assert intents[server.sessions[paid_later.id]["payment_intent"]]["status"] == "succeeded"
    assert intents[server.sessions[failed.id]["payment_intent"]]["status"] == (
        "requires_payment_method"
    )


def test_expire(server, client):
    session = create(client)
    assert server.expire(session.id)["status"] == "expired"
    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    with pytest.raises(StripeFakeError):
        server.complete(session.id)
    other = create(client, key="other")
    assert client.v1.checkout.sessions.expire(other.id).status == "expired"


def test_refund_partial_then_full(server, client):
    session = create(client)
    with pytest.raises(StripeFakeError):
        server.refund(session.id)  # nothing paid yet
    server.complete(session.id)
    charge = server.refund(session.id, 1000)
    assert charge["object"] == "charge"
    assert (charge["amount"], charge["amount_refunded"], charge["refunded"]) == (2500, 1000, False)
    assert charge["payment_intent"] == server.sessions[session.id]["payment_intent"]
    assert charge["metadata"] == {}
    charge = server.refund(session.id)
    assert (charge["amount_refunded"], charge["refunded"]) == (2500, True)
    with pytest.raises(StripeFakeError):
        server.refund(session.id, 1)


def test_checkout_page_pays_and_redirects(server, client):
    session = create(client)
    page = urllib.request.urlopen(session.url, timeout=2).read().decode()
    assert "25.00 EUR" in page
    request = urllib.request.Request(f"{session.url}/pay", data=b"", method="POST")
    with pytest.raises(HTTPError) as redirect:  # urllib would follow the 303 to testserver
        urllib.request.build_opener(NoRedirect).open(request, timeout=2)
    assert redirect.value.code == 303
    assert redirect.value.headers["Location"] == f"http://testserver/thanks/?s={session.id}"
    assert server.sessions[session.id]["payment_status"] == "paid"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_webhook_signature_is_accepted_and_checked(server, client):
    session = server.complete(create(client).id)
    event = server.event("checkout.session.completed", session)
    assert event["id"].startswith("evt_") and event["object"] == "event"
    payload, header = server.signed(event, WHSEC)
    assert header.startswith("t=") and ",v1=" in header

    parsed = stripe.Webhook.construct_event(payload, header, WHSEC)
    assert parsed.type == "checkout.session.completed"
    assert parsed.data.object.metadata.donation_id == "d-123"

    tampered = payload.replace(b'"paid"', b'"unpaid"')
    old_payload, old_header = server.signed(event, WHSEC, timestamp=int(time.time()) - 600)
    for args in [
        (tampered, header, WHSEC),
        (payload, header, "whsec_wrong"),
        (old_payload, old_header, WHSEC),  # outside the default 300 s tolerance
    ]:
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(*args)


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("500", stripe.APIError),
        ("timeout", stripe.APIConnectionError),
        ("disconnect", stripe.APIConnectionError),
    ],
)
def test_failure_modes(server, mode, error):
    client = make_client(server.url, timeout=1)
    server.fail_next(mode)
    started = time.monotonic()
    with pytest.raises(error) as caught:
        create(client)
    assert time.monotonic() - started < 2
    assert type(caught.value) is error
    assert server.sessions == {}  # nothing was created
    assert create(client).id in server.sessions  # the next request goes through


def test_fail_next_several_times(server, client):
    server.fail_next("500", times=2)
    for _ in range(2):
        with pytest.raises(stripe.APIError):
            create(client)
    assert create(client).status == "open"
    assert len(server.requests) == 3


def test_stopped_server_refuses_then_comes_back(server, client):
    session = create(client)
    server.stop()
    started = time.monotonic()
    with pytest.raises(stripe.APIConnectionError):
        client.v1.checkout.sessions.retrieve(session.id)
    assert time.monotonic() - started < 2
    server.start()  # the same port, the same state
    assert client.v1.checkout.sessions.retrieve(session.id).id == session.id


def test_concurrent_requests_with_one_key_create_one_session(server):
    clients = [make_client(server.url) for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        ids = set(pool.map(lambda c: create(c).id, clients))
    assert len(ids) == 1 and list(server.sessions) == list(ids)


# -- disputes, and what a charge says after the gift (issue 12) ------------------------------


def test_payment_intent_expands_its_latest_charge_with_refunds(server, client):
    session = create(client)
    pi_id = server.complete(session.id)["payment_intent"]
    intent = client.v1.payment_intents.retrieve(pi_id, params={"expand": ["latest_charge"]})
    assert intent.latest_charge.object == "charge"
    assert (intent.latest_charge.amount_refunded, intent.latest_charge.disputed) == (0, False)
    server.refund(session.id, 700)  # made at Stripe: no webhook needed to see it
    intent = client.v1.payment_intents.retrieve(pi_id, params={"expand": ["latest_charge"]})
    assert intent.latest_charge.amount_refunded == 700
    assert isinstance(client.v1.payment_intents.retrieve(pi_id).latest_charge, str)


def test_dispute_then_close_it(server, client):
    session = create(client)
    with pytest.raises(StripeFakeError):
        server.dispute(session.id)  # nothing paid yet
    server.complete(session.id)
    dispute = server.dispute(session.id, reason="product_not_received")
    charge_id = server.payment_intents[server.sessions[session.id]["payment_intent"]][
        "latest_charge"
    ]
    assert dispute["id"].startswith("dp_") and dispute["charge"] == charge_id
    assert (dispute["amount"], dispute["currency"], dispute["status"]) == (
        2500,
        "eur",
        "needs_response",
    )
    assert client.v1.charges.retrieve(charge_id).disputed is True

    found = client.v1.disputes.list(params={"charge": charge_id})
    assert [d.id for d in found.data] == [dispute["id"]] and found.has_more is False
    assert client.v1.disputes.list(params={"charge": "ch_other"}).data == []
    server.close_dispute(dispute["id"], won=False)
    fetched = client.v1.disputes.retrieve(dispute["id"])
    assert (fetched.status, fetched.reason, fetched.payment_intent) == (
        "lost",
        "product_not_received",
        dispute["payment_intent"],
    )
    assert server.close_dispute(dispute["id"], won=True)["status"] == "won"


def test_partial_dispute_by_payment_intent_and_unknown_dispute(server, client):
    pi_id = server.complete(create(client).id)["payment_intent"]
    dispute = server.dispute(pi_id, status="warning_needs_response", amount=1000)
    assert dispute["amount"] == 1000 and list(server.disputes) == [dispute["id"]]
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.disputes.retrieve("dp_missing")


# -- refunds (issue 12, closing of all-or-nothing campaigns) ---------------------------------


def paid_intent(server, client, key="donation-d-123", amount=2500):
    return server.complete(create(client, key=key, amount=amount).id)["payment_intent"]


def refund(client, pi_id, key, **params):
    return client.v1.refunds.create(
        params={"payment_intent": pi_id, **params}, options={"idempotency_key": key}
    )


def test_refund_a_payment_intent_updates_its_charge(server, client):
    pi_id = paid_intent(server, client)
    made = refund(client, pi_id, "refund-1")
    charge_id = server.payment_intents[pi_id]["latest_charge"]
    assert made.id.startswith("re_test_") and made.object == "refund"
    assert (made.amount, made.currency, made.status) == (2500, "eur", "succeeded")
    assert (made.payment_intent, made.charge) == (pi_id, charge_id)
    charge = client.v1.charges.retrieve(charge_id)
    assert (charge.amount_refunded, charge.refunded) == (2500, True)
    assert client.v1.refunds.retrieve(made.id).amount == 2500
    assert list(server.refunds) == [made.id] and server.refund_calls == 1


def test_same_idempotency_key_gives_the_same_refund(server, client):
    pi_id = paid_intent(server, client)
    first = refund(client, pi_id, "refund-same", amount=1000)
    again = refund(client, pi_id, "refund-same", amount=1000)
    assert again.id == first.id
    assert len(server.refunds) == 1 and server.refund_calls == 2
    assert server.charges[server.payment_intents[pi_id]["latest_charge"]]["amount_refunded"] == 1000
    with pytest.raises(stripe.IdempotencyError):
        refund(client, pi_id, "refund-same", amount=500)  # same key, other params
    second = refund(client, pi_id, "refund-other")  # the rest
    assert second.amount == 1500 and len(server.refunds) == 2


def test_refunds_refused_like_stripe(server, client):
    pi_id = paid_intent(server, client)
    with pytest.raises(stripe.InvalidRequestError) as error:
        refund(client, pi_id, "too-much", amount=2501)
    assert error.value.code == "amount_too_large"
    refund(client, pi_id, "all")
    with pytest.raises(stripe.InvalidRequestError) as error:
        refund(client, pi_id, "twice")
    assert error.value.code == "charge_already_refunded"
    with pytest.raises(stripe.InvalidRequestError) as error:
        refund(client, "pi_missing", "missing")
    assert error.value.http_status == 404
    unpaid = server.complete(create(client, key="other").id, paid=False)["payment_intent"]
    with pytest.raises(stripe.InvalidRequestError):
        refund(client, unpaid, "unpaid")
    assert len(server.refunds) == 1


def test_fail_after_refunds_interrupts_the_next_refund_once(server, client):
    intents = [paid_intent(server, client, key=f"d-{n}") for n in range(3)]
    server.fail_after_refunds(1)
    refund(client, intents[0], "r-0")
    with pytest.raises(stripe.APIError):
        refund(client, intents[1], "r-1")  # failed before anything was done
    assert len(server.refunds) == 1
    refund(client, intents[1], "r-1")
    refund(client, intents[2], "r-2")
    assert len(server.refunds) == 3 and server.refund_calls == 4
    with pytest.raises(ValueError):
        server.fail_after_refunds(1, mode="never")


def test_a_lost_answer_is_replayed_by_its_idempotency_key(server, client):
    pi_id = paid_intent(server, client)
    server.fail_after_refunds(0, mode="lost")
    with pytest.raises(stripe.APIConnectionError):
        refund(client, pi_id, "refund-lost")
    assert len(server.refunds) == 1  # made at Stripe, but the site never heard
    replay = refund(client, pi_id, "refund-lost")
    assert list(server.refunds) == [replay.id] and server.refund_calls == 2
