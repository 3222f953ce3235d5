"""Signing in and out, the audit log (page and CSV), analysts' labels, and user management for admins."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from modscreen.review.accounts import ROLES, AccountError, SignInRefused
from modscreen.review.web import (
    SIGNIN_COOKIE, PageError, SignInRequired, checked_form, current_user, known_device, redirect, render,
    set_device_cookie, set_session_cookie, set_signin_cookie, signin_form_token, state,
)

router = APIRouter()
READERS = ("analyst", "admin")


@router.get("/review")
def home(request: Request) -> Response:
    return redirect("/review/queue")


def _safe_next(target: Any) -> str:
    target = str(target or "")
    # only a path of this app: never an open redirect to another site
    return target if target.startswith("/review/") and not target.startswith("//") and "\\" not in target \
        else "/review/queue"


@router.get("/review/signin")
def signin_page(request: Request, next: str = "") -> Response:
    try:
        current_user(request)
        return redirect(_safe_next(next))
    except SignInRequired:
        pass
    nonce, token = signin_form_token(request, fresh=True)
    response = render(request, "signin.html", csrf=token, next=_safe_next(next), error="")
    set_signin_cookie(request, response, nonce)
    return response


@router.post("/review/signin")
async def signin(request: Request) -> Response:
    form = await checked_form(request, None)  # a token the server signed over the sign-in cookie: no sign-in CSRF
    username, password = str(form.get("username") or "").strip(), str(form.get("password") or "")
    device = known_device(request, username)
    address = request.client.host if request.client else ""
    try:
        user, token = await run_in_threadpool(state(request).accounts.sign_in, username, password, address, device)
    except SignInRefused as refusal:
        _nonce, csrf = signin_form_token(request, fresh=False)
        response = render(request, "signin.html", status=refusal.status, csrf=csrf,
                          next=_safe_next(form.get("next")), error=str(refusal))
        if refusal.retry_after:
            response.headers["Retry-After"] = str(max(1, int(refusal.retry_after + 0.999)))
        return response
    response = redirect(_safe_next(form.get("next")))
    set_session_cookie(request, response, token)
    set_device_cookie(request, response, user.username, device)  # this browser is now known to the account
    response.delete_cookie(SIGNIN_COOKIE, path="/review")
    return response


@router.get("/review/account")
def account_page(request: Request) -> Response:
    current_user(request)
    return render(request, "account.html", error="")


@router.post("/review/account")
async def account_change(request: Request) -> Response:
    """A user changes their own password: the current one is checked (and throttled) like a sign-in."""
    user = current_user(request)
    form = await checked_form(request, user)
    current, new = str(form.get("current") or ""), str(form.get("new") or "")
    try:
        if new != str(form.get("repeated") or ""):
            raise AccountError("the two new passwords differ")
        await run_in_threadpool(state(request).accounts.change_own_password, user.username, current, new,
                                request.client.host if request.client else "", known_device(request, user.username))
    except (AccountError, SignInRefused) as error:
        status = error.status if isinstance(error, SignInRefused) else 422
        response = render(request, "account.html", status=status, error=str(error))
        if isinstance(error, SignInRefused) and error.retry_after:
            response.headers["Retry-After"] = str(max(1, int(error.retry_after + 0.999)))
        return response
    response = redirect("/review/signin")  # every session ended, this one too
    set_session_cookie(request, response, None)
    return response


@router.post("/review/signout")
async def signout(request: Request) -> Response:
    user = current_user(request)
    await checked_form(request, user)
    await run_in_threadpool(state(request).accounts.sign_out, user)
    response = redirect("/review/signin")
    set_session_cookie(request, response, None)
    return response


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        raise PageError(422, f"date: {value!r} is not a date (YYYY-MM-DD or an ISO date-time).") from None
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _audit_filters(request: Request) -> dict[str, Any]:
    query = request.query_params
    return {"actor": query.get("actor", "")[:128], "action": query.get("action", "")[:64],
            "subject": query.get("subject", "")[:256], "since": _moment(query.get("since", "")),
            "until": _moment(query.get("until", ""))}


@router.get("/review/audit")
def audit_page(request: Request, page: int = 1) -> Response:
    current_user(request, READERS)
    filters = _audit_filters(request)
    page = max(1, min(page, 10_000))
    events = state(request).review.events(**filters, limit=100, offset=(page - 1) * 100)
    return render(request, "audit.html", events=events, filters=request.query_params, page=page,
                  query=urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"]),
                  dumps=_dumps)


def _dumps(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cell(value: Any) -> str:
    text = value.isoformat() if isinstance(value, datetime) else _dumps(value) if isinstance(value, dict) else str(
        "" if value is None else value)
    # a spreadsheet must not run a formula an author or a username smuggled in
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(name: str, header: list[str], rows: list[list[Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_cell(value) for value in row] for row in rows])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/review/audit.csv")
def audit_csv(request: Request) -> Response:
    current_user(request, READERS)
    events = state(request).review.events(**_audit_filters(request), limit=100_000)
    return _csv("modscreen-audit.csv", ["id", "at", "actor", "action", "subject", "before", "after"],
                [[e.id, e.at, e.actor, e.action, e.subject, e.before, e.after] for e in events])


@router.get("/review/labels.csv")
def labels_csv(request: Request) -> Response:
    """Moderators' final words next to what the screening said: the labels analysts evaluate checks with."""
    current_user(request, READERS)
    rows = state(request).review.labels()
    return _csv("modscreen-labels.csv",
                ["decision_id", "post_id", "revision", "language", "screening_decision", "moderator_decision",
                 "reason_code", "note", "moderator", "decided_at", "policy_version", "scores"],
                [[r.id, r.post_id, r.revision, r.language, r.screening_decision, r.decision, r.reason_code, r.note,
                  r.moderator, r.decided_at, r.policy_version, r.scores] for r in rows])


@router.get("/review/users")
def users_page(request: Request, message: str = "") -> Response:
    current_user(request, ("admin",))
    return render(request, "users.html", users=state(request).accounts.all(), roles=ROLES, message=message, error="")


@router.post("/review/users")
async def users_change(request: Request) -> Response:
    admin = current_user(request, ("admin",))
    form = await checked_form(request, admin)
    accounts = state(request).accounts
    action, username = form.get("action"), str(form.get("username") or "").strip()
    try:
        if action == "add":
            await run_in_threadpool(accounts.add, username, str(form.get("password") or ""),
                                    str(form.get("role") or ""), admin.username)
        elif action == "password":
            await run_in_threadpool(accounts.set_password, username, str(form.get("password") or ""), admin.username)
        elif action in ("disable", "unlock", "role"):
            if action == "disable" and username == admin.username:
                raise AccountError("you cannot disable yourself")
            await run_in_threadpool(lambda: accounts.change(
                username, admin.username, role=str(form.get("role")) if action == "role" else None,
                disable=action == "disable", unlock=action == "unlock"))
        else:
            raise AccountError("action: must be add, password, disable, unlock or role")
    except AccountError as error:
        users = await run_in_threadpool(accounts.all)
        return render(request, "users.html", status=422, users=users, roles=ROLES, message="", error=str(error))
    return redirect(f"/review/users?message={action}+{username}+done")
