"""The HTTP API, for community backends not written in Python (the Python ones use queues.client).

    uvicorn --factory modscreen.api:create_app        (or `modscreen api`)

POST /v1/posts records posts exactly as `Submitter` does (database first, then the queue), so a
broker outage still answers 202: the reconciler enqueues what was recorded. Nothing connects
when the app is built; connections open on first use, in the serving process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import redis
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException

from config.settings import Settings
from models.store import Acceptance, ForeignPosts, Store, StoreUnavailable
from modscreen._api_clients import ApiClients
from modscreen._api_input import (
    MAX_POSTS_PER_REQUEST, SubmissionError, decode_json, oversized_bodies, posts_of, read_capped,
)
from modscreen._api_models import (
    AcceptedPost, ErrorResponse, Health, PostStatus, Submission, submission_request_body,
)
from modscreen._api_observe import AccessLog, ApiMetrics
from queues.client import Submitter
from worker.types import Post, normal_post_id

"""Room for JSON syntax and the other fields of a full batch of maximum-size bodies."""
RETRY_AFTER_SECONDS = "5"

DESCRIPTION = """Submit community posts for screening and read their outcomes.

Every `/v1` route needs `Authorization: Bearer <token>` (tokens: `modscreen clients add NAME`).
`/healthz` and `/metrics` need none: keep them reachable from the load balancer and the
Prometheus server only (firewall them from the internet).
"""


@dataclass
class Services:
    """What the routes use, held on `app.state` so each app (and each test) has its own."""

    store: Store
    submitter: Submitter
    clients: ApiClients
    broker: redis.Redis
    metrics: ApiMetrics
    max_body_bytes: int
    max_request_bytes: int
    shared_post_ids: bool = False
    """MODSCREEN_API_SHARED_POST_IDS: every client may read and revise every post id (off: each its own)."""
    cleanups: list[Callable[[], Any]] = field(default_factory=list)


def services(request: Request) -> Services:
    return request.app.state.services


bearer = HTTPBearer(auto_error=False, description="A client token made by `modscreen clients add NAME`.")


def authenticated_client(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The calling client's name; 401 unless it holds a live token (missing, unknown and revoked alike)."""
    if credentials is None:
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    name = services(request).clients.authenticate(credentials.credentials)
    if name is None:  # one answer for unknown and revoked tokens: it tells an attacker nothing
        raise HTTPException(401, "invalid or revoked bearer token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    request.state.client_name = name  # for the access log
    return name


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Missing, invalid or revoked token."},
    503: {"model": ErrorResponse, "description": "The database is unavailable; retry later (posts are idempotent)."},
}
_REQUEST_BODY, _BODY_SCHEMAS = submission_request_body()

router = APIRouter()


@router.post(
    "/v1/posts", status_code=202, response_model=Submission, tags=["posts"],
    summary="Submit one post or a batch for screening",
    description=f"Send one post (the input contract) or `{{\"posts\": [...]}}` with 1 to {MAX_POSTS_PER_REQUEST:,}. "
                "All or nothing: if any post is invalid or too large, none is recorded. Recorded posts are "
                "screened asynchronously; read outcomes with `GET /v1/posts/{id}` or from the outcome stream. "
                "Resubmitting is safe: the same content is recorded once (`duplicate`).",
    openapi_extra={"requestBody": _REQUEST_BODY},
    responses={
        400: {"model": ErrorResponse, "description": "The body is not valid JSON (or not UTF-8)."},
        413: {"model": ErrorResponse, "description": "A post body over the byte limit (each named), or the "
                                                     "whole request over its cap."},
        409: {"model": ErrorResponse, "description": "A post id already belongs to another client (each client "
                                                     "reads and revises only its own posts); nothing was accepted."},
        422: {"model": ErrorResponse, "description": "Invalid posts: every bad field, with its position."},
        **_ERRORS,
    },
)
async def submit_posts(request: Request, client: Annotated[str, Depends(authenticated_client)]) -> Submission:
    # authentication ran first: an unauthenticated caller never gets to send a large body
    limits = services(request)
    raw = await read_capped(request.headers.get("content-length"), request.stream(), limits.max_request_bytes)
    # parsing and validating up to a thousand posts is CPU work: keep it off the event loop
    posts, batch = await run_in_threadpool(_validated_posts, raw, limits.max_body_bytes)
    request.state.post_count = len(posts)
    acceptances = await run_in_threadpool(_record, limits, posts, batch, client)
    for acceptance in acceptances:
        limits.metrics.posts.labels(acceptance.status).inc()
    return Submission(accepted=[AcceptedPost(id=a.post_id, revision=a.revision, status=a.status) for a in acceptances])


def _validated_posts(raw: bytes, max_body_bytes: int) -> tuple[list[Post], bool]:
    posts, batch = posts_of(decode_json(raw))
    oversized_bodies(posts, batch, max_body_bytes)
    return posts, batch


def _record(limits: Services, posts: list[Post], batch: bool, client: str) -> list[Acceptance]:
    owned = not limits.shared_post_ids
    try:
        if owned:  # all or nothing: refuse before the first chunk is recorded (accept re-checks atomically)
            _refuse_foreign(posts, limits.store.foreign_posts([post.id for post in posts], client))
        # one post travels as one small message (workers gather them); a batch as batch_size-sized messages
        if batch:
            return limits.submitter.submit_many(posts, client=client, owned=owned)
        return [limits.submitter.submit(posts[0], client=client, owned=owned)]
    except ForeignPosts as foreign:
        _refuse_foreign(posts, foreign.post_ids)
        raise


def _refuse_foreign(posts: list[Post], foreign: list[str]) -> None:
    if foreign:
        taken = set(foreign)
        raise SubmissionError(409, f"{len(taken)} post ids belong to another client; nothing was accepted", [
            f"posts[{position}].id: {post.id!r} belongs to another client" for position, post in enumerate(posts)
            if post.id in taken][:100])


@router.get(
    "/v1/posts/{post_id:path}", response_model=PostStatus, tags=["posts"],
    summary="A post's status and current outcome",
    description="`status` is `pending` until the latest revision is screened; `outcome` is the current "
                "outcome (it may belong to an earlier revision while an edit is pending), or null.",
    responses={404: {"model": ErrorResponse, "description": "No post with this id was ever submitted."}, **_ERRORS},
)
def post_status(post_id: str, request: Request, client: Annotated[str, Depends(authenticated_client)]) -> PostStatus:
    try:
        post_id = normal_post_id(post_id)  # the same normalisation as on submission: café-1 NFC or NFD is one post
    except ValueError as error:
        raise HTTPException(422, f"post id: {error}") from None
    limits = services(request)
    status = limits.store.status(post_id, client=client, owned=not limits.shared_post_ids)
    if status is None:  # unknown, or another client's: the same answer, so ids of others cannot be probed
        raise HTTPException(404, f"no post with id {post_id!r}")
    return PostStatus.model_validate(status)


@router.get(
    "/healthz", response_model=Health, tags=["operations"], summary="Liveness of the database and Redis",
    description="No authentication. 200 when the database answers `SELECT 1` and Redis answers `PING`; "
                "503 naming what failed otherwise.",
    responses={503: {"model": Health, "description": "A dependency is down; `checks` names it."}},
)
def healthz(request: Request) -> JSONResponse:
    limits = services(request)
    checks = {"database": _probe(limits.store.ping), "redis": _probe(limits.broker.ping)}
    healthy = all(result == "ok" for result in checks.values())
    body = Health(status="ok" if healthy else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)


def _probe(check: Callable[[], Any]) -> str:
    try:
        check()
    except Exception as error:  # any failure means "not healthy"; its class says which kind, without hostnames
        return f"failed: {type(error).__name__}"
    return "ok"


@router.get(
    "/metrics", tags=["operations"], summary="Prometheus metrics",
    description="No authentication: firewall it so only the Prometheus server reaches it. Request counts by "
                "route and status, posts received by acceptance status, and the depth of each queue.",
    response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text."}},
)
def metrics(request: Request) -> Response:
    return Response(generate_latest(services(request).metrics.registry), media_type=CONTENT_TYPE_LATEST)


def create_app(
    store: Store | None = None, submitter: Submitter | None = None, *, settings: Settings | None = None,
    broker: redis.Redis | None = None, max_request_bytes: int | None = None,
) -> FastAPI:
    """The app; anything not given is built from settings (MODSCREEN_*), lazily connected.

    `broker` is the Redis that /healthz pings (default: the Celery producer's broker, where posts
    are enqueued). `max_request_bytes` caps a whole request (default: MODSCREEN_MAX_REQUEST_BYTES).
    """
    from config.settings import settings as current_settings
    from models.db import make_engine
    from queues.app import app as celery_app

    config = settings or current_settings()
    cleanups: list[Callable[[], Any]] = []
    if store is None and submitter is not None:
        store = submitter.store
    elif store is None:
        store = Store(make_engine(config.database_url))
        cleanups.append(store.engine.dispose)
    if broker is None:
        broker = redis.Redis.from_url(celery_app.conf.broker_url, socket_timeout=2, socket_connect_timeout=2)
        cleanups.append(broker.close)
    app = FastAPI(title="modscreen", version=_version(), description=DESCRIPTION, lifespan=_lifespan)
    app.state.services = Services(
        store=store, submitter=submitter or Submitter(store, config.batch_size), clients=ApiClients(store.engine),
        broker=broker, metrics=ApiMetrics(), max_body_bytes=config.max_body_bytes,
        max_request_bytes=max_request_bytes or config.max_request_bytes, shared_post_ids=config.api_shared_post_ids,
        cleanups=cleanups,
    )
    app.include_router(router)
    # --- moderator review app (modscreen/review): pages, static files and headers under /review ---
    from modscreen.review import install_review

    install_review(app, store, config)
    # --- end of the review app ---
    app.add_middleware(AccessLog, metrics=app.state.services.metrics)
    _add_error_handlers(app)
    _document_request_body(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    for cleanup in app.state.services.cleanups:  # only what create_app built: callers own what they pass
        cleanup()


def _add_error_handlers(app: FastAPI) -> None:
    """Every error answers the same shape: {"error": ..., "problems": [...]}."""

    async def submission_error(_request: Request, error: SubmissionError) -> JSONResponse:
        return _error(error.status, error.message, error.problems)

    async def http_error(_request: Request, error: HTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail), headers=error.headers)

    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()]
        return _error(422, "invalid request", problems)

    async def store_unavailable(_request: Request, _unavailable: StoreUnavailable) -> JSONResponse:
        return _error(503, "the database is unavailable; retry later", headers={"Retry-After": RETRY_AFTER_SECONDS})

    app.add_exception_handler(SubmissionError, submission_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StoreUnavailable, store_unavailable)


def _error(status: int, message: str, problems: list[str] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorResponse(error=message, problems=problems or []).model_dump(), status_code=status,
                        headers=headers)


def _document_request_body(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()  # cached by FastAPI after the first call; adding the same schemas again is harmless
        schema.setdefault("components", {}).setdefault("schemas", {}).update(_BODY_SCHEMAS)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _version() -> str:
    try:
        return version("modscreen")
    except PackageNotFoundError:
        return "unknown"
