"""A cap on the size of every request body sent to the review app, enforced before anything parses it.

Every form of the review app is small (a decision, a note, a bulk selection, a policy proposal):
a body larger than `max_bytes` is refused with 413 at once when its Content-Length says so, and,
when it comes in chunks without a length, as soon as the bytes received pass the cap. Either way
the rest is never read, and the connection is closed after the answer.
"""

from __future__ import annotations

from typing import Any

from modscreen.review.web import send_error_page


class BodyTooLarge(Exception):
    pass


class FormSizeCap:
    """Pure ASGI middleware for /review: 413 for a body over `max_bytes`, before the route reads it."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/review"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send)
            return
        received = 0
        started = False

        async def counted() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge()
            return message

        async def tracked(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if started:  # nothing to answer any more: the server drops the connection
                raise
            await self._refuse(scope, send)

    async def _refuse(self, scope: dict, send: Any) -> None:
        await send_error_page(scope, send, 413, f"This form is too large: the review app accepts at most "
                                                f"{self.max_bytes:,} bytes. Nothing was done.", close=True)


def _content_length(scope: dict) -> int | None:
    """The declared body size; an unreadable Content-Length counts as too large (servers refuse it earlier anyway)."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 1 << 62
    return None
