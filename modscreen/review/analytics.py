"""The analysts' pages' data: report, sweep, slider and proposals, with a brief cache.

Nothing here is HTTP: the routes (routes_analytics.py, routes_policies.py) call these methods and
render what they return. Every figure comes from ``modscreen.tune`` (the same functions as the
``modscreen tune`` commands), so a page and the CLI always agree. Datasets, slider arrays and
sweep pictures are cached for ``ttl`` seconds (keyed by the filters and the live policy's
version), which is what keeps a slider answering in milliseconds.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from models.policy_store import PolicyStore
from modscreen.policy_lifecycle import PolicyLifecycle, PolicyRefused, Proposal
from modscreen.tune.common import load_dataset
from modscreen.tune.labels import Dataset
from modscreen.tune.policies import CATEGORIES, EditError, PolicyText, apply_edits, live_policy, parse_edit
from modscreen.tune.report import Report, build_report
from modscreen.tune.sweep import SliderData, Sweep, SweepPoint, sweep

PNG_LOCK = threading.Lock()
"""pyplot keeps global state: one picture at a time."""


class AnalyticsError(ValueError):
    """A value the analyst gave that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Filters:
    since_text: str = ""
    since: datetime | None = None
    language: str | None = None
    category: str | None = None

    @property
    def key(self) -> tuple:
        return (self.since.isoformat() if self.since else None, self.language)


def parse_since(text: str) -> datetime | None:
    """'2026-11-01', an ISO date-time (UTC unless an offset is given) or '7d' (days ago, to the minute)."""
    text = (text or "").strip()
    if not text:
        return None
    if text.endswith("d") and text[:-1].isdigit() and len(text) <= 6:
        return (datetime.now(UTC) - timedelta(days=int(text[:-1]))).replace(second=0, microsecond=0)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            raise AnalyticsError(f"since: {text[:40]!r} is not a date (2026-11-01, a date-time or 7d)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_unit(name: str, text: Any, *, required: bool = False) -> float | None:
    """A threshold or a target in [0, 1]; None when empty (unless required)."""
    text = str(text if text is not None else "").strip()
    if not text:
        if required:
            raise AnalyticsError(f"{name}: give a value between 0 and 1")
        return None
    try:
        value = float(text)
    except ValueError:
        raise AnalyticsError(f"{name}: {text[:20]!r} is not a number (give a value between 0 and 1, e.g. 0.6)") from None
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise AnalyticsError(f"{name}: {text[:20]} is outside [0, 1]")
    return round(value, 4)


def check_category(category: str) -> str:
    if category not in CATEGORIES:
        raise AnalyticsError(f"unknown category {category[:40]!r} (known: {', '.join(CATEGORIES)})")
    return category


def check_language(text: str) -> str | None:
    text = (text or "").strip().lower()
    if text and not (text.isascii() and text.isalpha() and 2 <= len(text) <= 8):
        raise AnalyticsError(f"language: {text[:20]!r} is not a language code (en, fr)")
    return text or None


class TTLCache:
    """A small, thread-safe cache whose entries live `seconds` (0: no caching)."""

    def __init__(self, seconds: float, size: int = 48) -> None:
        self.seconds, self.size = seconds, size
        self._entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, make: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and time.monotonic() - hit[0] < self.seconds:
                return hit[1]
        value = make()
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


class Analytics:
    def __init__(self, engine, policy_path: Path, ttl: float = 30.0) -> None:
        self.engine, self.policy_path = engine, Path(policy_path)
        self.policies = PolicyStore(engine)
        self.lifecycle = PolicyLifecycle(self.policies, self.policy_path)
        self.cache = TTLCache(ttl)

    # ---- reading -------------------------------------------------------------------------
    def live(self) -> PolicyText:
        return live_policy(self.engine, self.policy_path)

    def _live_key(self, live: PolicyText) -> str:
        return hashlib.sha256(live.text.encode()).hexdigest()[:16]

    def dataset(self, filters: Filters) -> Dataset:
        return self.cache.get(("dataset", *filters.key),
                              lambda: load_dataset(self.engine, filters.since, filters.language))

    def report(self, filters: Filters) -> tuple[PolicyText, Report]:
        live = self.live()
        report = build_report(self.dataset(filters), live.policy, [filters.category] if filters.category else None,
                              [filters.language] if filters.language else None)
        return live, report

    def slider_data(self, category: str, filters: Filters) -> SliderData:
        live = self.live()
        return self.cache.get(("slider", category, *filters.key, self._live_key(live)),
                              lambda: SliderData(self.dataset(filters), live.policy, category, filters.language))

    def sweep(self, category: str, filters: Filters, reject_precision: float | None,
              review_recall: float | None) -> Sweep:
        live = self.live()
        return self.cache.get(("sweep", category, *filters.key, self._live_key(live), reject_precision, review_recall),
                              lambda: sweep(self.dataset(filters), live.policy, category, filters.language,
                                            reject_precision=reject_precision, review_recall=review_recall))

    def png(self, category: str, filters: Filters, reject_precision: float | None,
            review_recall: float | None) -> bytes:
        key = self._live_key(self.live())
        result = self.sweep(category, filters, reject_precision, review_recall)

        def draw() -> bytes:
            from modscreen.tune.plotting import write_png

            buffer = io.BytesIO()
            with PNG_LOCK:
                write_png(result, buffer)  # savefig takes a file object as well as a path: PNG into memory
            return buffer.getvalue()

        return self.cache.get(("png", category, *filters.key, key, reject_precision, review_recall), draw)

    def slider(self, category: str, filters: Filters, threshold: float) -> dict:
        """`SliderData.slider(threshold)` as the tune module gives it, plus `display`: the page's sentences."""
        data = self.slider_data(category, filters)
        answer = data.slider(threshold)
        return {**answer, "display": display(data, data.point(threshold))}

    # ---- proposing (an admin activates on the policies page: routes_policies.py) ---------------
    def propose(self, category: str, review_at: float | None, reject_at: float | None, scope: str | None,
                author: str, message: str) -> Proposal:
        """The live policy with these thresholds, validated as `modscreen policy apply` does, stored as a candidate."""
        live = self.live()
        current = live.policy.thresholds(category, scope)
        try:
            edits = [parse_edit(f"{scope + '.' if scope else ''}{category}.{name}={_g(value)}")
                     for name, value, before in (("review_at", review_at, current.review_at),
                                                 ("reject_at", reject_at, current.reject_at)) if value != before]
        except EditError as error:
            raise AnalyticsError(str(error)) from None
        if not edits:
            raise AnalyticsError(f"nothing changes: the live policy already has {category} review_at "
                                 f"{_g(current.review_at)} and reject_at {_g(current.reject_at)}")
        text = apply_edits(live.text, edits)
        try:
            candidate = self.lifecycle.validate(text, "the proposed policy", "invalid policy, nothing stored")
            got = candidate.thresholds(category, scope)
            if (got.review_at, got.reject_at) != (review_at, reject_at):  # e.g. `none` in a language override inherits
                raise AnalyticsError(f"{scope + '.' if scope else ''}{category} would have review_at "
                                     f"{_g(got.review_at)} and reject_at {_g(got.reject_at)}, not {_g(review_at)} "
                                     f"and {_g(reject_at)}: a language override inherits what it leaves out; change "
                                     "it for all languages")
            described = ", ".join(f"{e.language + '.' if e.language else ''}{e.category}.{e.field}={_g(e.value)}"
                                  for e in edits)
            return self.lifecycle.propose(text, "the proposed policy", author,
                                          (message.strip() or f"proposed on the analytics page: {described}")[:2000])
        except PolicyRefused as refusal:
            raise AnalyticsError(str(refusal)) from None


def _g(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _n(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def display(data: SliderData, new: SweepPoint) -> dict[str, str]:
    """The sentences a slider shows (one formatting for the server-rendered page and the script)."""
    current = data.point(data.current_review_at if data.current_review_at is not None else math.inf)
    days = data.days
    queue_delta = new.review_per_day - current.review_per_day
    caught_new, caught_now = new.tp / days, current.tp / days
    now_label = f"review_at {data.current_review_at:g}" if data.current_review_at is not None else "no review_at"
    return {
        "threshold": f"{new.threshold:.2f}",
        "precision": new.precision.text(), "recall": new.recall.text(), "f1": _n(new.f1),
        "queue": f"{new.review_per_day:.1f} posts/day",
        "caught": f"{caught_new:.2f}/day",
        "queue_change": f"{queue_delta:+.1f} posts/day to review ({current.review_per_day:.1f} → "
                        f"{new.review_per_day:.1f})",
        "recall_change": f"recall {_n(current.recall.value)} → {_n(new.recall.value)}",
        "precision_change": f"precision {_n(current.precision.value)} → {_n(new.precision.value)}",
        "caught_change": f"caught {caught_now:.2f} → {caught_new:.2f}/day ({caught_new - caught_now:+.2f}, estimated)",
        "versus": f"versus the current {now_label}",
        "above_reject": (f"above the current reject_at {data.current_reject_at:g}: lower reject_at too, or the policy "
                         "will not validate") if data.current_reject_at is not None
        and new.threshold > data.current_reject_at else "",
        "small": f"fewer than 30 labels ({data.labels}): every figure is uncertain" if data.labels < 30 else "",
    }
