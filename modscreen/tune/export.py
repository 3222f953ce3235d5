"""Labelled data out: one row per (moderator-decided revision, scored category) with its text and label."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from models.analytics_store import AnalyticsStore, DecisionRecord
from modscreen.tune.labels import category_labels, latest

FIELDS = ("text", "category", "label", "language", "post_id", "revision_id", "decision", "reason_code", "score",
          "decided_at")


@dataclass(frozen=True, slots=True)
class LabelledRow:
    text: str
    category: str
    label: int
    language: str | None
    post_id: str
    revision_id: int
    decision: str
    reason_code: str | None
    score: float | None
    decided_at: str


def post_text(payload: dict) -> str | None:
    """Title and body as the classifiers read them (a blank line between); None once purged."""
    body = payload.get("body")
    if body is None:
        return None
    title = payload.get("title")
    return f"{title}\n\n{body}" if title else body


def labelled_rows(decisions: Iterable[DecisionRecord], texts: dict[int, dict], scores: dict[int, dict],
                  languages: dict[int, str | None], category: str | None = None) -> Iterator[LabelledRow]:
    for revision_id, decision in sorted(latest(decisions).items()):
        labels = category_labels(decision.scored, decision.decision, decision.reason_code)
        text = post_text(texts.get(revision_id, {}))
        if labels is None or text is None:
            continue
        for name, label in sorted(labels.items()):
            if category is None or name == category:
                yield LabelledRow(text, name, label, languages.get(revision_id), decision.post_id, revision_id,
                                  decision.decision, decision.reason_code, scores.get(revision_id, {}).get(name),
                                  decision.decided_at.isoformat())


def export(store: AnalyticsStore, out: TextIO, fmt: str = "jsonl", category: str | None = None,
           since=None) -> int:
    screenings = store.screenings(since=since)
    ids = [s.revision_id for s in screenings]
    decisions = store.decisions(ids)
    rows = labelled_rows(decisions, store.texts(sorted({d.revision_id for d in decisions})),
                         {s.revision_id: s.scores for s in screenings},
                         {s.revision_id: s.language for s in screenings}, category)
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
            count += 1
    else:
        for row in rows:
            out.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_labelled(path: Path, category: str | None = None) -> list[dict]:
    """Rows of an export (JSONL or CSV), optionally of one category; labels as ints."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    out = []
    for row in rows:
        if category is not None and row.get("category") != category:
            continue
        out.append({**row, "label": int(row["label"])})
    return out
