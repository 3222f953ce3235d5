"""Presidio pattern recognizers for the personal_data classifier (one class per entity).

Every pattern and word list comes from config/checks/personal_data.toml. Each recognizer is a
Presidio ``PatternRecognizer`` (so Presidio runs the patterns with its regex timeout and calls
the ``validate_result`` / ``invalidate_result`` hooks); ``CuedRecognizer`` adds what Presidio's
own context enhancer cannot do without an NLP pipeline: it looks for cue words in a character
window around each match (so it works on the no-NLP engine) and drops numbers that a reference
word ("ticket", "commande", "version") introduces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import regex
import tldextract
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

# Presidio compiles patterns with IGNORECASE by default; names and street words need case
CASED = regex.DOTALL | regex.MULTILINE


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so "rd." wins over "rd"."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


def cue_regex(words: Iterable[str]) -> regex.Pattern[str]:
    # word-ish boundaries: cues such as "n°" or "tél" end in non-\w characters
    return regex.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)", regex.IGNORECASE)


class CuedRecognizer(PatternRecognizer):
    """A pattern recognizer whose score rises with a nearby cue and which ignores references.

    Subclasses are named Modscreen*: Presidio's predefined-recognizer loader finds classes by
    name among EntityRecognizer subclasses, so an "EmailRecognizer" here would shadow its own.
    """

    def __init__(self, entity: str, patterns: list[Pattern], *, cues: Sequence[str], references: Sequence[str],
                 boost: float, before: int, after: int, ref_window: int, timeout: float,
                 flags: int = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE) -> None:
        super().__init__(supported_entity=entity, name=f"modscreen_{entity.lower()}", supported_language="en",
                         patterns=patterns, context=list(cues), global_regex_flags=flags)
        self._cues = cue_regex(cues)
        self._references = cue_regex(references) if references else None
        self._boost, self._before, self._after, self._ref_window = boost, before, after, ref_window
        self._timeout = timeout

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            window = text[max(0, result.start - self._before): result.start] + " " + text[result.end: result.end + self._after]
            cued = self._cues.search(window, timeout=self._timeout) is not None
            if not cued and self._is_reference(text, result.start):
                continue
            if cued:
                result.score = min(1.0, result.score + self._boost)
            kept.append(result)
        return kept

    def _is_reference(self, text: str, start: int) -> bool:
        if self._references is None:
            return False
        # "ticket 123456", "commande n° 2024-11-0042", "#45821": the reference word ends just before
        before = text[max(0, start - self._ref_window): start]
        if before.rstrip().endswith("#"):
            return True
        last = None
        for last in self._references.finditer(before, timeout=self._timeout):
            pass
        return last is not None and regex.fullmatch(r"[\s#:.°n-]{0,8}", before[last.end():], timeout=self._timeout) is not None


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


class ModscreenEmailRecognizer(CuedRecognizer):
    def __init__(self, *args: object, extractor: tldextract.TLDExtract, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._extractor = extractor

    def validate_result(self, pattern_text: str) -> bool:
        # "name@host" without a public suffix is a log token or a placeholder, not a mailbox
        return self._extractor(pattern_text.rsplit("@", 1)[1]).suffix != ""


_DATE = regex.compile(r"(?:19|20)\d{2}[ ./-]\d{1,2}[ ./-]\d{1,4}|\d{1,2}[ ./-]\d{1,2}[ ./-](?:19|20)\d{2}")
_IP = regex.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_SSN = regex.compile(r"\d{3}-\d{2}-\d{4}")  # the US SSN layout is no phone layout


class ModscreenPhoneRecognizer(CuedRecognizer):
    def invalidate_result(self, pattern_text: str) -> bool:
        count = len(digits(pattern_text.split("x")[0].split("ext")[0]))
        if not 7 <= count <= 15:
            return True
        if _DATE.fullmatch(pattern_text) or _IP.fullmatch(pattern_text) or _SSN.fullmatch(pattern_text):
            return True
        # version numbers have one-digit groups ("12.4.1.2055"); dotted phones use 2+ digit groups
        groups = regex.split(r"[ .-]", pattern_text)
        return "." in pattern_text and any(len(g) == 1 for g in groups)


class ModscreenCreditCardRecognizer(CuedRecognizer):
    def invalidate_result(self, pattern_text: str) -> bool:
        number = digits(pattern_text)
        return len(set(number)) == 1 or not luhn(number)


def luhn(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class ModscreenIbanRecognizer(CuedRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        compact = pattern_text.replace(" ", "").upper()
        if not 15 <= len(compact) <= 34:
            return False
        rearranged = compact[4:] + compact[:4]
        return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


class ModscreenNirRecognizer(CuedRecognizer):
    """French social security number: 13 characters then a key of 97 - (number mod 97)."""

    def validate_result(self, pattern_text: str) -> bool:
        compact = regex.sub(r"[ .]", "", pattern_text).upper()
        body, key = compact[:13], compact[13:]
        # Corsica: department 2A / 2B count as 19 / 18 in the key computation
        body = body.replace("2A", "19", 1) if body[5:7] == "2A" else body.replace("2B", "18", 1) if body[5:7] == "2B" else body
        return body.isdigit() and key.isdigit() and 97 - int(body) % 97 == int(key)


class ModscreenAddressRecognizer(CuedRecognizer):
    """Street addresses; a match at the end of a line takes the short lines that follow (Apt, city, country)."""

    # a following line: one blank line and a quote prefix ("> ", "??? ") allowed, short, no label
    _BLOCK_LINE = regex.compile(r"\n(?:[ \t]*\n)?[ \t>?]*([^\n@:>?]{2,45}?)[ \t]*(?=\n|$)")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            lines = 0
            for _ in range(4):
                line = self._BLOCK_LINE.match(text, result.end, timeout=self._timeout)
                if line is None or len(digits(line.group(1))) > 6 or line.group(1).rstrip().endswith((".", "?", "!")):
                    break
                result.end, lines = line.end(1), lines + 1
            if lines >= 2:  # street, then unit / town / country lines: the shape of a postal address
                result.score = min(1.0, result.score + self._boost)
        return results


def street_patterns(settings: dict[str, list[str]], scores: dict[str, float]) -> list[Pattern]:
    """Address patterns assembled from the street-word lists (case-sensitive name words)."""
    word = r"\p{Lu}(?:[\p{L}'’-]{0,30}|\.)"  # a name word or an initial; never swallows a full stop
    number = r"\d{1,5}[A-Za-z]?(?:[ ]?(?:bis|ter))?"
    particles = rf"(?:(?i:{alternation(settings['particles'])})[ \t]?)"
    prefix = rf"(?i:{alternation(settings['prefixes'])})"
    suffix = rf"(?i:{alternation(settings['suffixes'])})"
    compound = rf"\p{{L}}{{1,30}}(?i:{alternation(settings['compound_suffixes'])})"
    unit = rf"(?i:{alternation(settings['units'])})"
    box = rf"(?i:{alternation(settings['po_boxes'])})"
    # what may follow a street on the same line: ", Apt. 4", ", 75002 Paris", " NW1 6XE"
    tail = rf"(?:(?:,[ \t]*|[ \t]+)(?:{unit}[ \t]?\d{{1,5}}|\d{{4,6}}|\d{{2}}-\d{{3}}|[A-Z]{{1,2}}\d[A-Z\d]?[ ]\d[A-Z]{{2}}|{word})){{0,6}}"
    strong, weak = scores["address_street"], scores["address_weak"]
    return [
        Pattern("street_number_first", rf"(?<![\w.,-]){number},?[ \t]+{prefix}[ \t]+{particles}{{0,3}}{word}(?:[ \t-]+{word}){{0,3}}{tail}", strong),
        Pattern("street_suffix", rf"(?<![\w.,-]){number},?(?:[ \t]+{word}){{1,4}}[ \t]+{suffix}(?!\w){tail}", strong),
        Pattern("street_name_first", rf"(?<![\w.,-])(?:\d{{1,5}}[ \t]+)?{prefix}[ \t]+{particles}{{0,3}}{word}(?:[ \t]+{word}){{0,3}}[ \t]+\d{{1,5}}[a-zA-Z]?(?!\w){tail}", strong),
        Pattern("street_compound", rf"(?<![\w.,-])(?:\d{{1,5}}[ \t]+)?\p{{Lu}}{compound}[ \t]+\d{{1,5}}[a-zA-Z]?(?!\w){tail}", strong),
        Pattern("street_number_name_number", rf"(?<![\w.,-])\d{{1,5}}(?:[ \t]+{word}){{1,3}}[ \t]+\d{{1,4}}\.?(?![\w-]){tail}", weak),
        Pattern("unit", rf"(?<!\w){unit}[ \t]?\d{{1,5}}(?!\w){tail}", weak),
        Pattern("po_box", rf"(?<!\w){box}[ \t]?\d{{2,6}}(?:,?[ \t]+(?i:box)[ \t]?\d{{2,6}})?(?!\w){tail}", scores["address_po_box"]),
    ]


def person_patterns(cues: Sequence[str], not_names: Sequence[str], scores: dict[str, float]) -> list[Pattern]:
    """Full names (two to four capitalised words) after a name cue, or alone on a line."""
    stop = rf"(?!(?i:{alternation(not_names)})(?![\p{{L}}]))"
    given = rf"{stop}\p{{Lu}}[\p{{Ll}}'’-]{{1,30}}"
    rest = rf"(?:[ \t]+{stop}(?:\p{{Lu}}\.?(?=[ \t])|\p{{Lu}}[\p{{Ll}}'’-]{{1,30}})){{1,3}}"
    name = rf"{given}(?:-\p{{Lu}}[\p{{Ll}}]{{1,20}})?{rest}"
    return [
        Pattern("person_after_cue", rf"(?<=(?i:{alternation(cues)})[,:]?[ \t]{{1,8}}){name}(?![\p{{L}}])", scores["person_cue"]),
        Pattern("person_signature", rf"^[ \t>?]*{name}[ \t]*,?[ \t]*$", scores["person_signature"]),
    ]
