"""Outcomes POSTed to a webhook: signed with every active secret, retried with backoff, every attempt logged."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.public_sample import build_posts
from models.tables import WebhookDeliveryRow
from queues.webhooks import sign, verify_signature
from tests.services.harness import wait_until

BODY = b'{"event_id": "screening-1"}'


def test_when_signed_with_either_secret_of_a_rotation_then_the_receiver_accepts_it():
    header = sign(BODY, ["new-secret", "old-secret"])
    assert verify_signature(header, BODY, ["new-secret"])
    assert verify_signature(header, BODY, ["old-secret"])
    assert not verify_signature(header, BODY, ["another-secret"])


def test_when_body_or_time_is_tampered_with_then_the_signature_is_refused():
    header = sign(BODY, ["secret"])
    assert not verify_signature(header, BODY + b" ", ["secret"])
    stale = sign(BODY, ["secret"], timestamp=int(time.time()) - 3600)
    assert not verify_signature(stale, BODY, ["secret"])
    assert not verify_signature("t=notanumber,v1=abc", BODY, ["secret"])
    assert not verify_signature("", BODY, ["secret"])


class _Receiver(BaseHTTPRequestHandler):
    calls: list[tuple[dict, bytes]] = []
    fail_first = 1

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append((dict(self.headers), body))
        failing = len(type(self).calls) <= type(self).fail_first
        self.send_response(503 if failing else 204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_when_the_webhook_fails_once_then_the_outcome_is_delivered_signed_on_retry_and_both_attempts_logged(service):
    _Receiver.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        service.start_worker(MODSCREEN_WEBHOOK_URL=f"http://127.0.0.1:{server.server_port}/hook",
                             MODSCREEN_WEBHOOK_SECRETS='["s3cret-new", "s3cret-old"]')
        [post] = build_posts(1, seed=31)
        service.submitter.submit(post)
        wait_until(lambda: len(_Receiver.calls) >= 2, timeout=120)
    finally:
        server.shutdown()
    headers, body = _Receiver.calls[-1]
    assert verify_signature(headers["Modscreen-Signature"], body, ["s3cret-old"])
    event = json.loads(body)
    assert event["kind"] == "screening" and event["outcome"]["post_id"] == post.id
    assert headers["Modscreen-Event-Id"] == event["event_id"]
    with service.store.engine.connect() as db:
        attempts = db.execute(select(WebhookDeliveryRow.attempt, WebhookDeliveryRow.status_code,
                                     WebhookDeliveryRow.delivered).order_by(WebhookDeliveryRow.id)).all()
    assert [tuple(row) for row in attempts] == [(1, 503, False), (2, 204, True)]


class _Accepting(_Receiver):
    calls: list[tuple[dict, bytes]] = []
    fail_first = 0


def test_when_the_database_is_down_while_logging_a_delivery_then_the_task_raises_store_unavailable_and_retries(
        monkeypatch):
    from models.db import StoreUnavailable, make_engine
    from models.store import Store
    from queues import runtime
    from queues.webhooks import deliver_webhook
    from tests.services import free_port

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Accepting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    nowhere = Store(make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/absent"))
    monkeypatch.setenv("MODSCREEN_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/hook")
    monkeypatch.setattr(runtime, "store", lambda: nowhere)
    try:
        # called directly, the task raises what its autoretry would retry (a worker retries it with backoff)
        with pytest.raises(StoreUnavailable):
            deliver_webhook({"event_id": "screening-7", "kind": "screening", "outcome": {"post_id": "fr-42"}})
    finally:
        server.shutdown()
        nowhere.engine.dispose()
    assert len(_Accepting.calls) == 1  # delivered; only the log of it failed
    assert StoreUnavailable in deliver_webhook.autoretry_for
