"""API clients in the database: each backend's name and the SHA-256 of its bearer token.

Tokens are made and hashed by modscreen/_api_clients.py; this store never sees one. Adding and
revoking a client are audited in the transaction that does them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.audit import write_audit
from models.db import now, transaction
from models.tables import ApiClientRow


class ClientError(ValueError):
    """A client command that cannot be done (bad name, duplicate, unknown); the message says why."""


@dataclass(frozen=True, slots=True)
class ApiClient:
    name: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class TokenOwner:
    """The client whose token has this hash (revoked or not)."""

    name: str
    token_hash: str
    revoked: bool


class ApiClientsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def by_token_hash(self, token_hash: str) -> TokenOwner | None:
        """One indexed lookup; an unreachable database is StoreUnavailable (503 "try again later"), not a bug."""
        with transaction(self.engine) as db:
            row = db.execute(
                select(ApiClientRow.name, ApiClientRow.token_hash, ApiClientRow.revoked_at)
                .where(ApiClientRow.token_hash == token_hash)
            ).one_or_none()
        return None if row is None else TokenOwner(row.name, row.token_hash, row.revoked_at is not None)

    def add(self, name: str, token_hash: str, actor: str) -> None:
        """Record a new client; ClientError if the name was ever used (revoked clients keep theirs)."""
        try:
            with transaction(self.engine) as db:
                if db.execute(select(ApiClientRow.id).where(ApiClientRow.name == name)).first() is not None:
                    raise ClientError(f"client {name!r} already exists (revoked clients keep their name)")
                db.execute(insert(ApiClientRow).values(name=name, token_hash=token_hash, created_at=now()))
                write_audit(db, actor, "api_client.add", f"api_client:{name}", None, {"name": name})
        except IntegrityError:  # another `clients add` of the same name won the race
            raise ClientError(f"client {name!r} already exists") from None

    def revoke(self, name: str, actor: str) -> None:
        """Revoke a live client; ClientError if it is unknown or already revoked."""
        with transaction(self.engine) as db:
            revoked = db.execute(
                update(ApiClientRow).where(ApiClientRow.name == name, ApiClientRow.revoked_at.is_(None))
                .values(revoked_at=now())
            ).rowcount
            if revoked != 1:
                exists = db.execute(select(ApiClientRow.id).where(ApiClientRow.name == name)).first() is not None
                raise ClientError(f"client {name!r} is already revoked" if exists else f"no client named {name!r}")
            write_audit(db, actor, "api_client.revoke", f"api_client:{name}", {"revoked": False}, {"revoked": True})

    def all(self) -> list[ApiClient]:
        with transaction(self.engine) as db:
            rows = db.execute(
                select(ApiClientRow.name, ApiClientRow.created_at, ApiClientRow.revoked_at).order_by(ApiClientRow.name)
            ).all()
        return [ApiClient(row.name, row.created_at, row.revoked_at) for row in rows]
