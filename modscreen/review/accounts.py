"""People using the review app: argon2-hashed passwords, throttled sign-ins, server-side sessions.

A session token is 256 random bits; the browser holds it signed (itsdangerous) in an HttpOnly,
SameSite cookie, the database only its SHA-256, so neither a stolen database nor a forged
cookie signs anybody in. Each session carries its own CSRF token.

Failed sign-ins slow down the address and the username they come from (modscreen.review.throttle);
no account is ever locked, and an unknown username is answered exactly like a known one: the
same message, the same throttling, the same argon2 work.

The rows (users, sessions, their audit) are models/accounts_store.py's: it is handed hashes, never secrets.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.accounts_store import AccountsStore, UsernameTaken
from models.db import now
from modscreen.review import passwords
from modscreen.review.throttle import SigninThrottle, Throttled, ThrottlePolicy

if TYPE_CHECKING:
    from sqlalchemy import Engine  # the engine is passed through to the stores, never used here

ROLES = ("moderator", "analyst", "admin")
SESSION_LIFETIME = timedelta(hours=12)
"""One working day; signing in again each morning is the price of a stolen laptop's cookie dying."""
MIN_PASSWORD_CHARS = passwords.MIN_PASSWORD_CHARS
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")
WRONG = "Wrong username or password."

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("an account that does not exist")


class AccountError(ValueError):
    """A user command that cannot be done; the message says why."""


class SignInRefused(Exception):
    """Wrong credentials (or a disabled account: the same answer), or too many failures; safe to show.

    `status` is 401, or 429 with `retry_after` seconds when the address or the username must wait.
    """

    def __init__(self, message: str, status: int = 401, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    csrf_token: str = ""
    session_hash: str = ""
    disabled: bool = False
    slowed_until: datetime | None = None
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
    def __init__(self, engine: Engine, throttle_policy: ThrottlePolicy | None = None) -> None:
        self.engine = engine
        self.store = AccountsStore(engine)
        self.throttle = SigninThrottle(engine, throttle_policy)

    # ---- users ---------------------------------------------------------------------------------
    def add(self, username: str, password: str, role: str, actor: str) -> User:
        if not USERNAME.fullmatch(username):
            raise AccountError("a username is 1-128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        _check_password(password, username)
        try:
            user_id = self.store.add_user(username, _hasher.hash(password), role, actor)
        except UsernameTaken:
            raise AccountError(f"a user named {username!r} already exists") from None
        return User(user_id, username, role)

    def all(self) -> list[User]:
        users = self.store.users()
        slowed = self.throttle.waiting_until([user.username for user in users])
        return [User(user.id, user.username, user.role, disabled=user.disabled, slowed_until=slowed.get(user.username),
                     created_at=user.created_at) for user in users]

    def set_password(self, username: str, password: str, actor: str) -> None:
        """A new password (checked like any new one), ending every session of the user."""
        _check_password(password, username)
        if not self.store.set_password_hash(username, _hasher.hash(password), actor):
            raise AccountError(f"no user named {username!r}")

    def change_own_password(self, username: str, current: str, new: str, address: str = "",
                            device: str | None = None) -> None:
        """A signed-in user's own change: the current password is checked, and throttled, as a sign-in is."""
        _check_password(new, username)
        buckets = self.throttle.buckets(username, address, device)
        try:
            self.throttle.charge(buckets)  # a stolen session must not become a way to guess the password
        except Throttled as wait:
            raise SignInRefused(_wait_message(wait.retry_after), 429, wait.retry_after) from None
        user = self.store.user(username)
        if user is None or not _verify(user.password_hash, current):
            raise AccountError("the current password is wrong")
        self.throttle.succeeded(buckets)
        self.set_password(username, new, username)

    def change(self, username: str, actor: str, *, role: str | None = None, disable: bool = False,
               unlock: bool = False) -> None:
        if role is not None and role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if not self.store.change_user(username, actor, role=role, disable=disable, unlock=unlock):
            raise AccountError(f"no user named {username!r}")
        if unlock:
            self.throttle.reset(username)

    # ---- signing in ----------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, address: str = "", device: str | None = None) -> tuple[User, str]:
        """Check the password; return the user and a new session token. SignInRefused otherwise.

        `address` is where the attempt comes from; `device` the id of a browser that signed in to
        `username` before (its signed cookie), whose failures are counted apart from strangers'.
        """
        buckets = self.throttle.buckets(username, address, device)
        try:
            self.throttle.charge(buckets)  # counted as a failure before the password is even looked at
        except Throttled as wait:
            raise SignInRefused(_wait_message(wait.retry_after), 429, wait.retry_after) from None
        moment = now()
        user = self.store.user(username)
        if user is None or user.disabled:
            _verify(_DUMMY_HASH, password)  # the same work as a real check: time tells no usernames
            raise SignInRefused(WRONG)
        if not _verify(user.password_hash, password):
            raise SignInRefused(WRONG)
        self.throttle.succeeded(buckets)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(user.password_hash) else None
        self.store.open_session(user, token_hash(token), csrf, moment, moment + SESSION_LIFETIME, rehashed)
        return User(user.id, user.username, user.role, csrf, token_hash(token)), token

    def session_user(self, token: str) -> User | None:
        session = self.store.session(token_hash(token))
        if session is None or session.expires_at <= now():
            return None
        return User(session.user_id, session.username, session.role, session.csrf_token, session.token_hash)

    def sign_out(self, user: User) -> None:
        self.store.close_session(user.session_hash, user.username)


def _wait_message(retry_after: float) -> str:
    return f"Too many failed sign-ins. Try again in {max(1, int(retry_after + 0.999))} s."


def _check_password(password: str, username: str) -> None:
    trouble = passwords.problem(password, username)
    if trouble:
        raise AccountError(trouble)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
