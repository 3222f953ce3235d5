"""The review app's plumbing: templates, the signed session cookie, CSRF, roles, security headers, publishing."""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import redis
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from models.review_store import ReviewStore
from modscreen.review.accounts import MIN_PASSWORD_CHARS, SESSION_LIFETIME, Accounts, User
from modscreen.review.render import CATEGORY_LABELS, REJECT_REASONS, visible, visible_text
from queues.publish import OutcomePublisher, Publisher, publish_decisions
from worker.outcome import ModeratorOutcome

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "modscreen_session"
SIGNIN_COOKIE = "modscreen_signin"
SIGNIN_FORM_LIFETIME = 3600
"""A sign-in page's form works for an hour; then the page is loaded again."""
DEVICE_COOKIE = "modscreen_device"
DEVICE_LIFETIME = 180 * 86_400
"""A browser stays "known" to an account for six months after its last sign-in there."""
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
"""No inline script or style at all: even text that slipped past escaping could not run or restyle the page."""


class PageError(Exception):
    """Answer with an error page: a refusal the user should read (403 role, 404, 409 stale...)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SignInRequired(Exception):
    pass


@dataclass
class ReviewApp:
    review: ReviewStore
    accounts: Accounts
    signer: URLSafeTimedSerializer
    signin_signer: URLSafeTimedSerializer
    """Signs the sign-in form's CSRF token over the nonce in the sign-in cookie."""
    device_signer: URLSafeTimedSerializer
    """Signs the "known browser" cookie: {user, device id}."""
    redis_url: str
    stream: str
    stream_maxlen: int
    publisher: Publisher | None = None
    """Built from redis_url on first use (set to None to reconnect)."""
    body_cap: int = 100_000
    """The policy's max_body_chars: text past it was never screened, so the item page masks it."""
    templates: Environment = field(default_factory=lambda: _environment())

    def outcome_publisher(self) -> Publisher:
        if self.publisher is None:
            self.publisher = OutcomePublisher.from_url(self.redis_url, self.stream, self.stream_maxlen,
                                                       socket_timeout=5, connect_timeout=3)
        return self.publisher

    def publish(self, outcomes: list[ModeratorOutcome]) -> None:
        """After commit: the decision (and any left unpublished while Redis was down) goes to the outcome stream."""
        try:
            publish_decisions(self.review, self.outcome_publisher(), outcomes, deliver=_to_webhook)
        except redis.RedisError as error:  # stored regardless; published again with the next decision
            logger.warning("moderator decisions not published: %s", type(error).__name__)


def _to_webhook(outcomes: Sequence[ModeratorOutcome]) -> None:
    try:
        from queues.webhooks import enqueue_deliveries

        enqueue_deliveries(outcomes)
    except Exception as error:  # noqa: BLE001 — the stream has it; a webhook outage must not fail the page
        logger.warning("moderator decisions not sent to the webhook: %s", type(error).__name__)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(CATEGORY_LABELS=CATEGORY_LABELS, REJECT_REASONS=REJECT_REASONS, min_password=MIN_PASSWORD_CHARS)
    env.filters["waited"] = waited
    env.filters["visible"] = visible  # post-supplied strings: {{ text(value|visible) }} shows [RLO]-style markers
    env.filters["visible_text"] = visible_text  # the same as a plain string, for <title> and attributes
    env.filters["utc"] = lambda moment: f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""
    return env


def waited(moment: datetime | None) -> str:
    from models.store import now

    if moment is None:
        return ""
    seconds = max(0, int((now() - moment).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


def session_secret(config: Any) -> str:
    configured = config.session_secret.get_secret_value() if getattr(config, "session_secret", None) else None
    if configured:
        return configured.get_secret_value() if hasattr(configured, "get_secret_value") else str(configured)
    logger.warning("MODSCREEN_SESSION_SECRET is not set: sessions last until this process restarts "
                   "and are not shared between server processes")
    return secrets.token_urlsafe(32)


def state(request: Request) -> ReviewApp:
    return request.app.state.review


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    user = getattr(request.state, "review_user", None)
    html = state(request).templates.get_template(template).render(user=user, request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def current_user(request: Request, roles: tuple[str, ...] = ()) -> User:
    """The signed-in user (SignInRequired otherwise); PageError 403 when their role is not among `roles`."""
    cookie = request.cookies.get(SESSION_COOKIE)
    user = None
    if cookie:
        try:
            token = state(request).signer.loads(cookie, max_age=int(SESSION_LIFETIME.total_seconds()))
        except BadSignature:
            token = None
        user = state(request).accounts.session_user(token) if isinstance(token, str) else None
    if user is None:
        raise SignInRequired()
    request.state.review_user = user
    if roles and user.role not in roles:
        raise PageError(403, f"Your role ({user.role}) does not allow this; it needs: {' or '.join(roles)}.")
    return user


async def checked_form(request: Request, user: User | None) -> FormData:
    """The submitted form, once its CSRF token matches the session's (or, signed out, the sign-in cookie's)."""
    form = await request.form()
    sent = form.get("csrf_token") or request.headers.get("x-csrf-token") or ""
    if user is None:
        valid = isinstance(sent, str) and signin_token_valid(request, sent)
    else:
        valid = isinstance(sent, str) and bool(user.csrf_token) and hmac.compare_digest(sent.encode(),
                                                                                          user.csrf_token.encode())
    if not valid:
        raise PageError(403, "This form has expired or did not come from this site (missing or wrong CSRF "
                             "token). Go back, reload the page and try again.")
    return form


def signin_token_valid(request: Request, sent: str) -> bool:
    """The sign-in token is the server's signature over the nonce in the sign-in cookie: equal values forge nothing."""
    nonce = request.cookies.get(SIGNIN_COOKIE, "")
    if not nonce:
        return False
    try:
        signed = state(request).signin_signer.loads(sent, max_age=SIGNIN_FORM_LIFETIME)
    except BadSignature:
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed.encode(), nonce.encode())


def signin_form_token(request: Request, fresh: bool) -> tuple[str, str]:
    """(nonce, token) for a sign-in form: a new nonce (`fresh`) or the one in the browser's sign-in cookie."""
    nonce = "" if fresh else request.cookies.get(SIGNIN_COOKIE, "")
    if not nonce:
        nonce = secrets.token_urlsafe(32)
    return nonce, state(request).signin_signer.dumps(nonce)


def set_signin_cookie(request: Request, response: Response, nonce: str) -> None:
    response.set_cookie(SIGNIN_COOKIE, nonce, max_age=SIGNIN_FORM_LIFETIME, path="/review", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")


def known_device(request: Request, username: str) -> str | None:
    """The id of this browser if it signed in to `username` before (a valid signed cookie naming that user)."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return None
    try:
        value = state(request).device_signer.loads(cookie, max_age=DEVICE_LIFETIME)
    except BadSignature:
        return None
    if isinstance(value, dict) and value.get("user") == username and isinstance(value.get("device"), str):
        return value["device"]
    return None


def set_device_cookie(request: Request, response: Response, username: str, device: str | None) -> None:
    value = state(request).device_signer.dumps({"user": username, "device": device or secrets.token_hex(16)})
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_LIFETIME, path="/review", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")


def set_session_cookie(request: Request, response: Response, token: str | None) -> None:
    secure = request.url.scheme == "https"
    if token is None:
        response.delete_cookie(SESSION_COOKIE, path="/review", secure=secure, httponly=True, samesite="lax")
        return
    response.set_cookie(SESSION_COOKIE, state(request).signer.dumps(token), max_age=int(SESSION_LIFETIME.total_seconds()),
                        path="/review", secure=secure, httponly=True, samesite="lax")


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def signin_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect("/review/signin?next=" + quote(target, safe=""))


class SecurityHeaders:
    """Pure ASGI middleware: strict headers on every /review response (the JSON API is left as it was).

    Error pages too: a 404, 405 or 413, and a 500 from an unexpected exception, which this
    middleware answers itself (with the headers) before letting the exception go on to be logged.
    """

    HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
               (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
               (b"cross-origin-opener-policy", b"same-origin")]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/review"):
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/review/static/")
        started = False

        async def with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", [])) + self.HEADERS
                if not static:  # pages may show personal data: never keep them in a cache
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            if not started:
                await send_error_page(scope, with_headers, 500, "Something went wrong on our side; it was logged. "
                                                                "Go back and try again.")
            raise


async def send_error_page(scope: dict, send: Any, status: int, message: str, close: bool = False) -> None:
    """An HTML error page sent straight to ASGI `send` (for middleware, where no route renders it)."""
    try:
        html = scope["app"].state.review.templates.get_template("error.html").render(
            user=None, request_path=scope.get("path", ""), message=message)
    except Exception:  # noqa: BLE001 — the error page must go out even if the templates cannot
        html = f"<!doctype html><title>Error {status}</title><h1>Not done</h1><p>{escape(message)}</p>"
    body = html.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                            *([(b"connection", b"close")] if close else [])]})
    await send({"type": "http.response.body", "body": body})
