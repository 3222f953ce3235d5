"""Shared machinery of the rules that look for a structure inside a clause (not a rule itself).

threats, harassment_incitement and discrimination describe what they look for as data: *slots*
(lists of literal phrases per language, e.g. ``group``, ``harm_verb``) and *patterns* grouped by
kind, each a regular expression over the text that names slots in braces:

    "{i_will} {harm_verb} {person_object}"     # "I'll hurt you", "je vais te frapper"

In a pattern, ``{name}`` is the slot's phrases (longest first; a space inside a phrase matches any
run of spaces or hyphens, an apostrophe is optional), a space is one short run of separators that
stays inside the clause (no ``.!?;`` or line break), ``{gap:N}`` is up to N words, and
``{unnegated}`` means "not right after a word of the ``negation`` slot" ("are not lazy"). Every
pattern is matched on whole words, case- and accent-insensitively, on a copy of the text folded
character by character, so offsets are those of the field's text.

Each match is a ``Cue`` with the clause it sits in (the evidence a moderator sees) and three
facts about its context that the rules weigh: ``negated`` (a negator among the few words just
before it in its clause: "we must never route callers by accent"), ``reported`` (inside quotation
marks, or after a reporting phrase earlier in its sentence: "a caller said he'd come to the
office") and ``countered`` (a counter-speech phrase in its sentence or the next: "that would be
discrimination"). ``worker/rules/_cue_rule.py`` turns a post's cues into one hit.
Patterns are bounded (no repeat over a repeat of the same characters), and every regex runs
with the check's timeout.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import regex

from worker.checks import PerLanguage, PerLanguageCache
from worker.errors import ConfigurationError
from worker.text import fold_in_place

SlotLists = dict[str, PerLanguage]
"""slot name -> language -> phrases (TOML: ``[slots.group] en = [...]``)."""
PatternLists = dict[str, PerLanguage]
"""kind -> language -> patterns (TOML: ``[patterns.violence] en = [...]``)."""

_SLOT = regex.compile(r"\{([a-z_]+)(?::(\d{1,2}))?\}")
_SEPARATOR = r"[^\w.!?;\n]{1,6}"  # a short run of spaces/punctuation that stays in the clause
_TIGHT_SEPARATOR = r"[^\w.!?;,:\n]{1,6}"  # the same, without crossing a comma
_QUOTED = regex.compile(
    r"\"[^\"\n]{1,500}\"|“[^”\n]{1,500}”|«[^»\n]{1,500}»|(?<!\w)['‘][^'’\n]{1,300}['’](?!\w)"
)
_SENTENCE_END = frozenset(".!?\n")
_CLAUSE_END = frozenset(".!?\n;:,()")
_NEGATION_WINDOW = 3  # words looked at before a cue for a negator
# a negation does not reach over these into the cue's part of the sentence ("ce n'est pas nécessaire si vous ...")
_SCOPE_BREAKS = frozenset({"if", "when", "because", "but", "unless", "si", "quand", "lorsque", "parce", "mais", "car"})
_CONTEXT_CHARS = 400  # how far back a sentence is searched for a reporting or counter-speech phrase
_WORD = regex.compile(r"\w+")
_MAX_CUES = 500  # a post repeating one phrase thousands of times says nothing more after these


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    start: int
    end: int
    clause_start: int
    clause_end: int
    sentence: int
    """Index of its sentence in the field (cues of neighbouring sentences can be combined)."""
    negated: bool
    reported: bool
    countered: bool

    @property
    def counts(self) -> bool:
        """Said by the author as their own, not negated, not argued against."""
        return not (self.negated or self.reported or self.countered)


def _phrase_regex(phrases: list[str]) -> str:
    """The phrases as one alternation factored into a trie (one attempt per position, not one per phrase)."""
    trie: dict = {}
    for phrase in phrases:
        words = [w for w in regex.split(r"[\s\-]+", fold_in_place(phrase.strip(), base="decomposed")) if w]
        if not words:
            continue
        node = trie
        for char in " ".join(words):
            node = node.setdefault(char, {})
        node[""] = {}
    return _render(trie) if trie else "(?!)"


def _render(node: dict) -> str:
    branches = []
    for char in sorted(c for c in node if c):
        if char == " ":
            head = r"[\s\-]+"
        elif char == "'":
            head = r"(?:'|\s)?"  # "I'll", "I ll", "Ill"
        else:
            head = regex.escape(char)
        branches.append(head + _render(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class _Compiled:
    """One language's patterns, each compiled alone with the slots it needs.

    Most posts contain no phrase of most slots: a pattern whose slots cannot all be satisfied by
    the post's words is never run (a set lookup instead of a scan of the text).
    """

    def __init__(self, slots: Mapping[str, list[str]], patterns: Mapping[str, list[str]]) -> None:
        slot_regex = {name: f"(?:{_phrase_regex(phrases)})" for name, phrases in slots.items()
                      if any(p.strip() for p in phrases)}
        # each phrase as the words it needs (with an apostrophe, either way: "i'll" -> {i, ll} or {ill}),
        # indexed by one of those words
        self.needs_by_word: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for name, phrases in slots.items():
            for phrase in phrases:
                folded = fold_in_place(phrase, base="decomposed")
                for needs in {frozenset(_WORD.findall(folded)), frozenset(_WORD.findall(folded.replace("'", "")))}:
                    if needs:
                        self.needs_by_word.setdefault(min(needs), []).append((name, needs))
        unnegated = _negation_lookbehind(slots.get("negation", []))
        # the patterns of one kind that need the same slots are joined: one compile and one scan for them all
        grouped: dict[tuple[str, frozenset[str]], list[str]] = {}
        for kind, templates in patterns.items():
            for template in templates:
                source = _expand(template, slot_regex, unnegated)
                needed = frozenset(name for name, _ in _SLOT.findall(_without_negative_looks(template))) - {"gap", "unnegated"}
                grouped.setdefault((kind, needed), []).append(source)
        # the text is folded to lower case before matching, so patterns are compiled case-sensitive
        # (IGNORECASE makes compiling these tries many times slower)
        self.patterns: list[tuple[str, regex.Pattern, frozenset[str]]] = []
        for (kind, needed), sources in grouped.items():
            source = "(?<!\\w)(?:" + "|".join(f"(?:{source})" for source in sources) + ")(?!\\w)"
            try:
                self.patterns.append((kind, regex.compile(source), needed))
            except regex.error as error:
                raise ConfigurationError(f"a pattern of kind {kind!r} does not compile: {error}") from None

    def runnable(self, folded: str, timeout: float) -> list[tuple[str, regex.Pattern]]:
        words = set(_WORD.findall(folded, timeout=timeout))
        satisfied = set()
        for word in words:
            for slot, needs in self.needs_by_word.get(word, ()):
                if slot not in satisfied and needs <= words:
                    satisfied.add(slot)
        return [(kind, pattern) for kind, pattern, needed in self.patterns if needed <= satisfied]


class _Union:
    """For a post in no language of the lists: every language's patterns, each compiled once."""

    def __init__(self, parts: list[_Compiled]) -> None:
        self._parts = parts

    def runnable(self, folded: str, timeout: float) -> list[tuple[str, regex.Pattern]]:
        return [found for part in self._parts for found in part.runnable(folded, timeout)]


_Built = tuple[_Compiled | _Union, frozenset[str], regex.Pattern | None, regex.Pattern | None]
"""A language's patterns, folded negators, reporting and counter-speech phrases."""


def _without_negative_looks(template: str) -> str:
    """The template without its (?!...) and (?<!...) parts: slots named there are not needed to match."""
    out, i = [], 0
    while i < len(template):
        if template.startswith("(?!", i) or template.startswith("(?<!", i):
            depth = 0
            while i < len(template):
                if template[i] == "\\":
                    i += 2
                    continue
                depth += {"(": 1, ")": -1}.get(template[i], 0)
                i += 1
                if depth == 0:
                    break
            continue
        out.append(template[i])
        i += 1
    return "".join(out)


def _negation_lookbehind(negations: list[str]) -> str:
    """Not right after a negation, one word apart at most ("are not lazy", "aren't lazy", "ne sont pas fiables")."""
    words = sorted({fold_in_place(n.strip(), base="decomposed") for n in negations if n.strip()}, key=len, reverse=True)
    if not words:
        return ""
    # "n't" is the end of a word ("aren't"); the others are words of their own
    alternatives = "|".join(regex.escape(w) if w.startswith("n'") else rf"(?<!\w){regex.escape(w)}" for w in words)
    # the negation's reach stops at a comma ("ne parlent pas français, raccrochez-leur")
    return rf"(?<!(?:{alternatives}){_TIGHT_SEPARATOR}(?:\w+{_TIGHT_SEPARATOR})?)"


def _expand(template: str, slot_regex: Mapping[str, str], negation_lookbehind: str) -> str:
    if any(char.isupper() for char in regex.sub(r"\\[A-Za-z]", "", template)):
        raise ConfigurationError(f"pattern {template!r}: write patterns in lower case (the text is folded before matching)")
    def replace(match: regex.Match) -> str:
        name, count = match.group(1), match.group(2)
        if name == "gap":
            return rf"(?:\w+{_SEPARATOR}){{0,{int(count or 3)}}}"
        if name == "unnegated":
            return negation_lookbehind
        if name not in slot_regex:
            raise ConfigurationError(f"pattern {template!r} names the slot {{{name}}}, which has no phrases")
        return slot_regex[name]

    # a literal space is a short separator run; "{gap:2}" is up to two words, each with the separator after it
    return _SLOT.sub(replace, template.replace(" ", "\x00")).replace("\x00", _SEPARATOR)


class CueFinder:
    """Finds a rule's cues in one field's text, per language (every language's lists when unknown)."""

    def __init__(self, slots: SlotLists, patterns: PatternLists, negators: PerLanguage, reporting: PerLanguage,
                 counter: PerLanguage, regex_timeout: float) -> None:
        self._slots, self._patterns = slots, patterns
        self._negators, self._reporting, self._counter = negators, reporting, counter
        self._timeout = regex_timeout
        self._per_language = PerLanguageCache()

    def validate(self) -> None:
        """Compile every language now, so a bad pattern fails at start, not on the first post."""
        for language in [*self._languages, None]:
            self._for(language)

    @property
    def _languages(self) -> list[str]:
        return sorted({lang for lists in self._patterns.values() for lang in lists})

    def _for(self, language: str | None) -> _Built:
        if language not in self._languages:
            language = None  # unknown, or a language without lists: all of them
        return self._per_language.get(language, self._build)

    def _build(self, language: str | None) -> _Built:
        def pick(lists: PerLanguage) -> list[str]:
            if language in lists:
                return lists[language]
            return [phrase for phrases in lists.values() for phrase in phrases]

        if language is None:
            compiled: _Compiled | _Union = _Union([self._for(lang)[0] for lang in self._languages])
        else:
            compiled = _Compiled({name: pick(lists) for name, lists in self._slots.items()},
                                 {kind: pick(lists) for kind, lists in self._patterns.items()})
        negators = frozenset(fold_in_place(w, base="decomposed") for w in pick(self._negators))

        def phrases(lists: PerLanguage) -> regex.Pattern | None:
            chosen = [p for p in pick(lists) if p.strip()]
            if not chosen:
                return None
            return regex.compile(f"(?<!\\w)(?:{_phrase_regex(chosen)})(?!\\w)")

        return (compiled, negators, phrases(self._reporting), phrases(self._counter))

    def cues(self, text: str, language: str | None) -> list[Cue]:
        compiled, negators, reporting, counter = self._for(language)
        folded = fold_in_place(text, base="decomposed")
        matches = []
        for kind, pattern in compiled.runnable(folded, self._timeout):
            for match in pattern.finditer(folded, overlapped=True, timeout=self._timeout):
                matches.append((kind, match))
                if len(matches) >= _MAX_CUES:
                    break
        matches.sort(key=lambda found: found[1].start())
        if not matches:
            return []
        quotes = [m.span() for m in _QUOTED.finditer(text, timeout=self._timeout)]
        quote_starts = [q_start for q_start, _ in quotes]
        sentence_starts = _sentence_starts(text)
        cues: list[Cue] = []
        taken: set[tuple[str, int]] = set()
        for kind, match in matches[:_MAX_CUES]:
            start, end = match.span()
            if (kind, start) in taken or end == start:
                continue
            taken.add((kind, start))
            sentence = _index_before(sentence_starts, start)
            sentence_start = max(sentence_starts[sentence], start - _CONTEXT_CHARS)
            clause_start, clause_end = _clause(text, start, end)
            before = folded[clause_start:start]
            words_before = _WORD.findall(before, timeout=self._timeout)[-2 * _NEGATION_WINDOW:]
            breaks = [i for i, word in enumerate(words_before) if word in _SCOPE_BREAKS]
            words_before = words_before[breaks[-1] + 1 if breaks else 0 :][-_NEGATION_WINDOW:]
            negated = any(word in negators for word in words_before) or before.rstrip().endswith("n't")
            quote = _index_before(quote_starts, start)
            in_quotes = quote >= 0 and end <= quotes[quote][1]
            said_before = bool(reporting and reporting.search(folded, sentence_start, start, timeout=self._timeout))
            # counter-speech often follows in the next sentence ("Women can't handle it? Nonsense.")
            sentence_end = _sentence_end(text, min(len(text), _sentence_end(text, end) + 1))
            countered = bool(counter and counter.search(folded, sentence_start, sentence_end, timeout=self._timeout))
            cues.append(Cue(kind, start, end, clause_start, clause_end, sentence, negated,
                            in_quotes or said_before, countered))
        return cues


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for i, char in enumerate(text):
        if char in _SENTENCE_END and (char != "." or text[i + 1 : i + 2] in ("", " ", "\n", "\t")):
            starts.append(i + 1)
    return starts


def _index_before(starts: list[int], position: int) -> int:
    return bisect_right(starts, position) - 1


def _sentence_end(text: str, end: int) -> int:
    limit = min(len(text), end + _CONTEXT_CHARS)
    for i in range(end, limit):
        if text[i] in _SENTENCE_END and (text[i] != "." or text[i + 1 : i + 2] in ("", " ", "\n", "\t")):
            return i
    return limit


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): up to the nearest punctuation on each side (at most 200 characters out)."""
    left = start
    while left > 0 and start - left < 200 and text[left - 1] not in _CLAUSE_END:
        left -= 1
    right = end
    while right < len(text) and right - end < 200 and text[right] not in _CLAUSE_END:
        right += 1
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


def clause_spans(cues: list[Cue]) -> Iterator[tuple[int, int]]:
    """The clauses of the cues, overlapping ones joined, in order."""
    merged: list[list[int]] = []
    for start, end in sorted({(c.clause_start, c.clause_end) for c in cues}):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        yield start, end
