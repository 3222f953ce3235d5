"""Screen a stream of JSON lines in batches: every input line yields exactly one output record, in order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from worker.engine import Engine
from worker.serialize import MAX_LINE_BYTES, RecordError, error_record, parse_post, verdict_record
from worker.types import Post

DEFAULT_BATCH_SIZE = 256


def read_lines(stream: BinaryIO, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[bytes | RecordError]:
    """Yield each line's bytes, or a RecordError for a line over the limit (read past, never held whole)."""
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            return
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield RecordError(f"line longer than {max_line_bytes} bytes")
            continue
        yield line.rstrip(b"\r\n")


def screen_lines(engine: Engine, lines: Iterable[bytes | RecordError], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[dict[str, Any]]:
    pending: list[tuple[int, Post | dict[str, Any]]] = []
    posts_pending = 0
    for number, line in enumerate(lines, start=1):
        item = _parse(number, line)
        pending.append((number, item))
        posts_pending += isinstance(item, Post)
        if posts_pending >= batch_size:
            yield from _flush(engine, pending)
            pending, posts_pending = [], 0
    yield from _flush(engine, pending)


def _parse(number: int, line: bytes | RecordError) -> Post | dict[str, Any]:
    if isinstance(line, RecordError):
        return error_record(number, str(line))
    try:
        return parse_post(line)
    except RecordError as error:
        return error_record(number, str(error), _id_if_any(line))


def _id_if_any(line: bytes) -> object:
    # an invalid record still names its post when it can, so the backend can match the error
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return data.get("id") if isinstance(data, dict) else None


def _flush(engine: Engine, pending: list[tuple[int, Post | dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    posts = [item for _, item in pending if isinstance(item, Post)]
    verdicts = iter(engine.screen_many(posts) if posts else [])
    for number, item in pending:
        if isinstance(item, Post):
            try:
                yield verdict_record(next(verdicts))
            except Exception as error:  # never lose a line: a serialisation bug still yields a record
                yield error_record(number, f"internal error: {type(error).__name__}", item.id)
        else:
            yield item
