"""The review app's people in the database: users and their server-side sessions.

Only what is stored lives here; passwords (argon2) and session tokens (random, hashed with
SHA-256) are made and checked by modscreen/review/accounts.py, which hands this store hashes,
never secrets. Each change is audited in the transaction that makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.audit import write_audit
from models.db import aware, now, transaction
from models.tables import UserRow, WebSessionRow


class UsernameTaken(Exception):
    """A user with this name already exists."""


@dataclass(frozen=True, slots=True)
class StoredUser:
    id: int
    username: str
    role: str
    password_hash: str
    disabled: bool
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A live session (not revoked, its user not disabled); whether it has expired is for the caller to say."""

    user_id: int
    username: str
    role: str
    csrf_token: str
    token_hash: str
    expires_at: datetime


class AccountsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ---- users ---------------------------------------------------------------------------------
    def add_user(self, username: str, password_hash: str, role: str, actor: str) -> int:
        """The new user's id; UsernameTaken if the name is in use."""
        try:
            with transaction(self.engine) as db:
                user_id = db.execute(insert(UserRow).values(
                    username=username, password_hash=password_hash, role=role,
                    created_at=now()).returning(UserRow.id)).scalar_one()
                write_audit(db, actor, "user.add", f"user:{username}", None, {"role": role})
        except IntegrityError:
            raise UsernameTaken(username) from None
        return user_id

    def users(self) -> list[StoredUser]:
        """Every user, by username."""
        with transaction(self.engine) as db:
            rows = db.execute(select(UserRow.__table__).order_by(UserRow.username)).all()
        return [_stored_user(row) for row in rows]

    def user(self, username: str) -> StoredUser | None:
        with transaction(self.engine) as db:
            row = db.execute(select(UserRow.__table__).where(UserRow.username == username)).one_or_none()
        return None if row is None else _stored_user(row)

    def set_password_hash(self, username: str, password_hash: str, actor: str) -> bool:
        """Store a new password hash and end every session of the user; False if there is no such user."""
        with transaction(self.engine) as db:
            user_id = db.execute(select(UserRow.id).where(UserRow.username == username)).scalar_one_or_none()
            if user_id is None:
                return False
            db.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))
            _revoke_sessions(db, user_id)
            write_audit(db, actor, "user.password", f"user:{username}", None, None)
        return True

    def change_user(self, username: str, actor: str, *, role: str | None = None, disable: bool = False,
                    unlock: bool = False) -> bool:
        """A new role and/or disabling (which ends the user's sessions), audited; False if there is no such user.

        ``unlock`` changes nothing here (the slowdown lives in the sign-in throttle) but names the audited action.
        """
        with transaction(self.engine) as db:
            user = db.execute(select(UserRow.__table__).where(UserRow.username == username)).one_or_none()
            if user is None:
                return False
            before = {"role": user.role, "disabled": user.disabled_at is not None}
            values: dict = {}
            if role is not None:
                values["role"] = role
            if disable:
                values["disabled_at"] = now()
                _revoke_sessions(db, user.id)
            if values:
                db.execute(update(UserRow).where(UserRow.id == user.id).values(**values))
            action = "user.disable" if disable else "user.unlock" if unlock else "user.role"
            write_audit(db, actor, action, f"user:{username}", before,
                        {"role": role or user.role, "disabled": disable or before["disabled"]})
        return True

    # ---- sessions ------------------------------------------------------------------------------
    def open_session(self, user: StoredUser, token_hash: str, csrf_token: str, created_at: datetime,
                     expires_at: datetime, rehashed_password: str | None = None) -> None:
        """Record a sign-in: the session (by its token's hash), the audit row, and a stronger hash if one was made."""
        with transaction(self.engine) as db:
            if rehashed_password is not None:
                db.execute(update(UserRow).where(UserRow.id == user.id).values(password_hash=rehashed_password))
            db.execute(insert(WebSessionRow).values(token_hash=token_hash, user_id=user.id, csrf_token=csrf_token,
                                                    created_at=created_at, expires_at=expires_at))
            write_audit(db, user.username, "signin", f"user:{user.username}", None, None)

    def session(self, token_hash: str) -> StoredSession | None:
        """The live session with this token hash, or None (unknown, revoked, or its user disabled)."""
        with transaction(self.engine) as db:
            row = db.execute(select(UserRow.id, UserRow.username, UserRow.role, WebSessionRow.csrf_token,
                                    WebSessionRow.token_hash, WebSessionRow.expires_at)
                             .join(UserRow, UserRow.id == WebSessionRow.user_id)
                             .where(WebSessionRow.token_hash == token_hash, WebSessionRow.revoked_at.is_(None),
                                    UserRow.disabled_at.is_(None))).one_or_none()
        if row is None:
            return None
        return StoredSession(row.id, row.username, row.role, row.csrf_token, row.token_hash, aware(row.expires_at))

    def close_session(self, token_hash: str, username: str) -> None:
        """Sign out: revoke the session, audited as the user's own action."""
        with transaction(self.engine) as db:
            db.execute(update(WebSessionRow).where(WebSessionRow.token_hash == token_hash).values(revoked_at=now()))
            write_audit(db, username, "signout", f"user:{username}", None, None)


def _revoke_sessions(db: Connection, user_id: int) -> None:
    db.execute(update(WebSessionRow).where(WebSessionRow.user_id == user_id, WebSessionRow.revoked_at.is_(None))
               .values(revoked_at=now()))


def _stored_user(row: Row[Any]) -> StoredUser:
    return StoredUser(row.id, row.username, row.role, row.password_hash, row.disabled_at is not None,
                      aware(row.created_at))
