"""Policies as analysts handle them: the live one, decisions replayed from stored scores, edits, diffs."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from worker.assembly import load_policy_text
from worker.policy import Policy
from worker.types import Category

CATEGORIES = tuple(category.value for category in Category)


@dataclass(frozen=True, slots=True)
class PolicyText:
    policy: Policy
    text: str
    source: str
    """Where it came from: 'database (live)', a file path, 'database version X'."""


def live_policy(engine, policy_path: Path) -> PolicyText:
    """The policy workers screen with: the database's live version, else the policy file."""
    from models.policy_store import PolicyStore

    live = PolicyStore(engine).live() if engine is not None else None
    if live is not None:
        return PolicyText(load_policy_text(live.content, f"database version {live.version}"), live.content,
                          f"database (live {live.version})")
    text = policy_path.read_text(encoding="utf-8")
    return PolicyText(load_policy_text(text, str(policy_path)), text, str(policy_path))


def action(policy: Policy, category: str, score: float | None, language: str | None) -> str | None:
    """What the category alone does at this score: 'reject', 'review' or None (mirrors Policy.decide)."""
    if score is None:
        return None
    limits = policy.thresholds(category, language)
    if limits.reject_at is not None and score >= limits.reject_at:
        return "reject"
    if limits.review_at is not None and score >= limits.review_at:
        return "review"
    return None


def decide(policy: Policy, scores: Mapping[str, float], language: str | None, failed: bool) -> str:
    """The decision Policy.decide would give from these per-category scores (each category's highest)."""
    actions = {action(policy, category, score, language) for category, score in scores.items()}
    if "reject" in actions:
        return "reject"
    if "review" in actions or failed:
        return "review"
    return "approve"


# ---- edits -----------------------------------------------------------------------------------
SET_PATTERN = re.compile(r"^(?:(?P<language>[a-z]{2,8})\.)?(?P<category>[a-z_]+)\.(?P<field>review_at|reject_at)="
                         r"(?P<value>none|[01](?:\.\d+)?|\.\d+)$")


class EditError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Edit:
    category: str
    field: str
    value: float | None
    language: str | None = None

    @property
    def section(self) -> str:
        return (f"languages.{self.language}.categories.{self.category}" if self.language
                else f"categories.{self.category}")


def parse_edit(spec: str) -> Edit:
    """'hate_speech.review_at=0.6', 'fr.sms_language.review_at=0.7' or 'links.reject_at=none'."""
    match = SET_PATTERN.match(spec.strip())
    if not match:
        raise EditError(f"{spec!r}: expected CATEGORY.review_at=VALUE or CATEGORY.reject_at=VALUE "
                        "(optionally LANGUAGE.CATEGORY...; VALUE in [0, 1] or none)")
    if match["category"] not in CATEGORIES:
        raise EditError(f"{spec!r}: unknown category {match['category']!r} (known: {', '.join(CATEGORIES)})")
    value = None if match["value"] == "none" else float(match["value"])
    return Edit(match["category"], match["field"], value, match["language"])


def apply_edits(text: str, edits: Sequence[Edit], version: str | None = None) -> str:
    """The policy text with these thresholds changed (comments and layout kept) and a new version."""
    lines = text.splitlines()
    for edit in edits:
        lines = _edit_lines(lines, edit)
    new = "\n".join(lines) + "\n"
    if version is None:
        digest = hashlib.sha256(new.encode()).hexdigest()[:8]
        base = load_policy_text(text).version
        version = f"{base[:45]}+tune.{digest}"
    return _set_version(new, version)


def _edit_lines(lines: list[str], edit: Edit) -> list[str]:
    header = f"[{edit.section}]"
    start = next((i for i, line in enumerate(lines) if line.split("#", 1)[0].strip() == header), None)
    if start is None:
        if edit.value is None:
            return lines
        return [*lines, "", header, f"{edit.field} = {edit.value:g}"]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    key = re.compile(rf"^\s*{edit.field}\s*=")
    at = next((i for i in range(start + 1, end) if key.match(lines[i])), None)
    new_line = None if edit.value is None else f"{edit.field} = {edit.value:g}"
    if at is not None:
        return lines[:at] + ([new_line] if new_line else []) + lines[at + 1:]
    if new_line is None:
        return lines
    insert_at = end
    while insert_at > start + 1 and not lines[insert_at - 1].strip():
        insert_at -= 1
    return lines[:insert_at] + [new_line] + lines[insert_at:]


def _set_version(text: str, version: str) -> str:
    pattern = re.compile(r'^version\s*=\s*"[^"]*"', re.M)
    if pattern.search(text):
        return pattern.sub(f'version = "{version}"', text, count=1)
    return f'version = "{version}"\n' + text


# ---- diffs -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ThresholdChange:
    scope: str
    """'all' or a language code (an override)."""
    category: str
    field: str
    before: float | None
    after: float | None


def threshold_changes(before: Policy, after: Policy) -> list[ThresholdChange]:
    """Every effective threshold that differs, for every category, base and per-language."""
    changes = []
    languages = sorted(set(before.languages) | set(after.languages))
    for scope in (None, *languages):
        for category in CATEGORIES:
            a, b = before.thresholds(category, scope), after.thresholds(category, scope)
            for field in ("review_at", "reject_at"):
                old, new = getattr(a, field), getattr(b, field)
                if old != new:
                    if scope is not None:  # report a language only where it differs from its base change
                        base_old = getattr(before.thresholds(category, None), field)
                        base_new = getattr(after.thresholds(category, None), field)
                        if (old, new) == (base_old, base_new):
                            continue
                    changes.append(ThresholdChange(scope or "all", category, field, old, new))
    return changes


def unified_diff(before: str, after: str, name_a: str, name_b: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=name_a, tofile=name_b))


def other_changes(before: Policy, after: Policy) -> list[str]:
    """What changed besides thresholds (cannot be replayed from stored scores)."""
    notes = []
    if before.disabled_checks != after.disabled_checks:
        notes.append(f"disabled_checks: {sorted(before.disabled_checks)} -> {sorted(after.disabled_checks)}")
    if before.limits != after.limits:
        notes.append(f"limits: {before.limits.model_dump()} -> {after.limits.model_dump()}")
    return notes
