"""The one writer of the audit trail: who did what to which subject, before and after.

Every audited action (policy versions, claims and decisions, accounts, sign-in throttling, API
clients, re-screen marks) writes its row here, inside the caller's transaction, so the row
commits or rolls back with the change it describes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert

from models.db import now
from models.tables import AuditEventRow


def write_audit(db: Connection, actor: str, action: str, subject: str, before: dict[str, Any] | None = None,
                after: dict[str, Any] | None = None) -> None:
    """Add one audit row in the open transaction ``db``. Long actors and subjects are cut to the columns."""
    db.execute(insert(AuditEventRow).values(at=now(), actor=actor[:128], action=action, subject=subject[:256],
                                            before=before, after=after))
