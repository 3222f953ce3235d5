"""The webhook delivery log: every attempt recorded; an unreachable database is worth retrying."""

import pytest
from sqlalchemy import select

from models.db import StoreUnavailable, make_engine
from models.tables import WebhookDeliveryRow
from models.webhook_store import WebhookStore
from tests.services import free_port


def test_when_a_delivery_is_recorded_then_its_attempt_status_and_error_are_kept(store):
    deliveries = WebhookStore(store.engine)
    deliveries.record_delivery("screening-1", "https://forum.example/hook", 1, None, "ConnectError: refused", False)
    deliveries.record_delivery("screening-1", "https://forum.example/hook", 2, 204, None, True)
    with store.engine.connect() as db:
        rows = db.execute(select(WebhookDeliveryRow.attempt, WebhookDeliveryRow.status_code, WebhookDeliveryRow.error,
                                 WebhookDeliveryRow.delivered).order_by(WebhookDeliveryRow.id)).all()
    assert [tuple(row) for row in rows] == [(1, None, "ConnectError: refused", False), (2, 204, None, True)]


def test_when_the_database_is_unreachable_then_recording_a_delivery_raises_store_unavailable():
    nowhere = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/absent")
    try:
        with pytest.raises(StoreUnavailable):
            WebhookStore(nowhere).record_delivery("screening-1", "https://forum.example/hook", 1, 204, None, True)
    finally:
        nowhere.dispose()
