"""People using the review app: argon2-hashed passwords, lockout, server-side sessions.

A session token is 256 random bits; the browser holds it signed (itsdangerous) in an HttpOnly,
SameSite cookie, the database only its SHA-256, so neither a stolen database nor a forged
cookie signs anybody in. Each session carries its own CSRF token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.review_store import ReviewStore, aware
from models.store import now
from models.tables import UserRow, WebSessionRow

ROLES = ("moderator", "analyst", "admin")
MAX_FAILED_SIGNINS = 5
"""Five wrong passwords in a row lock the account: enough for typos, too few for guessing."""
LOCKOUT = timedelta(minutes=15)
"""Long enough to make online guessing hopeless (20 tries an hour), short enough not to need an admin."""
SESSION_LIFETIME = timedelta(hours=12)
"""One working day; signing in again each morning is the price of a stolen laptop's cookie dying."""
MIN_PASSWORD_CHARS = 10
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("an account that does not exist")


class AccountError(ValueError):
    """A user command that cannot be done; the message says why."""


class SignInRefused(Exception):
    """Wrong credentials, a disabled account, or a locked one; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    csrf_token: str = ""
    session_hash: str = ""
    disabled: bool = False
    locked_until: datetime | None = None
    created_at: datetime | None = None

    @property
    def can_decide(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.review = ReviewStore(engine)

    # ---- users ---------------------------------------------------------------------------------
    def add(self, username: str, password: str, role: str, actor: str) -> User:
        if not USERNAME.fullmatch(username):
            raise AccountError("a username is 1-128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
        try:
            with self.review.transaction() as db:
                user_id = db.execute(insert(UserRow).values(
                    username=username, password_hash=_hasher.hash(password), role=role, failed_logins=0,
                    created_at=now()).returning(UserRow.id)).scalar_one()
                self.review.audit(db, actor, "user.add", f"user:{username}", None, {"role": role})
        except IntegrityError:
            raise AccountError(f"a user named {username!r} already exists") from None
        return User(user_id, username, role)

    def all(self) -> list[User]:
        with self.review.transaction() as db:
            rows = db.execute(select(UserRow.__table__).order_by(UserRow.username)).all()
        return [User(r.id, r.username, r.role, disabled=r.disabled_at is not None, locked_until=aware(r.locked_until),
                     created_at=aware(r.created_at)) for r in rows]

    def change(self, username: str, actor: str, *, role: str | None = None, disable: bool = False,
               unlock: bool = False) -> None:
        if role is not None and role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        with self.review.transaction() as db:
            user = db.execute(select(UserRow.__table__).where(UserRow.username == username)).one_or_none()
            if user is None:
                raise AccountError(f"no user named {username!r}")
            before = {"role": user.role, "disabled": user.disabled_at is not None}
            values: dict = {}
            if role is not None:
                values["role"] = role
            if disable:
                values["disabled_at"] = now()
                db.execute(update(WebSessionRow).where(WebSessionRow.user_id == user.id,
                                                       WebSessionRow.revoked_at.is_(None)).values(revoked_at=now()))
            if unlock:
                values.update(failed_logins=0, locked_until=None)
            db.execute(update(UserRow).where(UserRow.id == user.id).values(**values))
            action = "user.disable" if disable else "user.unlock" if unlock else "user.role"
            self.review.audit(db, actor, action, f"user:{username}", before,
                              {"role": role or user.role, "disabled": disable or before["disabled"]})

    # ---- signing in ----------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> tuple[User, str]:
        """Check the password; return the user and a new session token. SignInRefused otherwise."""
        moment = now()
        with self.review.transaction() as db:
            user = db.execute(select(UserRow.__table__).where(UserRow.username == username)).one_or_none()
        if user is None or user.disabled_at is not None:
            _verify(_DUMMY_HASH, password)  # as slow as a real check: response times reveal no usernames
            raise SignInRefused("Wrong username or password.")
        if user.locked_until is not None and aware(user.locked_until) > moment:
            raise SignInRefused(f"Too many failed sign-ins: this account is locked until "
                                f"{aware(user.locked_until):%H:%M} UTC. An admin can unlock it sooner.")
        if not _verify(user.password_hash, password):
            self._failed(user)
            raise SignInRefused("Wrong username or password.")
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.review.transaction() as db:
            values = {"failed_logins": 0, "locked_until": None}
            if _hasher.check_needs_rehash(user.password_hash):
                values["password_hash"] = _hasher.hash(password)
            db.execute(update(UserRow).where(UserRow.id == user.id).values(**values))
            db.execute(insert(WebSessionRow).values(token_hash=token_hash(token), user_id=user.id, csrf_token=csrf,
                                                    created_at=moment, expires_at=moment + SESSION_LIFETIME))
            self.review.audit(db, user.username, "signin", f"user:{user.username}", None, None)
        return User(user.id, user.username, user.role, csrf, token_hash(token)), token

    def _failed(self, user: Any) -> None:
        with self.review.transaction() as db:
            failures = db.execute(update(UserRow).where(UserRow.id == user.id)
                                  .values(failed_logins=UserRow.failed_logins + 1)
                                  .returning(UserRow.failed_logins)).scalar_one()
            if failures >= MAX_FAILED_SIGNINS:
                until = now() + LOCKOUT
                db.execute(update(UserRow).where(UserRow.id == user.id).values(failed_logins=0, locked_until=until))
                self.review.audit(db, "system", "user.locked", f"user:{user.username}", None,
                                  {"locked_until": until.isoformat(), "failures": failures})

    def session_user(self, token: str) -> User | None:
        with self.review.transaction() as db:
            row = db.execute(select(UserRow.id, UserRow.username, UserRow.role, WebSessionRow.csrf_token,
                                    WebSessionRow.token_hash, WebSessionRow.expires_at)
                             .join(UserRow, UserRow.id == WebSessionRow.user_id)
                             .where(WebSessionRow.token_hash == token_hash(token), WebSessionRow.revoked_at.is_(None),
                                    UserRow.disabled_at.is_(None))).one_or_none()
        if row is None or aware(row.expires_at) <= now():
            return None
        return User(row.id, row.username, row.role, row.csrf_token, row.token_hash)

    def sign_out(self, user: User) -> None:
        with self.review.transaction() as db:
            db.execute(update(WebSessionRow).where(WebSessionRow.token_hash == user.session_hash)
                       .values(revoked_at=now()))
            self.review.audit(db, user.username, "signout", f"user:{user.username}", None, None)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
