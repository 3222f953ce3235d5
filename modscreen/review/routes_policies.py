"""Stored policy versions and their diffs against the live policy; admins make a candidate live.

    GET  /review/policies                 every version (live, shadow, candidates, retired) with its changes
    GET  /review/policies/{version}       one version: threshold changes, unified TOML diff, activation (admins)
    POST /review/policies/activate        (admin, CSRF) validate again and make a stored version live (audited)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from models.policy_store import PolicyVersion
from modscreen.policy_lifecycle import PolicyRefused, UnknownVersion
from modscreen.review.routes_analytics import READERS, analytics
from modscreen.review.web import PageError, checked_form, current_user, redirect, render
from modscreen.tune.policies import PolicyText, ThresholdChange, other_changes, threshold_changes, unified_diff
from worker.assembly import load_policy_text
from worker.errors import ConfigurationError

router = APIRouter()
ORDER = {"live": 0, "shadow": 1, "candidate": 2, "retired": 3}


@dataclass(frozen=True, slots=True)
class Compared:
    version: PolicyVersion
    changes: list[ThresholdChange]
    other: list[str]
    diff: str
    error: str = ""

    @property
    def url(self) -> str:
        return "/review/policies/" + quote(self.version.version, safe="")


def compare(live: PolicyText, version: PolicyVersion) -> Compared:
    diff = unified_diff(live.text, version.content, f"live ({live.policy.version})", version.version)
    try:
        policy = load_policy_text(version.content, version.version)
    except ConfigurationError as error:
        return Compared(version, [], [], diff, f"does not validate: {error}")
    return Compared(version, threshold_changes(live.policy, policy), other_changes(live.policy, policy), diff)


@router.get("/review/policies")
def policies_page(request: Request, message: str = "") -> Response:
    current_user(request, READERS)
    service = analytics(request)
    live = service.live()
    versions = sorted(service.policies.versions(), key=lambda v: (ORDER.get(v.status, 9), -v.created_at.timestamp(),
                                                                   -v.id))
    return render(request, "policies.html", live=live, versions=[compare(live, v) for v in versions],
                  message=message[:200])


@router.get("/review/policies/{version:path}")
def policy_page(request: Request, version: str) -> Response:
    current_user(request, READERS)
    service = analytics(request)
    stored = service.policies.get(version)
    if stored is None:
        raise PageError(404, f"No policy version {version[:80]!r} is stored.")
    query = request.query_params
    notice = ("Stored as a candidate policy: an admin can now make it live." if query.get("proposed") else
              "The same candidate was already stored: here it is." if query.get("already-stored") else
              "This version is now live: workers pick it up within MODSCREEN_POLICY_REFRESH_SECONDS (30 s by default)."
              if query.get("activated") else "")
    return render(request, "policy.html", compared=compare(service.live(), stored), notice=notice, error="")


@router.post("/review/policies/activate")
async def activate(request: Request) -> Response:
    admin = current_user(request, ("admin",))
    form = await checked_form(request, admin)
    version = str(form.get("version") or "")[:200]
    message = str(form.get("message") or "").strip()[:2000] or "activated"
    service = analytics(request)
    try:
        activation = await run_in_threadpool(service.lifecycle.activate, version, admin.username, message)
        if not activation.changed:
            raise PolicyRefused(f"{version} is already live")
    except UnknownVersion as refusal:
        raise PageError(404, str(refusal)) from None
    except PolicyRefused as refusal:
        stored = await run_in_threadpool(service.policies.get, version)
        compared = await run_in_threadpool(lambda: compare(service.live(), stored))
        return render(request, "policy.html", status=422, compared=compared, notice="", error=str(refusal))
    return redirect(f"/review/policies/{quote(activation.version.version, safe='')}?activated=1")
