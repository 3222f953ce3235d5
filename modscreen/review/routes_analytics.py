"""Analysts' pages: the report, one category's sweep with a threshold slider, and proposing a candidate policy.

    GET  /review/analytics                          report per category x language (filters: since, category, language)
    GET  /review/analytics/{category}               sweep table, picture, targets, slider (works without JavaScript)
    GET  /review/analytics/{category}/sweep.png     the sweep's picture (modscreen.tune.plotting), drawn in memory
    GET  /review/analytics/{category}/slider        JSON: SliderData.slider(review_at) + the sentences shown
    POST /review/analytics/{category}/propose       the live policy with the chosen thresholds -> candidate version

Analysts and admins only; moderators are refused (403).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from modscreen.review.analytics import (
    Analytics, AnalyticsError, Filters, check_category, check_language, display, parse_since, parse_unit,
)
from modscreen.review.render import CATEGORY_LABELS
from modscreen.review.web import PageError, checked_form, current_user, redirect, render

router = APIRouter()
READERS = ("analyst", "admin")
DEFAULT_TARGETS = {"reject_precision": "0.98", "review_recall": "0.95"}


def install_analytics(app: Any, engine: Any, config: Any) -> None:
    """The analysts' pages: their routes, their data (cached briefly) and the number formats templates use."""
    from config import DEFAULT_POLICY
    from modscreen.review.routes_policies import router as policies_router

    app.state.analytics = Analytics(engine, getattr(config, "policy_path", None) or DEFAULT_POLICY)
    app.state.review.templates.filters.update(g=_g, pct=_pct)
    app.include_router(router, include_in_schema=False)
    app.include_router(policies_router, include_in_schema=False)


def _g(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def analytics(request: Request) -> Analytics:
    return request.app.state.analytics


def _filters(request: Request, category: str | None = None) -> Filters:
    query = request.query_params
    try:
        since_text = query.get("since", "")[:40]
        return Filters(since_text, parse_since(since_text), check_language(query.get("language", "")[:20]),
                       check_category(category) if category else None)
    except AnalyticsError as error:
        raise PageError(422, str(error)) from None


def _query(filters: Filters, **extra: Any) -> str:
    pairs = {"since": filters.since_text, "language": filters.language or "", **extra}
    return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})


@router.get("/review/analytics")
def report_page(request: Request) -> Response:
    current_user(request, READERS)
    query_category = request.query_params.get("category", "")[:40]
    filters = _filters(request, query_category or None)
    live, report = analytics(request).report(filters)
    shown = [row for row in report.rows if row.acting.labels or row.auto_rejections_decided]
    days = report.days
    review_mean = {lang: sum(c.get(lang, 0) for c in report.review_per_day.values()) / days
                   for lang in sorted({lang for c in report.review_per_day.values() for lang in c})}
    return render(request, "analytics.html", live=live, report=report, rows=shown, hidden=len(report.rows) - len(shown),
                  filters=filters, categories=CATEGORY_LABELS, review_mean=review_mean,
                  review_total=sum(review_mean.values()), link_query=_query(filters))


def _marks(result, review_at: float | None) -> dict[float, list[str]]:
    rec = result.recommendation
    marks: dict[float, list[str]] = {}
    for threshold, name in ((result.current_review_at, "current review_at"), (result.current_reject_at,
                            "current reject_at"), (rec.review_at, "recommended review_at"),
                            (rec.reject_at, "recommended reject_at"), (review_at, "slider")):
        if threshold is not None:
            marks.setdefault(round(threshold, 2), []).append(name)
    return marks


def category_page(request: Request, category: str, *, status: int = 200, error: str = "",
                  form: dict[str, str] | None = None) -> Response:
    """The sweep page; on a refused proposal, shown again with the message and what the analyst typed."""
    filters = _filters(request)
    query = request.query_params
    try:
        category = check_category(category)
        targets = {name: query.get(name, DEFAULT_TARGETS[name])[:20] for name in DEFAULT_TARGETS}
        reject_precision = parse_unit("reject precision target", targets["reject_precision"])
        review_recall = parse_unit("review recall target", targets["review_recall"])
        result = analytics(request).sweep(category, filters, reject_precision, review_recall)
        default = result.current_review_at if result.current_review_at is not None else 0.5
        review_at = parse_unit("review_at", query.get("review_at", "")[:20]) if query.get("review_at") else default
    except AnalyticsError as refusal:
        raise PageError(404 if "unknown category" in str(refusal) else 422, str(refusal)) from None
    data = analytics(request).slider_data(category, filters)
    point = data.point(review_at)
    marks = _marks(result, review_at)
    table = [p for p in result.points if round(p.threshold * 100) % 5 == 0 or round(p.threshold, 2) in marks]
    form = form or {"review_at": f"{review_at:g}", "reject_at": "" if result.current_reject_at is None
                    else f"{result.current_reject_at:g}", "scope": filters.language or "", "message": ""}
    return render(request, "analytics_category.html", status=status, category=category,
                  label=CATEGORY_LABELS.get(category, category), filters=filters, result=result, table=table,
                  marks=marks, targets=targets, review_at=review_at, point=point, shown=display(data, point),
                  error=error, form=form, live=analytics(request).live(),
                  png_url=f"/review/analytics/{category}/sweep.png?" + _query(filters, **targets),
                  slider_url=f"/review/analytics/{category}/slider?" + _query(filters),
                  link_query=_query(filters), self_query=_query(filters, **targets))


@router.get("/review/analytics/{category}")
def sweep_page(request: Request, category: str) -> Response:
    current_user(request, READERS)
    return category_page(request, category)


@router.get("/review/analytics/{category}/sweep.png")
def sweep_png(request: Request, category: str) -> Response:
    current_user(request, READERS)
    filters = _filters(request)
    query = request.query_params
    try:
        check_category(category)
        targets = [parse_unit(name, query.get(name, "")[:20]) for name in ("reject_precision", "review_recall")]
    except AnalyticsError as error:
        raise PageError(422, str(error)) from None
    png = analytics(request).png(category, filters, *targets)
    return Response(png, media_type="image/png")


@router.get("/review/analytics/{category}/slider")
def slider_json(request: Request, category: str) -> Response:
    """What the slider shows for ?review_at=T: the tune module's figures, and the sentences to display."""
    current_user(request, READERS)
    try:
        filters = _filters(request)
        check_category(category)
        threshold = parse_unit("review_at", request.query_params.get("review_at", "")[:20], required=True)
    except (AnalyticsError, PageError) as error:
        return JSONResponse({"error": str(getattr(error, "message", error))}, status_code=422)
    return JSONResponse(analytics(request).slider(category, filters, threshold))


@router.post("/review/analytics/{category}/propose")
async def propose(request: Request, category: str) -> Response:
    user = current_user(request, READERS)
    form = await checked_form(request, user)
    typed = {name: str(form.get(name) or "")[:2000] for name in ("review_at", "reject_at", "scope", "message")}
    try:
        check_category(category)
        review_at = parse_unit("review_at", typed["review_at"], required=True)
        reject_at = parse_unit("reject_at", typed["reject_at"])
        scope = check_language(typed["scope"][:20])
        proposal = await run_in_threadpool(analytics(request).propose, category, review_at, reject_at, scope,
                                           user.username, typed["message"])
    except AnalyticsError as refusal:
        if "unknown category" in str(refusal):
            raise PageError(404, str(refusal)) from None
        message = str(refusal)
        return await run_in_threadpool(lambda: category_page(request, category, status=422, error=message,
                                                             form=typed))
    state = "proposed" if proposal.created else "already-stored"
    return redirect(f"/review/policies/{quote(proposal.version.version, safe='')}?{state}=1")
