"""The queue and bulk decisions (one item's page and actions: routes_items.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from models.db import aware
from models.review_store import TABS, Filters, Refused
from models.store import now
from modscreen.review.numbers import INT32_MAX, optional_number, whole_number
from modscreen.review.render import REJECT_REASONS, Evidence, masked_text
from modscreen.review.web import PageError, checked_form, current_user, render, state
from worker.categories import NAMES, severity_rank

router = APIRouter()
DECIDERS = ("moderator", "admin")
AGES = (0, 1, 4, 24, 72)
MAX_PAGE = 10_000


def filters_of(source: Any) -> Filters:
    tab = source.get("tab") or "review"
    age = optional_number(source.get("age"), "age", maximum=INT32_MAX) or 0
    if age not in AGES:
        raise PageError(422, f"age: must be one of {', '.join(str(a) for a in AGES)} (hours waited).")
    category = source.get("category") or ""
    return Filters(tab=tab if tab in TABS else "review", category=category if category in NAMES else "",
                   language=str(source.get("language") or "")[:16], topic=str(source.get("topic") or "")[:10_000],
                   min_age_hours=age)


def query_of(filters: Filters, **extra: Any) -> str:
    values = {"tab": filters.tab, "category": filters.category, "language": filters.language, "topic": filters.topic,
              "age": filters.min_age_hours or "", **extra}
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


@router.get("/review/queue")
def queue_page(request: Request, message: str = "") -> Response:
    user = current_user(request)
    filters = filters_of(request.query_params)
    page = min(optional_number(request.query_params.get("page"), "page", minimum=1, maximum=INT32_MAX) or 1, MAX_PAGE)
    items, total = state(request).review.queue(filters, limit=100, offset=(page - 1) * 100)
    rows = []
    for item in items:
        evidence = Evidence.of(item.reasons, item.screening.failures, False, {"title": item.payload.get("title")})
        badges: dict[str, float] = {}
        for reason in item.reasons:
            badges[reason.category] = max(badges.get(reason.category, 0.0), reason.score)
        holder = item.screening.claimed_by
        until = item.screening.claimed_until
        taken = holder if holder and holder != user.username and aware(until) > now() else None
        rows.append({"item": item, "badges": sorted(badges.items(), key=lambda b: severity_rank(b[0])),
                     "title": masked_text(item.payload.get("title") or "", "title", evidence, single_line=True),
                     "taken": taken,
                     "failures": item.screening.failures})
    return render(request, "queue.html", rows=rows, total=total, page=page, filters=filters, query=query_of(filters),
                  facets=state(request).review.facets(), categories=NAMES, ages=AGES, message=message,
                  tabs=TABS)


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
    values = form.getlist("items")
    if len(values) > 200:
        raise PageError(422, "items: at most 200 at once.")
    for value in values:
        sid, _, version = str(value).partition(":")
        chosen.append((whole_number(sid, "items (item id)", minimum=1),
                       whole_number(version, "items (version)", minimum=1, maximum=INT32_MAX)))
    if not chosen:
        raise PageError(422, "items: select at least one item.")
    decision = form.get("decision")
    reason = form.get("reason_code") or None
    if decision not in ("approve", "reject"):
        raise PageError(422, "decision: bulk decisions approve or reject.")
    if decision == "reject" and (reason not in REJECT_REASONS or reason == "other"):
        raise PageError(422, "reason: a bulk rejection needs a reason from the terms of use (not 'other').")
    return chosen, decision, reason if decision == "reject" else None
