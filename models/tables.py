"""The tables. The database, not the broker, is the source of truth for every accepted post.

posts ─< post_revisions ─< screenings ─< reasons
  │                            └─< webhook_deliveries
  └─< moderator_decisions        audit_events, api_clients, dead_letters stand alone
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets 64-bit keys.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


class PostRow(Base):
    """One row per post id: where its latest accepted revision stands."""

    __tablename__ = "posts"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    revision: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))  # pending | screened | error
    topic_id: Mapped[str | None] = mapped_column(String(10_000))
    author_id: Mapped[str | None] = mapped_column(String(10_000))
    received_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    current_screening_id: Mapped[int | None] = mapped_column(BigId)
    client: Mapped[str | None] = mapped_column(String(128))
    """The API client that submitted the post first: only it may read or revise it (unless ids are shared).
    None for posts recorded by Python backends through the Submitter."""


class RevisionRow(Base):
    """Every accepted (post, revision, content): recorded before anything is enqueued."""

    __tablename__ = "post_revisions"
    __table_args__ = (
        UniqueConstraint("post_id", "revision", "content_hash"),
        Index(None, "status", "enqueued_at"),  # the reconciler: pending for too long
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    post_id: Mapped[str] = mapped_column(String(128), ForeignKey("posts.id"), index=True)
    revision: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]]
    """The post as submitted (the JSON contract); body and title are purged after retention."""
    status: Mapped[str] = mapped_column(String(16))  # pending | screened | superseded | error
    client: Mapped[str | None] = mapped_column(String(128))
    received_at: Mapped[datetime]
    enqueued_at: Mapped[datetime | None]
    screened_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    purged_at: Mapped[datetime | None]


class ScreeningRow(Base):
    """The outcome of screening one revision under one policy role (live, or shadow for analysts)."""

    __tablename__ = "screenings"
    __table_args__ = (
        # a revision has one *active* screening per role; a re-screen (`modscreen rescreen`) marks the
        # old one superseded (kept as history) and allows a new one
        Index("uq_screenings_active_revision_role", "revision_id", "role", unique=True,
              sqlite_where=text("superseded_at IS NULL"), postgresql_where=text("superseded_at IS NULL")),
        # the review queue: each tab asks for one review state (and decision) of current, live screenings
        Index("ix_screenings_queue", "review_state", "decision", "is_current", "role"),
        Index(None, "screened_at"),  # outcomes since T
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    revision_id: Mapped[int] = mapped_column(BigId, ForeignKey("post_revisions.id"))
    post_id: Mapped[str] = mapped_column(String(128), index=True)
    revision: Mapped[int]
    role: Mapped[str] = mapped_column(String(16), default="live")
    decision: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16))
    scores: Mapped[dict[str, Any]]
    failures: Mapped[list[Any]]
    checks: Mapped[dict[str, Any]]
    policy_version: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(80))
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    review_state: Mapped[str] = mapped_column(String(16), default="open")  # open | decided (moderator app)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_until: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    """Optimistic lock for moderator decisions."""
    screened_at: Mapped[datetime]
    latency_ms: Mapped[float]
    published_at: Mapped[datetime | None]
    superseded_at: Mapped[datetime | None]  # set when a re-screen replaced this screening


class ReasonRow(Base):
    __tablename__ = "reasons"
    __table_args__ = (Index(None, "category", "score"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    screening_id: Mapped[int] = mapped_column(BigId, ForeignKey("screenings.id"), index=True)
    position: Mapped[int]
    category: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(128))
    score: Mapped[float]
    threshold: Mapped[float]
    action: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]]
    """[{field, start, end, text}]; the text is purged after retention, the offsets are kept."""


class ModeratorDecisionRow(Base):
    __tablename__ = "moderator_decisions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    screening_id: Mapped[int] = mapped_column(BigId, ForeignKey("screenings.id"), index=True)
    post_id: Mapped[str] = mapped_column(String(128), index=True)
    moderator: Mapped[str] = mapped_column(String(128))
    decision: Mapped[str] = mapped_column(String(16))  # approve | reject | escalate
    reason_code: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(index=True)
    published_at: Mapped[datetime | None]


class UserRow(Base):
    """A person using the web app: moderator, analyst or admin. Passwords are argon2 hashes."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))  # moderator | analyst | admin
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class SigninThrottleRow(Base):
    """Failed sign-ins counted per source address, per username (known or not) and per known browser.

    One row per bucket; an attempt is charged by one conditional UPDATE before its password is
    checked, so concurrent attempts can never all slip under the limit (modscreen.review.throttle).
    """

    __tablename__ = "signin_throttles"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)  # address:… | account:<sha256> | device:…
    failures: Mapped[int] = mapped_column(Integer)
    blocked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]


class WebSessionRow(Base):
    """A signed-in browser. Only a hash of the session token is stored, so a database leak signs nobody in."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class PolicyVersionRow(Base):
    """Every policy ever applied or proposed, with who, when, why; one is live, others candidates or shadows."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(128))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # candidate | live | shadow | retired
    activated_at: Mapped[datetime | None]


class AuditEventRow(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(256))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ApiClientRow(Base):
    """A backend allowed to submit posts over HTTP; only a hash of its token is stored."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WebhookDeliveryRow(Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    attempt: Mapped[int]
    attempted_at: Mapped[datetime]
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    delivered: Mapped[bool] = mapped_column(Boolean)


class DeadLetterRow(Base):
    """A message that could not be tied to any post: kept with its payload for a human."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime]
    task: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(Text)
