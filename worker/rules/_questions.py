"""Shared helpers of the rules that reason about questions and topic words (not a rule itself).

``QuestionFinder`` finds the distinct questions of a post's own prose: sentences ending in "?"
(confidence 1.0), sentences opening with an interrogative phrase ("how do I", "can we", "est-ce
que": 0.7), and indirect questions without "?" ("I'd like to know how…", "j'aimerais savoir si…":
0.8). A question that adds another by coordination ("…, and also whether…", "… et également
si…", "… and, separately, how…") counts twice, split there; a condition after "and" ("and if
possible") does not. Numbered-list items, at line starts or inline ("1) … 2) …"), are sentences
of their own. Not counted: a question restated ("I mean, …", "i.e. …", "autrement dit, …", or
mostly the same words), a "?" inside a URL, path or domain or an inline quotation, ignored tag
questions ("any ideas?"). A sentence ends at . ! ? followed by a space or the end, so
"status.contactflow.example?" and "/v2/calls?from=" stay inside theirs. All phrase lists are in
config/checks/multiple_questions.toml (and the same data in question_in_existing_topic.toml). A restatement is looked for among the 50 latest questions only, so
that a 100 KB post of questions stays linear (the original compared with all of them). multiple_questions and question_in_existing_topic both use it, so the two
agree on what a question is. Sentences are split, and words compared, with worker/text.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from worker.checks import CheckSettings, PerLanguage
from worker.document import Document
from worker.text import sentences
from worker.types import Span

# "1) can the limit be raised 2) is there a bulk export": inline numbered items inside one sentence
_INLINE_ITEM = regex.compile(r"(?<![\w.,])\d{1,2}[).]\s")
_INLINE_QUOTE = regex.compile(r"\"[^\"\n]{0,500}\"|«[^»\n]{0,500}»|“[^”\n]{0,500}”")
_WORD = regex.compile(r"\w+")
_LIST_NUMBER = regex.compile(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+")
_SAME_QUESTION = 0.6
_MARKER_WORDS = 3  # a piece this short that opens with a restatement marker is the marker alone
_INDIRECT = 0.8  # "I'd like to know whether…": a question by its structure, without "?"
_COMPARED_QUESTIONS = 50
# Kept from multiple_questions as it was (only used to tell restated questions apart); moving it
# to config would change that rule's data contract, which this refactor must not do.
_STOPWORDS = frozenset("i a the to my is it do can how what de la le les un une je mon ma est comment".split())


class QuestionSettings(CheckSettings):
    """What a rule needs in its TOML to find questions (see config/checks/multiple_questions.toml)."""

    interrogatives: PerLanguage
    connectives: list[str] = []
    ignored: list[str] = []
    indirect_openers: PerLanguage = {}
    embedded: PerLanguage = {}
    additions: PerLanguage = {}
    restatements: PerLanguage = {}
    not_additions: PerLanguage = {}


class QuestionFinder:
    def __init__(self, settings: QuestionSettings, regex_timeout: float) -> None:
        self.regex_timeout = regex_timeout
        phrases = sorted({p.lower() for ps in settings.interrogatives.values() for p in ps}, key=len, reverse=True)
        connectives = "|".join(regex.escape(c) for c in settings.connectives) or "(?!)"
        self._opening = regex.compile(
            rf"^\s*(?:(?:{connectives})\b[\s,]*)?(?:{'|'.join(regex.escape(p) for p in phrases)})(?!\w)",
            regex.IGNORECASE,
        )
        self._ignored = {_normalise(phrase) for phrase in settings.ignored}
        self._restatement = regex.compile(
            r"\s*\L<restatements>(?!\w)", regex.IGNORECASE, restatements=_phrases(settings.restatements)
        )
        embedded = _alternation(settings.embedded)
        # "I'd like to know how…", "j'aimerais savoir si…": a question without "?". Named lists match
        # as a set (fast on every sentence), on the sentence lowered with its spaces normalised.
        self._indirect = regex.compile(
            r"(?<!\w)\L<openers>[\s,:]{0,3}\L<embedded>(?!\w)",
            openers=_phrases(settings.indirect_openers), embedded=_phrases(settings.embedded),
        )
        # every opener holds its longest word: a sentence holding none is not searched at all
        keys = sorted({max(p.split(), key=len) for p in _phrases(settings.indirect_openers)})
        self._indirect_keys = regex.compile(r"\L<keys>", keys=keys)
        # "…, and also whether…", "… et également si…", "… and, separately, how…": one more question
        self._addition = regex.compile(
            rf"(?:,\s{{0,3}})?(?<!\w)(?:{_alternation(settings.additions)})(?:\s{{0,3}},[^,\n]{{1,40}},)?\s{{1,3}}"
            rf"(?!(?:{_alternation(settings.not_additions)})(?!\w))(?:{embedded})(?!\w)",
            regex.IGNORECASE,
        )

    def questions(self, doc: Document) -> Iterator[tuple[Span, float]]:
        """Each distinct question of the body: its span (trimmed) and confidence."""
        text = doc.body.text
        # quotations inside a sentence ("the error says "what now?"") are not the author's question
        masked = _INLINE_QUOTE.sub(lambda m: " " * len(m.group(0)), text, timeout=self.regex_timeout)
        seen: list[frozenset[str]] = []
        restating = False  # the piece before was only "I.e." or "Autrement dit :"
        for start, end in self._pieces(masked):
            content = masked[start:end]
            number = _LIST_NUMBER.match(content)
            core = content[number.end() :] if number else content
            confidence = self._confidence(doc, core, start + (len(content) - len(core)) + len(core.rstrip()))
            if confidence == 0.0:
                restating = bool(self._restatement.match(core, timeout=self.regex_timeout)) and (
                    len(_WORD.findall(core)) <= _MARKER_WORDS
                )
                continue
            restated = restating or bool(seen and self._restatement.match(core, timeout=self.regex_timeout))
            restating = False
            if restated:
                continue  # "I mean, …", "autrement dit, …": the previous question in other words
            words = frozenset(_WORD.findall(core.lower())) - _STOPWORDS
            # only the latest questions are compared (a post of thousands of questions must stay
            # linear); a question without content words is never "the same" as another
            recent = seen[-_COMPARED_QUESTIONS:]
            if _normalise(core) in self._ignored or any(_similarity(words, other) >= _SAME_QUESTION for other in recent):
                continue
            if words:
                seen.append(words)
            core_start = start + len(content) - len(core)  # a list number is not part of the question
            for clause_start, clause_end in self._clauses(core):
                piece = core[clause_start:clause_end]
                if not _WORD.search(piece):
                    continue
                stripped = len(piece) - len(piece.lstrip(" \t\n,"))
                yield Span("body", core_start + clause_start + stripped, core_start + clause_start + len(piece.rstrip(" \t\n,"))), confidence

    def _pieces(self, text: str) -> Iterator[tuple[int, int]]:
        """Sentences, and the items of an inline numbered list ("1) … 2) …") as pieces of their own."""
        for start, end in sentences(text, self.regex_timeout):
            items = [m.start() for m in _INLINE_ITEM.finditer(text, start, end, timeout=self.regex_timeout)]
            if len(items) < 2:
                yield start, end
                continue
            bounds = [start, *items, end] if items[0] > start else [*items, end]
            yield from (pair for pair in zip(bounds, bounds[1:]) if text[pair[0]:pair[1]].strip())

    def _clauses(self, sentence: str) -> list[tuple[int, int]]:
        """One question's sentence split where it asks one more ("… and also whether …"): [start, end) each."""
        cuts = [m.start() for m in self._addition.finditer(sentence, timeout=self.regex_timeout)]
        bounds = [0, *(cut for cut in cuts if cut > 0), len(sentence)]
        return list(zip(bounds, bounds[1:]))

    def _confidence(self, doc: Document, sentence: str, end_in_text: int) -> float:
        if not _WORD.search(sentence):
            return 0.0
        if sentence.rstrip().endswith("?") and not _inside_link(doc, end_in_text - 1):
            return 1.0
        if self._opening.match(sentence, timeout=self.regex_timeout):
            return 0.7
        lowered = " ".join(sentence.lower().replace("’", "'").split())
        if not self._indirect_keys.search(lowered, timeout=self.regex_timeout):
            return 0.0
        return _INDIRECT if self._indirect.search(lowered, timeout=self.regex_timeout) else 0.0


def _phrases(lists: PerLanguage) -> list[str]:
    """Every phrase of every language, lower case, spaces normalised."""
    return sorted({" ".join(p.lower().split()) for ps in lists.values() for p in ps if p.strip()})


def _alternation(lists: PerLanguage) -> str:
    """Every phrase of every language, longest first, spaces matching 1-3 spaces; never matches when empty."""
    phrases = sorted({p.lower() for ps in lists.values() for p in ps if p.strip()}, key=len, reverse=True)
    return "|".join(regex.escape(p).replace(r"\ ", r"\s{1,3}") for p in phrases) or "(?!)"


def _inside_link(doc: Document, text_position: int) -> bool:
    if not 0 <= text_position < len(doc.body.starts):
        return False
    source_position = doc.body.starts[text_position]
    return any(link.start <= source_position < link.end for link in doc.body.links)


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def _similarity(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
