"""The base of the rules made of cue kinds (threats, harassment_incitement, discrimination): not a rule itself.

A rule's TOML lists its slots and its kinds (``[kinds.<kind>]``: the code it reports under, how
sure one such cue makes the rule, its patterns per language; see worker/rules/_cues.py for how
patterns read), and optionally combos. ``CueRule.check`` finds the cues of the title and body
and turns them into at most one hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import Field

from worker.checks import Check, CheckSettings, PerLanguage
from worker.document import Document
from worker.errors import ConfigurationError
from worker.rules._cues import Cue, CueFinder, SlotLists, clause_spans
from worker.types import FieldName, Hit, Span

_MAX_SPANS = 20  # evidence enough for a moderator; keeps verdicts small


class Kind(CheckSettings):
    """One kind of cue: the code it reports under, how sure one such cue makes the rule, its patterns."""

    code: str
    score: float = Field(ge=0.0, le=1.0)
    patterns: PerLanguage


class Combo(CheckSettings):
    """Kinds that, found together in one post, say more than their scores combined ("a group is named" +
    "they are lazy" in the next sentence)."""

    kinds: list[str] = Field(min_length=2)
    code: str
    score: float = Field(ge=0.0, le=1.0)


class CueSettings(CheckSettings):
    """What a cue rule reads from its TOML (see config/checks/threats.toml for a commented example)."""

    reported_score: float = Field(0.3, ge=0.0, le=1.0)
    combos: list[Combo] = []
    max_score: float = Field(0.95, ge=0.0, le=1.0)
    slots: SlotLists
    kinds: dict[str, Kind]
    negators: PerLanguage = {}
    reporting: PerLanguage = {}
    counter_speech: PerLanguage = {}


class CueRule(Check[CueSettings]):
    """A rule made of cue kinds: the post's score combines its counting cues (one per kind).

    Distinct kinds add up as independent evidence (noisy-OR: 1 - Π(1 - score)), so two weak cues
    ("I know who you are" + "you'll regret it") say more than either alone, capped at
    ``max_score``; several cues of one kind count once. A combo (kinds found together anywhere in
    the post: a group named, then "they are lazy") sets the score when it says more. Cues that are negated, reported or argued
    against do not count; when only reported ones were found (quoted, or after "a caller said"),
    a hit says so at ``reported_score`` (negated and argued-against ones report nothing).
    The hit's code is that of the strongest counting cue; its evidence is every counting clause.
    """

    messages: ClassVar[dict[str, str]]
    reported_code: ClassVar[str]

    def __init__(self, settings: CueSettings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        for kind in [*settings.kinds.values(), *settings.combos]:
            if f"{self.category}.{kind.code}" not in self.codes:
                raise ConfigurationError(f"config/checks/{self.name}.toml: unknown code {kind.code!r}")
        for combo in settings.combos:
            if not set(combo.kinds) <= set(settings.kinds):
                raise ConfigurationError(f"config/checks/{self.name}.toml: a combo names an unknown kind {combo.kinds}")
        self._finder = CueFinder(
            settings.slots, {name: kind.patterns for name, kind in settings.kinds.items()}, settings.negators,
            settings.reporting, settings.counter_speech, regex_timeout)
        self._finder.validate()

    def check(self, doc: Document) -> Iterator[Hit]:
        counting: list[tuple[FieldName, Cue]] = []
        discounted: list[tuple[FieldName, Cue]] = []
        for field_name in ("title", "body"):
            field = doc.field(field_name)
            if field is None or not field.text:
                continue
            for cue in self._finder.cues(field.text, doc.language):
                if cue.counts:
                    counting.append((field_name, cue))
                elif cue.reported and not (cue.negated or cue.countered):
                    discounted.append((field_name, cue))
        kinds = self.settings.kinds
        if counting:
            strongest: dict[str, float] = {}
            for _, cue in counting:
                strongest[cue.kind] = kinds[cue.kind].score
            missing = 1.0
            for score in strongest.values():
                missing *= 1.0 - score
            top = max(strongest, key=lambda kind: (strongest[kind], kind))
            score, code = 1.0 - missing, kinds[top].code
            for combo in self.settings.combos:
                if combo.score > score and set(combo.kinds) <= set(strongest):
                    score, code = combo.score, combo.code
            if score > 0.0:
                code = f"{self.category}.{code}"
                yield Hit(code=code, score=round(min(self.settings.max_score, score), 4),
                          message=self.messages[code], spans=_spans(counting),
                          details=(("cues", ",".join(sorted(strongest))),))
        elif discounted:
            yield Hit(code=self.reported_code, score=self.settings.reported_score,
                      message=self.messages[self.reported_code], spans=_spans(discounted),
                      details=(("cues", ",".join(sorted({cue.kind for _, cue in discounted}))),))


def _spans(found: list[tuple[FieldName, Cue]]) -> tuple[Span, ...]:
    spans = []
    for field_name in ("title", "body"):
        cues = [cue for name, cue in found if name == field_name]
        spans.extend(Span(field_name, start, end) for start, end in clause_spans(cues))
    return tuple(spans[:_MAX_SPANS])
