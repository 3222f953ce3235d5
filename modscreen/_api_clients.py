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
from typing import TYPE_CHECKING

from models.api_clients_store import ApiClient, ApiClientsStore, ClientError

if TYPE_CHECKING:
    from sqlalchemy import Engine  # the engine is passed through to the store, never used here

__all__ = ["ApiClient", "ApiClients", "ClientError", "new_token", "token_hash"]

TOKEN_PREFIX = "ms_"
"""Makes a leaked token recognisable to secret scanners and in support tickets."""
MAX_TOKEN_CHARS = 256
"""Longer bearer values cannot be ours: refused without hashing whatever a caller sends."""
CLIENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiClients:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = ApiClientsStore(engine)

    def authenticate(self, token: str) -> str | None:
        """The name of the live client holding this token, or None (unknown, malformed or revoked)."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        digest = token_hash(token)
        owner = self.store.by_token_hash(digest)
        # the lookup already matched on the hash; compare_digest keeps the final check timing-neutral
        if owner is None or not hmac.compare_digest(owner.token_hash, digest) or owner.revoked:
            return None
        return owner.name

    def add(self, name: str) -> str:
        """Create a client; return its token, which exists nowhere else afterwards."""
        if not CLIENT_NAME.fullmatch(name):
            raise ClientError("a client name is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit")
        token = new_token()
        self.store.add(name, token_hash(token), _operator())
        return token

    def revoke(self, name: str) -> None:
        self.store.revoke(name, _operator())

    def all(self) -> list[ApiClient]:
        return self.store.all()


def _operator() -> str:
    try:
        return getpass.getuser()[:128]
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"
