"""The public wire format: JSON lines in, one verdict (or one error) out per line."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from worker.outcome import ScreeningOutcome
from worker.types import Post, Verdict

MAX_LINE_BYTES = 16 * 1024 * 1024
"""A line longer than this is refused whole: bodies past the policy's cap are screened truncated,
but nobody submits 16 MB of text as a forum post."""


class RecordError(ValueError):
    """A record that cannot be screened; the message says why and names the field."""


def parse_post(raw: bytes | str) -> Post:
    """Decode one JSON record into a Post, or raise RecordError with a clear reason."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RecordError(f"invalid UTF-8 at byte {error.start}") from None
    if not raw.strip():
        raise RecordError("empty line: expected a JSON object")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise RecordError(f"invalid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise RecordError("invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise RecordError(f"expected a JSON object, got {type(data).__name__}")
    try:
        return Post.model_validate(data)
    except ValidationError as error:
        raise RecordError(describe_validation_error(error)) from None


def describe_validation_error(error: ValidationError) -> str:
    problems = []
    for problem in error.errors()[:5]:
        field = ".".join(str(part) for part in problem["loc"]) or "record"
        message = "is required" if problem["type"] == "missing" else problem["msg"].removeprefix("Value error, ")
        problems.append(f"{field}: {message}")
    return "; ".join(problems)


def error_record(line: int, message: str, post_id: object = None) -> dict[str, Any]:
    record: dict[str, Any] = {"line": line, "error": message}
    if isinstance(post_id, str) and 0 < len(post_id) <= 128:
        record["post_id"] = post_id
    return record


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    return ScreeningOutcome.from_verdict(verdict).as_line()


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
