"""dehumanising_language (rule half of hate_speech): plain-worded hate against a protected group.

The community's terms forbid racist, xenophobic, threatening content and incitement to hatred.
The hate_speech classifier, trained on tweets, misses hate written without slurs ("Those
immigrants are subhuman and should be driven out of the country"); this rule reports it from
word lists in config/checks/dehumanising_language.toml (per language; every language's lists
when the post's language is unknown; slurs of every language always).

Codes and documented strengths (``[scores]`` in the TOML):
  * ``hate_speech.dehumanising`` (0.85): a protected-group term (origin, nationality,
    ethnicity, religion, gender, sexual orientation, disability: "immigrants", "immigrées",
    "Muslims", "juifs", "Roumains", "women"...) near a dehumanising term ("subhuman",
    "sous-hommes", "vermin", "cafards", "animals", "invasion", "pas des humains"...). An unnamed
    group ("these people", "ces gens-là") counts only with the strong terms (subhuman, vermin,
    cockroaches, "not human"...).
  * ``hate_speech.exclusion_or_violence``: a call to harm or exterminate (0.95: "kill all",
    "exterminate", "gas them", "death to", "il faut tous les tuer", "mort aux") near a protected
    or unnamed group, or a call to expel (0.85: "should be driven out", "send them all back",
    "renvoyer chez eux", "dehors les") near a protected group; telling someone to go back to
    their country ("go back to your country", "retourne dans ton pays") counts on its own. A call
    with no group in its sentence ("il faut tous les tuer") still counts when the sentence before
    it was reported as dehumanising (the pronoun points back at that group).
  * ``hate_speech.slur`` (0.9): a well-known slur from the reviewed list.
"Near" means in the same sentence and at most ``max_word_distance`` words apart. Matching is on
whole words, case- and accent-insensitive; a negation just before a term ("are not vermin", "ne
sont pas des sous-hommes", "should not be deported") cancels it, and technical phrases
("parasite current", "courant parasite") count for nothing. Evidence: the hateful words and the
group term they were found with (up to 20 findings per code).

Quotations: when every hateful word of a finding is inside quotation marks ("a caller called our
agents 'dirty immigrants' and 'vermin'"), the finding is still reported (a moderator should look:
the rule cannot tell a report of abuse from abuse) but at the ``quoted`` strength (0.6).

Hard negatives (report nothing): "kill the process", "kill -9 the stuck job", "this bug is
killing me", "the agents in our Indian call centre handle the night shift", "send them all back
to the queue", "les appels des clients étrangers sont facturés", "Muslim holidays affect call
volumes", "the invasion of spam calls", "the parasite current on the SIP trunk".

Known false positives: a report quoting abuse (at the quoted strength, or at full strength when
the words are not in quotation marks); a post condemning hate in its own words ("calling
immigrants vermin is racist"); a group noun next to an everyday use of a weaker term ("the
women's team fixed the rats' nest of cables"). Known false negatives: an insult aimed at one
person without a group term ("a customer called our agents 'animals'" reports nothing here; the
insults classifier covers it); group words written as adjectives only ("Indian", "Romanian"),
disguised spellings ("v3rmin", "n*gger"); a group named in one sentence and dehumanised in the
next.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

import regex
from pydantic import Field

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.document import Document
from worker.text import fold
from worker.types import FieldName, Hit, Span

_WORD = regex.compile(r"\w+")
# quotation marks: straight, curly, guillemets, and single quotes that open after a non-letter
_QUOTED = regex.compile(
    r"\"[^\"\n]{1,500}\"|“[^”\n]{1,500}”|«[^»\n]{1,500}»|(?<!\w)['‘][^'’\n]{1,200}['’](?!\w)"
)
_SENTENCE_END = frozenset("!?\n")
_NEGATION_WINDOW = 2  # words looked at before a term for a negation
_MAX_FINDINGS_PER_CODE = 20  # evidence enough for a moderator; keeps verdicts small

_DEHUMANISING = "hate_speech.dehumanising"
_EXCLUSION = "hate_speech.exclusion_or_violence"
_SLUR = "hate_speech.slur"

# the kinds of list of the TOML, as matched on the words of the text
_KINDS = ("groups", "generic_groups", "dehumanising_strong", "dehumanising", "violence", "expulsion",
          "expulsion_standalone", "slurs", "allowed_phrases")
_NEGATABLE = frozenset({"dehumanising_strong", "dehumanising", "violence", "expulsion", "expulsion_standalone"})

Phrase = tuple[str, ...]


class Scores(CheckSettings):
    dehumanising: float = Field(0.85, ge=0.0, le=1.0)
    expulsion: float = Field(0.85, ge=0.0, le=1.0)
    violence: float = Field(0.95, ge=0.0, le=1.0)
    slur: float = Field(0.9, ge=0.0, le=1.0)
    quoted: float = Field(0.6, ge=0.0, le=1.0)


class Settings(CheckSettings):
    max_word_distance: int = Field(12, ge=1, le=50)
    scores: Scores = Scores()
    groups: PerLanguage
    generic_groups: PerLanguage = {}
    dehumanising_strong: PerLanguage
    dehumanising: PerLanguage = {}
    violence: PerLanguage
    expulsion: PerLanguage
    expulsion_standalone: PerLanguage = {}
    negators: PerLanguage = {}
    allowed_phrases: PerLanguage = {}
    slurs: PerLanguage


@dataclass(frozen=True, slots=True)
class _Match:
    kind: str
    first: int  # index of its first word
    last: int  # index of its last word
    start: int  # character range in the field's text
    end: int


@dataclass(frozen=True, slots=True)
class _Finding:
    code: str
    score: float
    spans: tuple[tuple[int, int], ...]


class _Lexicon:
    """One language's lists as word sequences, indexed by their first word."""

    def __init__(self, lists: dict[str, list[str]], negators: list[str]) -> None:
        self.index: dict[str, dict[str, list[Phrase]]] = {}
        for kind, phrases in lists.items():
            by_first: dict[str, list[Phrase]] = {}
            for phrase in {_words(p) for p in phrases}:
                if phrase:
                    by_first.setdefault(phrase[0], []).append(phrase)
            for candidates in by_first.values():
                candidates.sort(key=len, reverse=True)  # the longest phrase wins
            self.index[kind] = by_first
        self.negators = frozenset(word for n in negators for word in _words(n))


def _words(phrase: str) -> Phrase:
    return tuple(fold(word) for word in _WORD.findall(phrase))


@register
class DehumanisingLanguage(Check[Settings]):
    name = "dehumanising_language"
    category = "hate_speech"
    version = "1.0.0"
    codes = frozenset({_DEHUMANISING, _EXCLUSION, _SLUR})

    def check(self, doc: Document) -> Iterator[Hit]:
        lexicon = self.per_language(doc.language, self._lexicon)
        findings: dict[str, list[tuple[FieldName, _Finding]]] = {}
        for field_name in ("title", "body"):
            field = doc.field(field_name)
            if field is None or not field.text:
                continue
            for finding in self._field_findings(field.text, lexicon):
                findings.setdefault(finding.code, []).append((field_name, finding))
        for code in sorted(findings):
            found = findings[code]
            spans = _merged(
                (field_name, start, end) for field_name, finding in found[:_MAX_FINDINGS_PER_CODE]
                for start, end in finding.spans
            )
            details = [("findings", str(len(found)))]
            if all(finding.score == self.settings.scores.quoted for _, finding in found):
                details.append(("quoted", "yes"))
            yield Hit(
                code=code,
                score=max(finding.score for _, finding in found),
                message=_MESSAGES[code],
                spans=tuple(spans),
                details=tuple(details),
            )

    def _lexicon(self, language: str | None) -> _Lexicon:
        s = self.settings

        def pick(lists: PerLanguage, every_language: bool = False) -> list[str]:
            # unknown language, or one without lists: every language's phrases
            if language in lists and not every_language:
                return lists[language]
            return [phrase for phrases in lists.values() for phrase in phrases]

        lists = {kind: pick(getattr(s, kind), every_language=kind == "slurs") for kind in _KINDS}
        return _Lexicon(lists, pick(s.negators))

    def _field_findings(self, text: str, lexicon: _Lexicon) -> Iterator[_Finding]:
        words: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        sentence_of: list[int] = []
        folded: dict[str, str] = {}
        sentence, previous_end = 0, 0
        for match in list(_WORD.finditer(text, timeout=self.regex_timeout)):
            start, end = match.span()
            if words and _ends_sentence(text, previous_end, start):
                sentence += 1
            word = match.group()
            if word not in folded:
                folded[word] = fold(word)
            words.append(folded[word])
            starts.append(start)
            ends.append(end)
            sentence_of.append(sentence)
            previous_end = end
        if not words:
            return

        def find(kind: str) -> list[_Match]:
            index = lexicon.index[kind]
            if not index:
                return []
            found = []
            for i, word in enumerate(words):
                for phrase in index.get(word, ()):
                    last = i + len(phrase) - 1
                    if (last < len(words) and sentence_of[last] == sentence_of[i]
                            and tuple(words[i : last + 1]) == phrase):
                        found.append(_Match(kind, i, last, starts[i], ends[last]))
                        break
            return found

        allowed = bytearray(len(words))
        for match in find("allowed_phrases"):
            allowed[match.first : match.last + 1] = b"\x01" * (match.last - match.first + 1)

        def keep(match: _Match) -> bool:
            if any(allowed[match.first : match.last + 1]):
                return False
            if match.kind in _NEGATABLE:
                before = range(max(0, match.first - _NEGATION_WINDOW), match.first)
                return not any(words[i] in lexicon.negators and sentence_of[i] == sentence_of[match.first] for i in before)
            return True

        matches = {kind: [m for m in find(kind) if keep(m)] for kind in _KINDS if kind != "allowed_phrases"}
        scores = self.settings.scores
        quotes = _Quotes(text, self.regex_timeout)
        named = _Nearby(matches["groups"], sentence_of, self.settings.max_word_distance)
        any_group = _Nearby(matches["groups"] + matches["generic_groups"], sentence_of, self.settings.max_word_distance)

        def finding(code: str, score: float, term: _Match, group: _Match | None) -> _Finding:
            spans = [(term.start, term.end)] + ([(group.start, group.end)] if group else [])
            return _Finding(code, scores.quoted if quotes.contains(term.start, term.end) else score, tuple(spans))

        dehumanised: dict[int, _Match] = {}  # sentence -> the group it dehumanises
        for kind, groups in (("dehumanising_strong", any_group), ("dehumanising", named)):
            for term in matches[kind]:
                group = groups.nearest(term)
                if group is not None:
                    dehumanised.setdefault(sentence_of[term.first], group)
                    yield finding(_DEHUMANISING, scores.dehumanising, term, group)
        for kind, groups, score in (("violence", any_group, scores.violence), ("expulsion", named, scores.expulsion)):
            for term in matches[kind]:
                group = groups.nearest(term)
                if group is None and not groups.in_sentence(sentence_of[term.first]):
                    group = dehumanised.get(sentence_of[term.first] - 1)  # "... sous-hommes. Il faut tous les tuer."
                if group is not None:
                    yield finding(_EXCLUSION, score, term, group)
        for term in matches["expulsion_standalone"]:
            yield finding(_EXCLUSION, scores.expulsion, term, None)
        for term in matches["slurs"]:
            yield finding(_SLUR, scores.slur, term, None)


class _Nearby:
    """Group matches by position: the nearest one in a term's sentence, within a distance."""

    def __init__(self, groups: list[_Match], sentence_of: list[int], distance: int) -> None:
        self._groups = sorted(groups, key=lambda m: m.first)
        self._firsts = [m.first for m in self._groups]
        self._sentences = {sentence_of[m.first] for m in self._groups}
        self._sentence_of = sentence_of
        self._distance = distance

    def in_sentence(self, sentence: int) -> bool:
        return sentence in self._sentences

    def nearest(self, term: _Match) -> _Match | None:
        # the nearest group on either side is the only candidate there: sentences are contiguous
        right = bisect_left(self._firsts, term.first)
        candidates = []
        if right > 0:
            candidates.append(self._groups[right - 1])
        if right < len(self._groups):
            candidates.append(self._groups[right])
        best, best_gap = None, self._distance + 1
        for group in candidates:
            if self._sentence_of[group.first] != self._sentence_of[term.first]:
                continue
            if group.first <= term.last and term.first <= group.last:
                continue  # the same words ("parasites" cannot be both the group and the term)
            gap = term.first - group.last if group.last < term.first else group.first - term.last
            if gap < best_gap:
                best, best_gap = group, gap
        return best


class _Quotes:
    """Ranges of the text inside quotation marks, computed on first use."""

    def __init__(self, text: str, timeout: float) -> None:
        self._text = text
        self._timeout = timeout
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def contains(self, start: int, end: int) -> bool:
        if self._starts is None:
            ranges = [m.span() for m in _QUOTED.finditer(self._text, timeout=self._timeout)]
            self._starts = [s for s, _ in ranges]
            self._ends = [e for _, e in ranges]
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and end <= self._ends[i]


def _merged(ranges: Iterator[tuple[FieldName, int, int]]) -> tuple[Span, ...]:
    """Spans in order, title first, overlapping ones joined ("tous les renvoyer" + "renvoyer chez eux")."""
    spans: list[Span] = []
    for field_name, start, end in sorted(set(ranges), key=lambda r: (r[0] != "title", r[1], r[2])):
        if spans and spans[-1].field == field_name and start < spans[-1].end:
            spans[-1] = Span(field_name, spans[-1].start, max(end, spans[-1].end))
        else:
            spans.append(Span(field_name, start, end))
    return tuple(spans)


def _ends_sentence(text: str, gap_start: int, gap_end: int) -> bool:
    """Whether the characters between two words end a sentence ("." only before a space or the end)."""
    for i in range(gap_start, gap_end):
        ch = text[i]
        if ch in _SENTENCE_END or (ch == "." and text[i + 1 : i + 2] in ("", " ", "\n", "\t")):
            return True
    return False


_MESSAGES = {
    _DEHUMANISING: "The post describes a group of people (by origin, religion, gender, orientation or disability) "
    "in dehumanising terms; remove those words and speak of people respectfully.",
    _EXCLUSION: "The post calls for a group of people to be expelled, excluded or harmed; remove that call, "
    "threats and incitement to hatred are not allowed here.",
    _SLUR: "The post uses a slur against a group of people; remove it and keep the discussion respectful of everyone.",
}
