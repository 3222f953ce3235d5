"""Outcomes POSTed to the backend's webhook, signed, retried with backoff, every attempt logged.

Signature header (Stripe-style, so secrets can rotate with two valid at once)::

    Modscreen-Signature: t=1764230400,v1=<hex>,v1=<hex>

each ``v1`` being HMAC-SHA256(secret, f"{t}.{body}") for one active secret, newest first. A
receiver accepts the request when any ``v1`` matches one of its secrets and ``t`` is recent
(`verify_signature`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from typing import Any

import httpx

from config.settings import settings
from models.store import StoreUnavailable
from models.webhook_store import WebhookStore
from queues import runtime
from queues.app import app
from queues.metrics import WEBHOOK_FAILURES
from queues.names import TaskName
from worker.outcome import Outcome

HEADER = "Modscreen-Signature"


class DeliveryFailed(Exception):
    """The webhook answered with an error status or could not be reached: retry later."""


def sign(body: bytes, secrets: Sequence[str], timestamp: int | None = None) -> str:
    moment = int(time.time()) if timestamp is None else timestamp
    signed = f"{moment}.".encode() + body
    digests = [hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets]
    return ",".join([f"t={moment}", *(f"v1={digest}" for digest in digests)])


def verify_signature(header: str, body: bytes, secrets: Sequence[str], tolerance_seconds: int = 300) -> bool:
    """For receivers: is this request signed by one of `secrets`, recently?"""
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for key, value in parts if key == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit() or abs(time.time() - int(stamps[0])) > tolerance_seconds:
        return False
    signed = f"{stamps[0]}.".encode() + body
    expected = [hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets]
    return any(hmac.compare_digest(value, digest) for key, value in parts if key == "v1" for digest in expected)


def enqueue_deliveries(outcomes: Sequence[Outcome]) -> None:
    """One delivery task per outcome (the `deliver` step of queues/publish.py), when a webhook is configured."""
    if not settings().webhook_url:
        return
    for outcome in outcomes:
        deliver_webhook.apply_async(kwargs={"event": {"event_id": outcome.event_id, "kind": outcome.kind,
                                                      "outcome": outcome.as_published()}})


@app.task(
    name=TaskName.DELIVER_WEBHOOK.value, bind=True,
    autoretry_for=(DeliveryFailed, StoreUnavailable), retry_backoff=2, retry_backoff_max=600, retry_jitter=True,
    max_retries=12,
)
def deliver_webhook(self: Any, event: dict[str, Any]) -> int:
    config = settings()
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    secrets = [secret.get_secret_value() for secret in config.webhook_secrets]
    headers = {"Content-Type": "application/json", "Modscreen-Event-Id": event["event_id"]}
    if secrets:
        headers[HEADER] = sign(body, secrets)
    status, error = None, None
    try:
        response = httpx.post(config.webhook_url, content=body, headers=headers, timeout=config.webhook_timeout_seconds)
        status = response.status_code
    except httpx.HTTPError as problem:
        error = f"{type(problem).__name__}: {problem}"[:2000]
    delivered = status is not None and 200 <= status < 300
    WebhookStore(runtime.store().engine).record_delivery(event["event_id"], config.webhook_url,
                                                         self.request.retries + 1, status, error, delivered)
    if not delivered:
        WEBHOOK_FAILURES.inc()
        raise DeliveryFailed(error or f"HTTP {status}")
    return status
