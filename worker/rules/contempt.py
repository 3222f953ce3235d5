"""contempt: name-calling and contempt aimed at members, moderators or the vendor's people.

The terms of use forbid insults and contempt toward people even without a dictionary swear word:
"are you dense?", "can the mods ban this clown", "useless idiot", "lazy mods", "your devs are
clowns", "bande d'incompétents", "votre éditeur se fout de notre gueule", "t'y connais rien".
The profanity check knows words; the insults model is trained on English web comments and
reads help-center French weakly; this rule reads the *frame* that aims a word at someone.

Code ``offensive.contempt``, from config/checks/contempt.toml (per language; every language's
lists when the post's language is unknown), matched on folded text (any case, accents optional):

* ``frame`` (0.85): an insult word aimed by a frame at a target: "you are / you're / u r …",
  "you clowns", "are you dense", "<target> … is/are (a bunch of) …" ("the people who coded it are
  idiots"), "bunch of …", "lazy mods", "vous êtes …", "c'est des …", "bande de …", "<target> …
  est/sont …", fixed expressions of contempt ("shut up", "learn to read", "se fout de notre
  gueule", "nous prend pour des billes", "à la ramasse");
* ``name`` (0.8): a word that calls someone names wherever it stands ("idiot", "muppet", "guignol");
* ``exclamation`` (0.75): a short sentence that is a verdict on people ("Pathetic.", "Des clowns.").

Not reported: words inside quotation marks or right after reported-speech cues ("a caller
called the agent « connard »", "a customer told our agent he was useless": the post reports abuse),
and words right after a negation ("you're not an idiot", "ce n'est pas nul"). Hard negatives:
"this setting is useless", "c'est vraiment pénible", "the bot answers in French", "bande passante".

Evidence: every matched frame or word (up to 20). Known limits: sarcasm ("nice one, genius")
outside a reply to a handle; an insult whose target is far from it in the sentence; a quotation
of the poster's own words counts as a report.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from pydantic import Field

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.document import Document
from worker.rules import _abuse
from worker.text import fold_in_place
from worker.types import Hit, Span

_MAX_SPANS = 20
_MENTION = r"@\w{1,50}"
_SENTENCE = regex.compile(r"[^.!?…\n]{1,400}[.!?…]*")
_WORDS = regex.compile(r"[\w'*@-]+")


class Scores(CheckSettings):
    frame: float = Field(0.85, ge=0.0, le=1.0)
    name: float = Field(0.8, ge=0.0, le=1.0)
    exclamation: float = Field(0.75, ge=0.0, le=1.0)


class Settings(CheckSettings):
    scores: Scores = Scores()
    names: PerLanguage = {}
    insults: PerLanguage = {}
    targets: PerLanguage = {}
    frames: PerLanguage = {}
    exclamations: PerLanguage = {}
    lead: list[str] = []
    max_exclamation_words: int = Field(7, ge=1, le=20)
    negators: PerLanguage = {}
    reported_speech: PerLanguage = {}


class _Patterns:
    def __init__(self, settings: Settings, language: str | None) -> None:
        fills = {
            "insults": _abuse.pick(settings.insults, language),
            "names": _abuse.pick(settings.names, language),
            "targets": _abuse.pick(settings.targets, language),
        }
        templates = [t.replace("{mention}", _MENTION) for t in _abuse.pick(settings.frames, language)]
        # frames that need an insult word only run on posts holding one (most posts hold none): speed
        self.gated = _abuse.compile_frames([t for t in templates if "{insults}" in t or "{names}" in t], fills)
        self.frames = _abuse.compile_frames([t for t in templates if "{insults}" not in t and "{names}" not in t], fills)
        self.names = _abuse.compile_frames(["{names}"], fills) if fills["names"] else None
        self.triggers = _abuse.key_words([*fills["insults"], *fills["names"]])
        self.exclamation_triggers = _abuse.key_words(_abuse.pick(settings.exclamations, language))
        exclamations = _abuse.alternation(_abuse.pick(settings.exclamations, language))
        lead = _abuse.alternation(settings.lead)
        self.exclamation = regex.compile(rf"^\W{{0,3}}(?:{lead}\s+){{0,2}}{exclamations}(?!\w)")
        self.negators = frozenset(fold_in_place(n, base="unaccented") for n in _abuse.pick(settings.negators, language))
        self.reported = [fold_in_place(c, base="unaccented") for c in _abuse.pick(settings.reported_speech, language)]


@register
class Contempt(Check[Settings]):
    name = "contempt"
    category = "offensive"
    version = "1.0.0"
    codes = frozenset({"offensive.contempt"})

    def load(self) -> None:
        """Compile every language's patterns now (about a second each), not on the first post."""
        for language in (*sorted(self.settings.frames), None):
            self.per_language(language, self._patterns)

    def _patterns(self, language: str | None) -> _Patterns:
        return _Patterns(self.settings, language)

    def check(self, doc: Document) -> Iterable[Hit]:
        patterns = self.per_language(doc.language, self._patterns)
        scores = self.settings.scores
        found: list[tuple[float, Span]] = []
        for field_name, field in (("title", doc.title), ("body", doc.body)):
            if field is None or not field.text:
                continue
            for score, start, end in self._find(field.text, patterns):
                found.append((score, Span(field_name, start, end)))
        if not found:
            return []
        best = max(score for score, _ in found)
        spans = tuple(span for _, span in sorted(found, key=lambda item: (item[1].field != "title", item[1].start)))
        return [Hit(
            code="offensive.contempt",
            score=best,
            message="The post insults or shows contempt for people (members, moderators or staff); "
            "criticise the product or the answer, not the people.",
            spans=spans[:_MAX_SPANS],
            details=(("kind", {scores.frame: "frame", scores.name: "name"}.get(best, "exclamation")),),
        )]

    def _find(self, text: str, patterns: _Patterns) -> list[tuple[float, int, int]]:
        folded = fold_in_place(text, base="unaccented")
        quoted = _abuse.quoted_ranges(folded, self.regex_timeout)
        scores = self.settings.scores
        found: list[tuple[float, int, int]] = []
        words = set(_abuse.WORD.findall(folded))
        insulting = not words.isdisjoint(patterns.triggers)
        for pattern, score, needed in ((patterns.frames, scores.frame, True), (patterns.gated, scores.frame, insulting),
                                       (patterns.names, scores.name, insulting)):
            if pattern is None or not needed:
                continue
            for match in pattern.finditer(folded, overlapped=False, timeout=self.regex_timeout):
                if self._counts(folded, quoted, match.start(), match.end(), patterns):
                    found.append((score, match.start(), match.end()))
        sentences = () if words.isdisjoint(patterns.exclamation_triggers) else _SENTENCE.finditer(
            folded, timeout=self.regex_timeout)
        for sentence in sentences:
            body = sentence.group()
            if len(_WORDS.findall(body)) > self.settings.max_exclamation_words:
                continue
            match = patterns.exclamation.search(body, timeout=self.regex_timeout)
            if match is not None:
                start, end = sentence.start() + match.start(), sentence.start() + match.end()
                start += len(body[match.start():match.end()]) - len(body[match.start():match.end()].lstrip(" \t\"'«“(-"))
                if self._counts(folded, quoted, start, end, patterns):
                    found.append((scores.exclamation, start, end))
        return _distinct(found)

    @staticmethod
    def _counts(folded: str, quoted: list[tuple[int, int]], start: int, end: int, patterns: _Patterns) -> bool:
        """Said by the poster: the insulting (last) word is not quoted, reported or negated."""
        last = folded.rfind(" ", start, end - 1) + 1 or start
        if any(a <= start < b or a < end <= b for a, b in quoted):
            return False
        if _abuse.reported_speech(folded, start, patterns.reported):
            return False
        return not _abuse.negated(folded, max(last, start), patterns.negators)


def _distinct(found: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """Overlapping matches kept once, the strongest first."""
    kept: list[tuple[float, int, int]] = []
    for score, start, end in sorted(found, key=lambda item: (-item[0], item[1])):
        if not any(s < end and start < e for _, s, e in kept):
            kept.append((score, start, end))
    return sorted(kept, key=lambda item: item[1])
