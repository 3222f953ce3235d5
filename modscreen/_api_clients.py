"""API clients: the backends allowed to call the HTTP API, each with its own bearer token.

Only the SHA-256 of a token is stored. Tokens are 256 bits of randomness, so a fast hash is
enough (nothing to brute-force, unlike a password) and lets a request be authenticated with one
indexed lookup by hash: no per-client loop, and nothing an attacker can time byte by byte.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import re
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.audit import write_audit
from models.db import transaction
from models.store import now
from models.tables import ApiClientRow

TOKEN_PREFIX = "ms_"
"""Makes a leaked token recognisable to secret scanners and in support tickets."""
MAX_TOKEN_CHARS = 256
"""Longer bearer values cannot be ours: refused without hashing whatever a caller sends."""
CLIENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


class ClientError(ValueError):
    """A client command that cannot be done (bad name, duplicate, unknown); the message says why."""


@dataclass(frozen=True, slots=True)
class ApiClient:
    name: str
    created_at: datetime
    revoked_at: datetime | None


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiClients:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _transaction(self) -> AbstractContextManager[Connection]:
        # same contract as Store: an unreachable database is "try again later" (503), not a bug (500)
        return transaction(self.engine)

    def authenticate(self, token: str) -> str | None:
        """The name of the live client holding this token, or None (unknown, malformed or revoked)."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        digest = token_hash(token)
        with self._transaction() as db:
            row = db.execute(
                select(ApiClientRow.name, ApiClientRow.token_hash, ApiClientRow.revoked_at)
                .where(ApiClientRow.token_hash == digest)
            ).one_or_none()
        # the lookup already matched on the hash; compare_digest keeps the final check timing-neutral
        if row is None or not hmac.compare_digest(row.token_hash, digest) or row.revoked_at is not None:
            return None
        return row.name

    def add(self, name: str) -> str:
        """Create a client; return its token, which exists nowhere else afterwards."""
        if not CLIENT_NAME.fullmatch(name):
            raise ClientError("a client name is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit")
        token = new_token()
        try:
            with self._transaction() as db:
                if db.execute(select(ApiClientRow.id).where(ApiClientRow.name == name)).first() is not None:
                    raise ClientError(f"client {name!r} already exists (revoked clients keep their name)")
                db.execute(insert(ApiClientRow).values(name=name, token_hash=token_hash(token), created_at=now()))
                write_audit(db, _operator(), "api_client.add", f"api_client:{name}", None, {"name": name})
        except IntegrityError:  # another `clients add` of the same name won the race
            raise ClientError(f"client {name!r} already exists") from None
        return token

    def revoke(self, name: str) -> None:
        with self._transaction() as db:
            revoked = db.execute(
                update(ApiClientRow).where(ApiClientRow.name == name, ApiClientRow.revoked_at.is_(None))
                .values(revoked_at=now())
            ).rowcount
            if revoked != 1:
                exists = db.execute(select(ApiClientRow.id).where(ApiClientRow.name == name)).first() is not None
                raise ClientError(f"client {name!r} is already revoked" if exists else f"no client named {name!r}")
            write_audit(db, _operator(), "api_client.revoke", f"api_client:{name}", {"revoked": False}, {"revoked": True})

    def all(self) -> list[ApiClient]:
        with self._transaction() as db:
            rows = db.execute(
                select(ApiClientRow.name, ApiClientRow.created_at, ApiClientRow.revoked_at).order_by(ApiClientRow.name)
            ).all()
        return [ApiClient(row.name, row.created_at, row.revoked_at) for row in rows]


def _operator() -> str:
    try:
        return getpass.getuser()[:128]
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"
