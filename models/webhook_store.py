"""The log of webhook deliveries: one row per attempt to POST an outcome to the backend."""

from __future__ import annotations

from sqlalchemy import Engine, insert

from models.db import now, transaction
from models.tables import WebhookDeliveryRow


class WebhookStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record_delivery(self, event_id: str, url: str, attempt: int, status_code: int | None, error: str | None,
                        delivered: bool) -> None:
        """Log one attempt. An unreachable database is StoreUnavailable, which the delivery task retries."""
        with transaction(self.engine) as db:
            db.execute(insert(WebhookDeliveryRow).values(
                event_id=event_id, url=url, attempt=attempt, attempted_at=now(), status_code=status_code,
                error=error, delivered=delivered))
