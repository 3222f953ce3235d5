"""defamation: a named or identifiable person accused of a crime or of dishonesty.

The terms of use forbid defamatory accusations against people ("Marc from support is stealing
from customers", "their account manager Jenny Clarke lies to customers to hit her quota", "Julien
du support N2 est un fraudeur", "la responsable facturation, Nathalie Girard, gonfle les
factures"): the community cannot check them and the person cannot answer.

Code ``offensive.defamation`` (score from config/checks/defamation.toml, 0.85): in one sentence,
a *person* followed within ``max_word_distance`` words by an *accusation* (``accusations``: "is
stealing", "lies to", "is a fraud", "pocketed", "vole", "ment", "est un escroc", "truque"...),
not negated ("Marc is not lying") and not inside quotation marks. A person is a capitalised full
name ("Paul Stevens", "Camille Roux"), a capitalised first name followed by "from"/"du"/"de la"
and a team ("Marc from support"; the vendor's names from the community profile count as teams:
"Marc from ContactFlow"), or a role that identifies one person (``roles``: "account
manager", "head of billing", "chef de produit", "la responsable facturation").
Evidence: the person and the accusation.

Hard negatives: "the problem lies in the codec", "the softphone steals focus", "Marc from
support fixed it", "the ACD is stealing calls from queue B" (no person), "I'm not saying Paul
Stevens lied". Known limits: an accusation against "he"/"she" in the next sentence; a name
written in lower case; a product name of two capitalised words before an accusation verb
("Task Manager fakes ...").
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from pydantic import Field

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.community import CommunityProfile
from worker.document import Document
from worker.rules import _abuse
from worker.text import fold_in_place
from worker.types import Hit, Span

_SENTENCE = regex.compile(r"[^.!?;\n]{1,600}")
_FULL_NAME = regex.compile(r"(?<!\w)\p{Lu}\p{Ll}{1,20}(?:[ -]\p{Lu}\p{Ll}{1,20}){1,2}(?!\w)")
_WORDS = regex.compile(r"\w+")


class Settings(CheckSettings):
    community: CommunityProfile
    score: float = Field(0.85, ge=0.0, le=1.0)
    max_word_distance: int = Field(15, ge=1, le=50)
    roles: PerLanguage = {}
    teams: list[str] = []
    accusations: PerLanguage = {}
    negators: PerLanguage = {}
    idioms: PerLanguage = {}


@register
class Defamation(Check[Settings]):
    name = "defamation"
    category = "offensive"
    version = "1.1.0"
    codes = frozenset({"offensive.defamation"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        teams = _abuse.alternation([*settings.teams, *settings.community.names])  # "Marc from ContactFlow"
        self._first_name_from = regex.compile(
            rf"(?<!\w)\p{{Lu}}\p{{Ll}}{{1,20}}\s+(?i:from|at|of|du|de\s+la|de\s+l'|chez)\s+(?i:{teams})(?!\w)"
        )

    def load(self) -> None:
        for language in (*sorted(self.settings.accusations), None):
            self.per_language(language, self._patterns)

    def _patterns(self, language: str | None) -> tuple[regex.Pattern[str], regex.Pattern[str], frozenset[str]]:
        roles = _abuse.alternation(_abuse.pick(self.settings.roles, language))
        accusations = _abuse.alternation(_abuse.pick(self.settings.accusations, language))
        idioms = _abuse.alternation(_abuse.pick(self.settings.idioms, language))
        negators = frozenset(fold_in_place(n, base="unaccented") for n in _abuse.pick(self.settings.negators, language))
        # an accusation word that starts an idiom ("a volé la vedette") accuses nobody
        return (
            regex.compile(rf"(?<!\w){roles}(?!\w)"),
            regex.compile(rf"(?<!\w)(?!{idioms}(?!\w)){accusations}(?!\w)"), negators)

    def check(self, doc: Document) -> Iterable[Hit]:
        spans: list[Span] = []
        for field_name, field in (("title", doc.title), ("body", doc.body)):
            if field is not None and field.text:
                spans += [Span(field_name, s, e) for s, e in self._find(field.text, doc.language)]
        if not spans:
            return []
        return [Hit(
            code="offensive.defamation",
            score=self.settings.score,
            message="The post accuses a named person of dishonesty or a crime; report facts about the "
            "problem to support instead of accusing people publicly.",
            spans=tuple(spans[:20]),
        )]

    def _find(self, text: str, language: str | None) -> list[tuple[int, int]]:
        roles, accusations, negators = self.per_language(language, self._patterns)
        folded = fold_in_place(text, base="unaccented")
        quoted = _abuse.quoted_ranges(folded, self.regex_timeout)
        found: list[tuple[int, int]] = []
        for sentence in _SENTENCE.finditer(text, timeout=self.regex_timeout):
            lo, hi = sentence.span()
            charges = [m.span() for m in accusations.finditer(folded, lo, hi, timeout=self.regex_timeout)
                       if not _abuse.negated(folded, m.start(), negators)
                       and not any(a <= m.start() < b for a, b in quoted)]
            if not charges:
                continue
            people = [m.span() for pattern, source in ((_FULL_NAME, text), (self._first_name_from, text), (roles, folded))
                      for m in pattern.finditer(source, lo, hi, timeout=self.regex_timeout)]
            for start, end in charges:
                before = [p for p in people if p[1] <= start
                          and len(_WORDS.findall(folded, p[1], start)) <= self.settings.max_word_distance
                          and not _abuse.negated(folded, p[0], negators)]  # "I'm not saying Paul Stevens lied"
                if before:
                    person = max(before, key=lambda p: p[1])
                    found += [person, (start, end)]
        return sorted(set(found))
