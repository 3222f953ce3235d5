"""One item: the page, claims, release, decisions, reveals, and moving to the next or previous item.

A GET never changes anything: opening an item shows it, and a moderator claims it with the
*claim* button (key `c`, a POST). When the page was reached from this site itself (the browser
says `Sec-Fetch-Site: same-origin`, which no other site can forge), its script makes that same
POST at once, so the keyboard flow is unchanged; a page on another origin that navigates a
signed-in moderator here claims nothing. Moving on (`next`, `previous`) is a POST too: it gives
the current item back and claims the next one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.policy_store import PolicyStore
from models.db import aware
from models.review_store import DECISIONS, Filters, Refused
from models.store import now
from modscreen.review.accounts import User
from modscreen.review.numbers import INT32_MAX, item_id, optional_number, whole_number
from modscreen.review.render import (
    REJECT_REASONS, Evidence, evidence_summary, masked_text, pieces, reason_words, suggested_reason,
)
from modscreen.review.routes_queue import DECIDERS, filters_of, query_of
from modscreen.review.web import (
    PageError, SignInRequired, checked_form, current_user, redirect, render, state,
)
from worker.categories import severity_rank

router = APIRouter()
REVEAL_WINDOW = timedelta(minutes=30)
"""A revealed value stays visible to the moderator who revealed it for this long, then is masked again."""
MAX_NOTE_CHARS = 2000


def item_evidence(request: Request, item: dict[str, Any]) -> Evidence:
    """Evidence of a stored item, with masks over whatever was not screened for personal data."""
    screening, payload = item["screening"], item["payload"]
    cap = body_cap(request, screening.policy_version) if screening.truncated else state(request).body_cap
    return Evidence.of(item["reasons"], screening.failures, bool(screening.truncated),
                       {"title": payload.get("title"), "body": payload.get("body")}, cap)


def body_cap(request: Request, policy_version: str) -> int:
    """The body cap of the policy that screened the item (a stored version's, else the policy file's)."""
    import tomllib

    stored = PolicyStore(state(request).review.engine).get(policy_version)
    try:
        return int(tomllib.loads(stored.content)["limits"]["max_body_chars"]) if stored else state(request).body_cap
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError):
        return state(request).body_cap


def may_reveal(user: User, screening: Any) -> str | None:
    """None when `user` may see masked data of this item now; otherwise why not (also written to the audit log)."""
    if not user.can_decide:
        return f"Your role ({user.role}) does not reveal personal data; moderators and admins deciding the item do."
    if not screening.is_current or screening.review_state not in (("open", "escalated") if user.is_admin else ("open",)):
        return "This item is not open for you to decide, so its personal data stays masked."
    if user.is_admin:
        return None
    if screening.claimed_by != user.username or aware(screening.claimed_until) < now():
        return "Claim this item first: only the moderator holding its claim may reveal its personal data."
    return None


@router.get("/review/next")
def next_item(request: Request) -> Response:
    """Show the next (or, step=-1, previous) item nobody else holds; claims and releases nothing (a GET)."""
    user = current_user(request)
    filters = filters_of(request.query_params)
    after, step = _position(request.query_params)
    found = state(request).review.neighbour(user.username, filters, after, step, may_escalated=user.is_admin,
                                            claim=False, free_only=user.can_decide)
    if found is None:
        return redirect(f"/review/queue?{query_of(filters, message='Nothing left to review here.')}")
    return redirect(f"/review/items/{found}?{query_of(filters)}")


@router.post("/review/next")
async def claim_next(request: Request) -> Response:
    """j/k and *Start reviewing*: give the current item back to the team and claim the next free one."""
    user = current_user(request)
    form = await checked_form(request, user)
    filters = filters_of(form)
    after, step = _position(form)
    review = state(request).review
    if after is not None and user.can_decide:
        await run_in_threadpool(review.release, after, user.username)  # skipping an item gives it back
    found = await run_in_threadpool(lambda: review.neighbour(
        user.username, filters, after, step, may_escalated=user.is_admin,
        claim=user.can_decide and (filters.tab != "escalated" or user.is_admin), free_only=user.can_decide))
    if found is None:
        return redirect(f"/review/queue?{query_of(filters, message='Nothing left to review here.')}")
    return redirect(f"/review/items/{found}?{query_of(filters)}")


def _position(source: Any) -> tuple[int | None, int]:
    after = optional_number(source.get("after"), "after", minimum=1)
    step = source.get("step") or "1"
    if step not in ("1", "-1"):
        raise PageError(422, "step: must be 1 (next) or -1 (previous).")
    return after, int(step)


@router.get("/review/items/{screening_id}")
def item_page(request: Request, screening_id: str) -> Response:
    user = current_user(request)
    autoclaim = request.headers.get("sec-fetch-site") == "same-origin"  # a navigation from this site only
    return _item_response(request, user, item_id(screening_id), filters_of(request.query_params), autoclaim=autoclaim)


def _item_response(request: Request, user: User, screening_id: int, filters: Filters, autoclaim: bool = False,
                   error: str = "", status: int = 200, notice: str = "") -> Response:
    review = state(request).review
    item = review.item(screening_id)
    if item is None:
        raise PageError(404, f"No item {screening_id}.")
    screening = item["screening"]
    decidable = (user.can_decide and screening.is_current
                 and (screening.review_state == "open" or (screening.review_state == "escalated" and user.is_admin)))
    holder, until = screening.claimed_by, aware(screening.claimed_until)
    held = holder is not None and until is not None and until >= now()
    claimed_until = until if decidable and held and holder == user.username else None
    taken_by = (f"{holder} is reviewing this item (claimed until {until:%H:%M:%S} UTC)."
                if decidable and held and holder != user.username else None)
    claimable = decidable and not held
    revealed = review.reveals(user.username, screening_id, REVEAL_WINDOW) if may_reveal(user, screening) is None \
        else set()
    evidence = item_evidence(request, item)
    payload = item["payload"]
    texts = {"body": payload.get("body"), "title": payload.get("title")}
    parent = item["parent"]
    parent_view = None
    if parent is not None:
        parent_payload = parent.get("payload") or {}
        parent_evidence = Evidence.of(parent.get("reasons", []), parent.get("failures"), parent.get("truncated", False),
                                      {"title": parent_payload.get("title"), "body": parent_payload.get("body")},
                                      state(request).body_cap)
        parent_view = {"post_id": parent["post_id"], "screening_id": parent.get("screening_id"),
                       "title": masked_text(parent_payload.get("title") or "", "title", parent_evidence),
                       "body": pieces(parent_payload.get("body"), "body", parent_evidence, highlight=False),
                       "missing": not parent_payload}
    reasons = [{"row": r, "words": reason_words(r), "quotes": evidence_summary(r, texts, evidence, revealed)}
               for r in item["reasons"]]
    return render(
        request, "item.html", status=status, item=item, screening=screening, payload=payload, filters=filters,
        query=query_of(filters), title=pieces(payload.get("title"), "title", evidence, revealed),
        body=pieces(payload.get("body"), "body", evidence, revealed), purged="body" not in payload,
        reasons=reasons, parent=parent_view, decidable=decidable and claimed_until is not None,
        claimable=claimable, autoclaim=claimable and autoclaim, truncated=bool(screening.truncated),
        body_cap=body_cap(request, screening.policy_version) if screening.truncated else state(request).body_cap,
        claimed_until=claimed_until, taken_by=taken_by, error=error, notice=notice,
        suggested=suggested_reason(item["reasons"]), categories=sorted({r.category for r in item["reasons"]},
                                                                       key=severity_rank),
    )


@router.post("/review/items/{screening_id}/claim")
async def claim(request: Request, screening_id: str) -> Response:
    """The claim button (a form: back to the item) or the open page's heartbeat (X-CSRF-Token: JSON)."""
    heartbeat = "x-csrf-token" in request.headers
    try:
        sid = item_id(screening_id)
        user = current_user(request, DECIDERS)
        form = await checked_form(request, user)
    except SignInRequired:
        if not heartbeat:
            raise
        return JSONResponse({"error": "signed out"}, status_code=401)
    except PageError as error:
        if not heartbeat:
            raise
        return JSONResponse({"error": error.message}, status_code=error.status)
    try:
        until = await run_in_threadpool(state(request).review.claim, sid, user.username, user.is_admin)
    except Refused as refusal:
        if heartbeat:
            return JSONResponse({"error": str(refusal)}, status_code=refusal.status)
        return await run_in_threadpool(lambda: _item_response(request, user, sid, filters_of(form), error=str(refusal),
                                                              status=refusal.status))
    if heartbeat:
        return JSONResponse({"claimed_until": until.isoformat()})
    return redirect(f"/review/items/{sid}?{query_of(filters_of(form))}")


@router.post("/review/items/{screening_id}/release")
async def release_claim(request: Request, screening_id: str) -> Response:
    sid = item_id(screening_id)
    user = current_user(request, DECIDERS)
    form = await checked_form(request, user)
    await run_in_threadpool(state(request).review.release, sid, user.username)
    return redirect(f"/review/queue?{query_of(filters_of(form))}")


def parse_decision(form: Any) -> tuple[int, str, str | None, str | None]:
    """(version, decision, reason code, note) or PageError 422 naming the bad field."""
    version = whole_number(form.get("version"), "version", minimum=1, maximum=INT32_MAX)
    decision = form.get("decision")
    reason = form.get("reason_code") or None
    note = (str(form.get("note") or "")).strip() or None
    if decision not in DECISIONS:
        raise PageError(422, f"decision: must be one of {', '.join(DECISIONS)}.")
    if decision == "reject" and reason not in REJECT_REASONS:
        raise PageError(422, "reason: a rejection needs a reason from the terms of use.")
    if decision != "reject":
        reason = None
    if reason == "other" and not note:
        raise PageError(422, "note: say why when the reason is 'other'.")
    if note and len(note) > MAX_NOTE_CHARS:
        raise PageError(422, f"note: at most {MAX_NOTE_CHARS} characters.")
    return version, decision, reason, note


@router.post("/review/items/{screening_id}/decide")
async def decide(request: Request, screening_id: str) -> Response:
    sid = item_id(screening_id)
    user = current_user(request, DECIDERS)
    form = await checked_form(request, user)
    filters = filters_of(form)
    try:
        version, decision, reason, note = parse_decision(form)
        outcome = await run_in_threadpool(state(request).review.decide, sid, user.username, version,
                                          decision, reason, note, user.is_admin)
    except (Refused, PageError) as refusal:
        message = str(refusal) if isinstance(refusal, Refused) else refusal.message
        return await run_in_threadpool(lambda: _item_response(request, user, sid, filters, error=message,
                                                              status=refusal.status))
    await run_in_threadpool(state(request).publish, [outcome])
    found = await run_in_threadpool(state(request).review.neighbour, user.username, filters, sid, 1, user.is_admin)
    if found is None:
        return redirect(f"/review/queue?{query_of(filters, message='Queue cleared: nothing left to review here.')}")
    return redirect(f"/review/items/{found}?{query_of(filters)}")


@router.post("/review/items/{screening_id}/reveal")
async def reveal(request: Request, screening_id: str) -> Response:
    """Show one masked span to a user who may decide the item now; every request, shown or refused, is audited."""
    sid = item_id(screening_id)
    user = current_user(request)
    form = await checked_form(request, user)
    key = str(form.get("span") or "")[:64]
    review = state(request).review
    item = await run_in_threadpool(review.item, sid)
    if item is None:
        raise PageError(404, f"No item {sid}.")
    subject = f"screening:{sid} post:{item['screening'].post_id}"
    refusal = may_reveal(user, item["screening"])
    if refusal is not None:
        await run_in_threadpool(review.record, user.username, "reveal.refused", subject, None,
                                {"span": key, "role": user.role, "why": refusal})
        raise PageError(403, refusal)
    evidence = item_evidence(request, item)
    payload = item["payload"]
    masks = {f"{name}:{start}:{end}": label for name in ("title", "body")
             for start, end, label in evidence.masks(name, len(payload.get(name) or ""))}
    if key not in masks:
        raise PageError(422, "span: no personal data at that place in this post.")
    await run_in_threadpool(review.record, user.username, "reveal", subject, None, {"span": key, "entity": masks[key]})
    return redirect(f"/review/items/{sid}?{query_of(filters_of(form))}#ev-{key.replace(':', '-')}")
