"""The moderator review app, served under /review by `modscreen api`.

    install_review(app, store, config)     # in modscreen.api.create_app

Server-rendered pages (Jinja2, autoescaped) that work without JavaScript; static/review.js adds
keyboard shortcuts and keeps a claim alive while an item is open. Decisions are stored,
audited and published on the outcome stream with kind "moderator".
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from models.review_store import ReviewStore
from models.store import Store
from modscreen.review.accounts import Accounts
from modscreen.review.limits import FormSizeCap
from modscreen.review.throttle import ThrottlePolicy
from modscreen.review.web import (
    HERE,
    PageError,
    ReviewApp,
    SecurityHeaders,
    SignInRequired,
    render,
    session_secret,
    signin_redirect,
)

CLAIM_SECONDS = 300
"""A claim lasts five minutes and an open page renews it every minute: a closed tab frees its item soon."""


def install_review(app: FastAPI, store: Store, config: Any, *, publisher: Any = None,
                   claim_seconds: int = CLAIM_SECONDS) -> None:
    """Mount the review app's routes, static files, error pages and security headers on `app`."""
    from modscreen.review.routes_admin import router as admin_router
    from modscreen.review.routes_analytics import install_analytics
    from modscreen.review.routes_items import router as items_router
    from modscreen.review.routes_queue import router as queue_router

    secret = session_secret(config)
    app.state.review = ReviewApp(
        review=ReviewStore(store.engine, claim_seconds=claim_seconds),
        accounts=Accounts(store.engine, ThrottlePolicy.from_settings(config)),
        signer=URLSafeTimedSerializer(secret, salt="modscreen-review-session"),
        signin_signer=URLSafeTimedSerializer(secret, salt="modscreen-review-signin-form"),
        device_signer=URLSafeTimedSerializer(secret, salt="modscreen-review-known-browser"),
        redis_url=config.outcome_redis_url, stream=config.outcome_stream, stream_maxlen=config.outcome_stream_maxlen,
        publisher=publisher, body_cap=_body_cap(config),
    )
    app.include_router(admin_router, include_in_schema=False)
    app.include_router(queue_router, include_in_schema=False)
    app.include_router(items_router, include_in_schema=False)
    install_analytics(app, store.engine, config)  # analysts' report, sweep, slider, policy versions
    app.add_api_route("/review/static/categories.css", _category_stylesheet, include_in_schema=False)
    app.mount("/review/static", StaticFiles(directory=HERE / "static"), name="review-static")
    app.add_middleware(FormSizeCap, max_bytes=config.max_form_bytes)  # inside SecurityHeaders: a 413 gets them too
    app.add_middleware(SecurityHeaders)

    async def page_error(request: Request, error: PageError) -> Response:
        return render(request, "error.html", status=error.status, message=error.message)

    async def sign_in_required(request: Request, _error: SignInRequired) -> Response:
        return signin_redirect(request)

    app.add_exception_handler(PageError, page_error)
    app.add_exception_handler(SignInRequired, sign_in_required)


def _body_cap(config: Any) -> int:
    """The body cap of the policy file (the live policy's is the same unless an analyst changed it)."""
    import tomllib

    try:
        with open(getattr(config, "policy_path"), "rb") as policy:
            limits = tomllib.load(policy).get("limits", {})
        return int(limits.get("max_body_chars", 100_000))
    except (OSError, ValueError, TypeError, AttributeError, tomllib.TOMLDecodeError):
        return 100_000


def _category_stylesheet() -> Response:
    """The category colours, from the catalogue (a static file beside it would be a second copy)."""
    from modscreen.review.render import category_stylesheet

    return Response(category_stylesheet(), media_type="text/css")
