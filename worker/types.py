"""The few core types that cross module lines: Post in, Verdict out, and what lies between.

All are frozen. A check yields ``Hit``s against a ``Document`` (the post's text with markup
removed); the engine turns them into ``Finding``s whose evidence points into the fields *as
submitted*; the policy turns findings into a ``Verdict``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from worker.categories import CATALOGUE

FieldName = Literal["body", "title"]


class Decision(StrEnum):
    """Declared from mildest to harshest: severity is the position."""

    APPROVE = "approve"
    REVIEW = "review"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Decision.APPROVE: 0, Decision.REVIEW: 1, Decision.REJECT: 2}


Category = StrEnum("Category", {info.name.upper(): info.name for info in CATALOGUE})
"""The public list of categories (the contract), in the catalogue's order (worker/categories.py);
a policy sets thresholds for each."""


class PostFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"
    BBCODE = "bbcode"


OptionalText = Annotated[str, StringConstraints(max_length=10_000)] | None


def _has_surrogate(value: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in value)


MAX_ID_CHARS = 128


def normal_post_id(value: str) -> str:
    """A post id in its one stored form: NFC-normalised, printable, 1-128 characters; ValueError otherwise.

    NFC makes "café-1" typed with a precomposed é or with e + U+0301 one post. Control, format
    (bidi overrides, zero-width), line and paragraph separator characters are refused: an id is
    shown to moderators and read back in a URL path, where such characters hide or break it.
    """
    value = unicodedata.normalize("NFC", value)
    bad = next((ch for ch in value if not ch.isprintable() and ch != " "), None)
    if bad is not None:
        raise ValueError(f"must be printable: U+{ord(bad):04X} ({unicodedata.category(bad)}, a control, format or "
                         "separator character) is not allowed")
    if not 1 <= len(value) <= MAX_ID_CHARS:
        raise ValueError(f"must be 1 to {MAX_ID_CHARS} characters after NFC normalisation")
    return value


class Post(BaseModel):
    """One post as the community backend submits it (the public input contract)."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")

    id: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS)]
    """NFC-normalised, printable (see normal_post_id)."""
    body: str
    title: OptionalText = None
    format: PostFormat = PostFormat.TEXT
    topic_id: OptionalText = None
    topic_title: OptionalText = None
    reply_to: OptionalText = None
    author_id: OptionalText = None
    language: Annotated[str, StringConstraints(max_length=35)] | None = None
    created_at: OptionalText = None
    revision: Annotated[int, Field(ge=1, le=2**31 - 1)] = 1

    @field_validator("format", mode="before")
    @classmethod
    def _format_from_string(cls, value: object) -> object:
        # strict mode refuses a plain string for an enum; the wire format is a string
        if isinstance(value, str):
            try:
                return PostFormat(value)
            except ValueError:
                raise ValueError(f"must be one of {', '.join(f.value for f in PostFormat)}") from None
        return value

    @field_validator("id")
    @classmethod
    def _normal_id(cls, value: str) -> str:
        return normal_post_id(value)

    @field_validator("reply_to")
    @classmethod
    def _normal_reference(cls, value: str | None) -> str | None:
        # it names a post id: normalised the same way, so the reply finds its parent
        return unicodedata.normalize("NFC", value) if value is not None else None

    @field_validator("created_at")
    @classmethod
    def _iso_8601(cls, value: str | None) -> str | None:
        if value is not None:
            from datetime import datetime

            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise ValueError("must be an ISO 8601 date-time") from None
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_lone_surrogates(cls, value: object) -> object:
        if isinstance(value, str) and _has_surrogate(value):
            return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
        return value

    @property
    def is_reply(self) -> bool:
        return self.reply_to is not None


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open [start, end) into one field's screened text (``FieldText.text``).

    ``in_source``: the offsets are into the submitted source instead, for evidence found in text
    set aside from the screened text (code blocks, quotes: ``FieldText.set_aside``), which the
    personal_data check reads too.
    """

    field: FieldName
    start: int
    end: int
    in_source: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check reports. The engine stamps the check's identity on it."""

    code: str
    score: float
    message: str
    spans: tuple[Span, ...] = ()
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the field as submitted, markup included, so a UI can highlight the original."""

    field: FieldName
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    category: str
    code: str
    score: float
    message: str
    evidence: tuple[Evidence, ...]
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class CheckFailure:
    check: str
    error: str


@dataclass(frozen=True, slots=True)
class Reason:
    category: str
    code: str
    score: float
    threshold: float
    action: Decision
    message: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    post_id: str
    revision: int
    decision: Decision
    language: str | None
    scores: dict[str, float]
    reasons: tuple[Reason, ...]
    failures: tuple[CheckFailure, ...]
    policy_version: str
    content_hash: str
    checks: dict[str, str]
    findings: tuple[Finding, ...] = field(default=())
    truncated: bool = False
