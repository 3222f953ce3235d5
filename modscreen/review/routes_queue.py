"""Queue, item page, claims, decisions, reveals and bulk decisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.review_store import DECISIONS, SEVERITY, TABS, Filters, Refused, aware
from models.store import now
from modscreen.review.accounts import User
from modscreen.review.render import (
    REJECT_REASONS, Evidence, evidence_summary, masked_text, pieces, reason_words, suggested_reason,
)
from modscreen.review.web import (
    PageError, SignInRequired, checked_form, current_user, redirect, render, state,
)
from worker.categories import severity_rank

router = APIRouter()
DECIDERS = ("moderator", "admin")
AGES = (0, 1, 4, 24, 72)
REVEAL_WINDOW = timedelta(minutes=30)
"""A revealed value stays visible to the moderator who revealed it for this long, then is masked again."""
MAX_NOTE_CHARS = 2000


def filters_of(source: Any) -> Filters:
    tab = source.get("tab") or "review"
    age = str(source.get("age") or "0")
    category = source.get("category") or ""
    return Filters(tab=tab if tab in TABS else "review", category=category if category in SEVERITY else "",
                   language=str(source.get("language") or "")[:16], topic=str(source.get("topic") or "")[:10_000],
                   min_age_hours=int(age) if age.isdigit() and int(age) in AGES else 0)


def query_of(filters: Filters, **extra: Any) -> str:
    values = {"tab": filters.tab, "category": filters.category, "language": filters.language, "topic": filters.topic,
              "age": filters.min_age_hours or "", **extra}
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


@router.get("/review/queue")
def queue_page(request: Request, page: int = 1, message: str = "") -> Response:
    user = current_user(request)
    filters = filters_of(request.query_params)
    page = max(1, min(page, 10_000))
    items, total = state(request).review.queue(filters, limit=100, offset=(page - 1) * 100)
    rows = []
    for item in items:
        evidence = Evidence.of(item.reasons)
        badges: dict[str, float] = {}
        for reason in item.reasons:
            badges[reason.category] = max(badges.get(reason.category, 0.0), reason.score)
        holder = item.screening.claimed_by
        until = item.screening.claimed_until
        taken = holder if holder and holder != user.username and aware(until) > now() else None
        rows.append({"item": item, "badges": sorted(badges.items(), key=lambda b: severity_rank(b[0])),
                     "title": masked_text(item.payload.get("title") or "", "title", evidence), "taken": taken,
                     "failures": item.screening.failures})
    return render(request, "queue.html", rows=rows, total=total, page=page, filters=filters, query=query_of(filters),
                  facets=state(request).review.facets(), categories=SEVERITY, ages=AGES, message=message,
                  tabs=TABS)


@router.get("/review/next")
def next_item(request: Request, after: int | None = None, step: int = 1) -> Response:
    """Serve (and claim) the next free item after `after` in queue order; step=-1 for the previous one."""
    user = current_user(request)
    filters = filters_of(request.query_params)
    review = state(request).review
    if after is not None and user.can_decide:
        review.release(after, user.username)  # skipping an item gives it back to the team
    found = review.neighbour(user.username, filters, after, -1 if step < 0 else 1, may_escalated=user.is_admin,
                             claim=user.can_decide and (filters.tab != "escalated" or user.is_admin))
    if found is None:
        return redirect(f"/review/queue?{query_of(filters, message='Nothing left to review here.')}")
    return redirect(f"/review/items/{found}?{query_of(filters)}")


@router.get("/review/items/{screening_id}")
def item_page(request: Request, screening_id: int) -> Response:
    user = current_user(request)
    return _item_response(request, user, screening_id, filters_of(request.query_params), claim=True)


def _item_response(request: Request, user: User, screening_id: int, filters: Filters, claim: bool,
                   error: str = "", status: int = 200, notice: str = "") -> Response:
    review = state(request).review
    item = review.item(screening_id)
    if item is None:
        raise PageError(404, f"No item {screening_id}.")
    screening = item["screening"]
    decidable = (user.can_decide and screening.is_current
                 and (screening.review_state == "open" or (screening.review_state == "escalated" and user.is_admin)))
    claimed_until, taken_by = None, None
    if decidable and claim:
        try:
            claimed_until = review.claim(screening_id, user.username, may_escalated=user.is_admin)
        except Refused as refusal:
            taken_by = str(refusal)
    elif decidable and screening.claimed_by == user.username:
        claimed_until = screening.claimed_until
    revealed = review.reveals(user.username, screening_id, REVEAL_WINDOW)
    evidence = Evidence.of(item["reasons"])
    payload = item["payload"]
    texts = {"body": payload.get("body"), "title": payload.get("title")}
    parent = item["parent"]
    parent_view = None
    if parent is not None:
        parent_payload = parent.get("payload") or {}
        parent_evidence = Evidence.of(parent.get("reasons", []))
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
        claimed_until=claimed_until, taken_by=taken_by, error=error, notice=notice,
        suggested=suggested_reason(item["reasons"]), categories=sorted({r.category for r in item["reasons"]},
                                                                       key=severity_rank),
    )


@router.post("/review/items/{screening_id}/claim")
async def renew_claim(request: Request, screening_id: int) -> Response:
    """Heartbeat from an open item page (JSON): keep the claim while the moderator is on it."""
    try:
        user = current_user(request, DECIDERS)
        await checked_form(request, user)
    except SignInRequired:
        return JSONResponse({"error": "signed out"}, status_code=401)
    except PageError as error:
        return JSONResponse({"error": error.message}, status_code=error.status)
    try:
        until = await run_in_threadpool(state(request).review.claim, screening_id, user.username, user.is_admin)
    except Refused as refusal:
        return JSONResponse({"error": str(refusal)}, status_code=refusal.status)
    return JSONResponse({"claimed_until": until.isoformat()})


@router.post("/review/items/{screening_id}/release")
async def release_claim(request: Request, screening_id: int) -> Response:
    user = current_user(request, DECIDERS)
    form = await checked_form(request, user)
    await run_in_threadpool(state(request).review.release, screening_id, user.username)
    return redirect(f"/review/queue?{query_of(filters_of(form))}")


def parse_decision(form: Any) -> tuple[int, str, str | None, str | None]:
    """(version, decision, reason code, note) or PageError 422 naming the bad field."""
    version = str(form.get("version") or "")
    decision = form.get("decision")
    reason = form.get("reason_code") or None
    note = (str(form.get("note") or "")).strip() or None
    if not version.isdigit():
        raise PageError(422, "version: missing or not a number (reload the item).")
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
    return int(version), decision, reason, note


@router.post("/review/items/{screening_id}/decide")
async def decide(request: Request, screening_id: int) -> Response:
    user = current_user(request, DECIDERS)
    form = await checked_form(request, user)
    filters = filters_of(form)
    try:
        version, decision, reason, note = parse_decision(form)
        outcome = await run_in_threadpool(state(request).review.decide, screening_id, user.username, version,
                                          decision, reason, note, user.is_admin)
    except (Refused, PageError) as refusal:
        status = refusal.status
        return await run_in_threadpool(_item_response, request, user, screening_id, filters, False,
                                       str(refusal) if isinstance(refusal, Refused) else refusal.message, status)
    await run_in_threadpool(state(request).publish, [outcome])
    found = await run_in_threadpool(state(request).review.neighbour, user.username, filters, screening_id, 1,
                                    user.is_admin)
    if found is None:
        return redirect(f"/review/queue?{query_of(filters, message='Queue cleared: nothing left to review here.')}")
    return redirect(f"/review/items/{found}?{query_of(filters)}")


@router.post("/review/items/{screening_id}/reveal")
async def reveal(request: Request, screening_id: int) -> Response:
    """Show one masked personal-data span to this user; audited (who, what span, when), never the value itself."""
    user = current_user(request)
    form = await checked_form(request, user)
    key = str(form.get("span") or "")
    item = await run_in_threadpool(state(request).review.item, screening_id)
    if item is None:
        raise PageError(404, f"No item {screening_id}.")
    evidence = Evidence.of(item["reasons"])
    payload = item["payload"]
    masks = {f"{name}:{start}:{end}": label for name in ("title", "body")
             for start, end, label in evidence.masks(name, len(payload.get(name) or ""))}
    if key not in masks:
        raise PageError(422, "span: no personal data at that place in this post.")
    review = state(request).review
    subject = f"screening:{screening_id} post:{item['screening'].post_id}"
    await run_in_threadpool(review.record, user.username, "reveal", subject, None, {"span": key, "entity": masks[key]})
    return redirect(f"/review/items/{screening_id}?{query_of(filters_of(form))}#ev-{key.replace(':', '-')}")


@router.post("/review/bulk/preview")
async def bulk_preview(request: Request) -> Response:
    user = current_user(request, DECIDERS)
    form = await checked_form(request, user)
    chosen, decision, reason = _bulk_input(form)
    review = state(request).review
    items = []
    for screening_id, version in chosen:
        item = await run_in_threadpool(review.item, screening_id)
        if item is not None:
            items.append({"item": item, "seen": version, "changed": item["screening"].version != version})
    return render(request, "bulk.html", items=items, decision=decision, reason=reason, filters=filters_of(form),
                  query=query_of(filters_of(form)), results=None)


@router.post("/review/bulk/apply")
async def bulk_apply(request: Request) -> Response:
    user = current_user(request, DECIDERS)
    form = await checked_form(request, user)
    chosen, decision, reason = _bulk_input(form)
    review = state(request).review
    results, outcomes = [], []
    for screening_id, version in chosen:
        try:
            await run_in_threadpool(review.claim, screening_id, user.username, user.is_admin)
            outcomes.append(await run_in_threadpool(review.decide, screening_id, user.username, version, decision,
                                                    reason, None, user.is_admin))
            results.append((screening_id, "done", f"{decision}d" if decision != "escalate" else "escalated"))
        except Refused as refusal:
            results.append((screening_id, "refused", str(refusal)))
    if outcomes:
        await run_in_threadpool(state(request).publish, outcomes)
    return render(request, "bulk.html", items=[], decision=decision, reason=reason, filters=filters_of(form),
                  query=query_of(filters_of(form)), results=results)


def _bulk_input(form: Any) -> tuple[list[tuple[int, int]], str, str | None]:
    chosen = []
    for value in form.getlist("items"):
        sid, _, version = str(value).partition(":")
        if not (sid.isdigit() and version.isdigit()):
            raise PageError(422, f"items: {value!r} is not an item and a version.")
        chosen.append((int(sid), int(version)))
    if not chosen:
        raise PageError(422, "items: select at least one item.")
    if len(chosen) > 200:
        raise PageError(422, "items: at most 200 at once.")
    decision = form.get("decision")
    reason = form.get("reason_code") or None
    if decision not in ("approve", "reject"):
        raise PageError(422, "decision: bulk decisions approve or reject.")
    if decision == "reject" and (reason not in REJECT_REASONS or reason == "other"):
        raise PageError(422, "reason: a bulk rejection needs a reason from the terms of use (not 'other').")
    return chosen, decision, reason if decision == "reject" else None
