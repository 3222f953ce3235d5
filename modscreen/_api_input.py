"""Reading a submission: a capped request body, JSON, then every post validated before any is kept.

A request is all-or-nothing, so every problem is collected (with the post's position) and
reported at once: a backend fixes its batch in one round trip instead of one error at a time.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from pydantic import ValidationError

from worker.types import Post

MAX_POSTS_PER_REQUEST = 1_000
"""Matches the largest batch a worker message may carry (queues.tasks.MAX_BATCH)."""
MAX_PROBLEMS_REPORTED = 100
"""A batch of 1,000 broken posts must not produce a megabyte of error text."""


class SubmissionError(Exception):
    """The request cannot be accepted; `status` is the HTTP status, `problems` name each culprit."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


async def read_capped(declared_length: str | None, chunks: AsyncIterator[bytes], cap: int) -> bytes:
    """The whole body, or 413 as soon as it is known to exceed `cap` (never buffering past it)."""
    if declared_length is not None:
        try:
            length = int(declared_length)
        except ValueError:
            raise SubmissionError(400, "invalid Content-Length header") from None
        if length > cap:
            raise SubmissionError(413, f"request body of {length:,} bytes is over the limit of {cap:,} bytes")
    received: list[bytes] = []
    size = 0
    async for chunk in chunks:  # chunked uploads carry no Content-Length: count as they arrive
        size += len(chunk)
        if size > cap:
            raise SubmissionError(413, f"request body is over the limit of {cap:,} bytes")
        received.append(chunk)
    return b"".join(received)


def decode_json(raw: bytes) -> Any:
    if not raw.strip():
        raise SubmissionError(400, "empty request body: expected a JSON post or {\"posts\": [...]}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SubmissionError(400, f"invalid UTF-8 at byte {error.start}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SubmissionError(400, f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise SubmissionError(400, "invalid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer of thousands of digits (Python's int conversion limit)
        raise SubmissionError(400, f"invalid JSON: {error}") from None


def posts_of(document: Any) -> tuple[list[Post], bool]:
    """The posts of a submission and whether it was a batch; 422 naming every invalid field.

    An object with a `posts` key is a batch; any other object is one post (the input contract,
    whose unknown fields are ignored, so `posts` is the one name a single post cannot use).
    """
    if not isinstance(document, dict):
        raise SubmissionError(422, "expected a JSON object: one post, or {\"posts\": [...]}",
                              [f"request: expected an object, got {_json_type(document)}"])
    if "posts" not in document:
        return [_validate(document, "")], False
    items = document["posts"]
    if not isinstance(items, list):
        raise SubmissionError(422, "invalid batch", [f"posts: expected an array, got {_json_type(items)}"])
    if not 1 <= len(items) <= MAX_POSTS_PER_REQUEST:
        raise SubmissionError(422, "invalid batch",
                              [f"posts: must hold 1 to {MAX_POSTS_PER_REQUEST:,} posts, got {len(items):,}"])
    posts: list[Post] = []
    problems: list[str] = []
    invalid = 0
    for position, item in enumerate(items):
        try:
            posts.append(_validate(item, f"posts[{position}]"))
        except SubmissionError as error:
            invalid += 1
            problems += error.problems
    if problems:
        raise SubmissionError(422, f"{invalid} of {len(items)} posts are invalid; nothing was accepted",
                              _capped(problems))
    return posts, True


def oversized_bodies(posts: list[Post], batch: bool, max_body_bytes: int) -> None:
    """413 naming each post whose body is over the limit (measured in UTF-8 bytes, as stored)."""
    problems = []
    for position, post in enumerate(posts):
        size = len(post.body.encode("utf-8"))
        if size > max_body_bytes:
            where = f"posts[{position}] (id {post.id!r})" if batch else f"post {post.id!r}"
            problems.append(f"{where}: body is {size:,} bytes, over the limit of {max_body_bytes:,}")
    if problems:
        raise SubmissionError(413, f"{len(problems)} post bodies are too large; nothing was accepted",
                              _capped(problems))


def _validate(item: Any, position: str) -> Post:
    if not isinstance(item, dict):
        raise SubmissionError(422, "invalid post", [f"{position or 'request'}: expected an object, got {_json_type(item)}"])
    try:
        return Post.model_validate(item)
    except ValidationError as error:
        raise SubmissionError(422, "invalid post", [_describe(problem, position) for problem in error.errors()]) from None


def _describe(problem: Any, position: str) -> str:
    field = ".".join(str(part) for part in problem["loc"]) or "post"
    where = f"{position}.{field}" if position else field
    if problem["type"] == "missing":
        return f"{where}: is required"
    message = problem["msg"].removeprefix("Value error, ")
    return f"{where}: {message[:1].lower()}{message[1:]}"


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS_REPORTED:
        return problems
    return problems[:MAX_PROBLEMS_REPORTED] + [f"... and {len(problems) - MAX_PROBLEMS_REPORTED} more problems"]


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
