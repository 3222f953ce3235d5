"""Presidio pattern recognizers for the personal_data classifier (one class per entity).

Every pattern and word list comes from config/checks/personal_data.toml (assembled by
worker/classifiers/_pii_patterns.py). Each recognizer is a Presidio ``PatternRecognizer`` whose
``validate_result`` / ``invalidate_result`` hooks hold the checksums; ``CuedRecognizer`` runs the
patterns itself rather than through Presidio's loop, for four reasons:

* **Bounded cost.** Presidio applies its own regex timeout (60 s unless an environment variable
  says otherwise, not the engine's ``regex_timeout``) to ``finditer`` *including* its per-match
  work, and swallows the timeout. Here each pattern's matches are first collected under
  ``timeout=regex_timeout`` chunk by chunk (a timeout propagates: the engine records a failure
  and the post goes to review), at most ``max_candidates`` of them, then validated and scored.
* **Cues without an NLP pipeline.** A cue word in a character window around a match raises its
  score (Presidio's context enhancer needs lemmas, which the no-NLP engine does not produce), and
  numbers introduced by a reference word ("ticket", "commande", "version") are dropped.
* **Dummies.** A value introduced as fictitious ("dummy number", "numéro fictif", "test card")
  is no one's: a dummy cue in the window before a match drops it.
* **Triggers.** A pattern that needs a word of a list ("rue", "Apt") runs only on texts that
  contain one (``triggers``, from worker/classifiers/_pii_patterns.py).
* **``value`` and ``begin`` groups**: the finding is the ``value`` group's span, or starts at ``begin``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import regex
import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from worker.classifiers._pii_patterns import cue_regex, tokens
from worker.errors import WorkCapReached


class CuedRecognizer(PatternRecognizer):
    """A pattern recognizer whose score rises with a nearby cue and which ignores references.

    Subclasses are named Modscreen*: Presidio's predefined-recognizer loader finds classes by
    name among EntityRecognizer subclasses, so an "EmailRecognizer" here would shadow its own.
    """

    def __init__(self, entity: str, patterns: list[Pattern], *, cues: Sequence[str], references: Sequence[str],
                 boost: float, before: int, after: int, ref_window: int, timeout: float, max_candidates: int, chunk: int,
                 triggers: Mapping[str, frozenset[str]] | None = None, dummies: Sequence[str] = (),
                 flags: int = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE) -> None:
        # no Presidio `context`: its lemma enhancer finds nothing on the no-NLP engine and costs a deep copy
        super().__init__(supported_entity=entity, name=f"modscreen_{entity.lower()}", supported_language="en",
                         patterns=patterns, global_regex_flags=flags)
        self._compiled = [(pattern, regex.compile(pattern.regex, flags)) for pattern in patterns]
        self._triggers = dict(triggers or {})  # pattern name -> words one of which the text must contain
        self._cues = cue_regex(cues)
        self._references = cue_regex(references) if references else None
        self._dummies = cue_regex(dummies) if dummies else None
        self._boost, self._before, self._after, self._ref_window = boost, before, after, ref_window
        self._timeout, self._max_candidates, self._chunk = timeout, max_candidates, chunk

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        kept = []
        metadata = {RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}
        words = tokens(text) if self._triggers else set()
        for pattern, compiled in self._compiled:
            if pattern.name in self._triggers and self._triggers[pattern.name].isdisjoint(words):
                continue
            for start, end in self._candidates(compiled, text):
                score = self._score(pattern.score, text[start:end])
                if score <= 0:
                    continue
                window = text[max(0, start - self._before): start] + " " + text[end: end + self._after]
                cued = self._cues.search(window, timeout=self._timeout) is not None
                if not cued and self._is_reference(text, start):
                    continue
                if self._dummies is not None and self._dummies.search(
                        text, max(0, start - self._before), start, timeout=self._timeout) is not None:
                    continue  # "a dummy number (+44 20 7946 0000)", "la carte de test 4111 …"
                kept.append(RecognizerResult(self.supported_entities[0], start, end,
                                             min(1.0, score + self._boost) if cued else score, recognition_metadata=dict(metadata)))
        return EntityRecognizer.remove_duplicates(kept)

    def _candidates(self, compiled: regex.Pattern[str], text: str) -> list[tuple[int, int]]:
        """Spans of every match, collected before any per-match work; WorkCapReached past ``max_candidates``.

        The regex timeout covers a whole ``finditer``, so nothing but collecting happens inside it,
        and each scan covers one chunk of at most ``chunk`` characters cut at a line break or a
        space (patterns stay within a line or two): the timeout bounds a pattern's behaviour, not
        the length of the post. The cap bounds the per-match work (validation, cue and reference
        windows) on dense input: a real post carries a handful of contact details, so a thousand
        candidates of one pattern mean a pasted dump or crafted input. Stopping there is a failure,
        not a partial answer: the post goes to review and its page masks the whole text, instead of
        masking the first matches and showing the others in clear.
        """
        spans: list[tuple[int, int]] = []
        value, begin = "value" in compiled.groupindex, "begin" in compiled.groupindex
        for low, high in chunks(text, self._chunk):
            for match in compiled.finditer(text, low, high, timeout=self._timeout):
                span = match.span("value") if value else (match.start("begin"), match.end()) if begin else match.span()
                if span[1] > span[0]:
                    spans.append(span)
                    if len(spans) > self._max_candidates:
                        raise WorkCapReached(f"{self.supported_entities[0].lower()}: over {self._max_candidates:,} "
                                             "candidates of one pattern in one field; not screened further")
        return spans

    def _score(self, score: float, value: str) -> float:
        """Presidio's hook semantics: a validated match scores 1, an invalid or invalidated one 0."""
        valid = self.validate_result(value)
        if valid is not None:
            score = EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
        return EntityRecognizer.MIN_SCORE if self.invalidate_result(value) else score

    def _is_reference(self, text: str, start: int) -> bool:
        if self._references is None:
            return False
        # "ticket 123456", "commande n° 2024-11-0042", "#45821": the reference word ends just before
        before = text[max(0, start - self._ref_window): start]
        if before.rstrip().endswith("#"):
            return True
        matches = list(self._references.finditer(before, timeout=self._timeout))
        return bool(matches) and regex.fullmatch(r"[\s#:.°n-]{0,8}", before[matches[-1].end():], timeout=self._timeout) is not None


def chunks(text: str, size: int) -> list[tuple[int, int]]:
    """[low, high) pieces of at most ``size`` characters, cut after a line break, else after a space, in their second half."""
    pieces, low = [], 0
    while len(text) - low > size:
        high = low + size
        cut = text.rfind("\n", low + size // 2, high)
        cut = cut if cut != -1 else text.rfind(" ", low + size // 2, high)
        high = cut + 1 if cut != -1 else high
        pieces.append((low, high))
        low = high
    pieces.append((low, len(text)))
    return pieces


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
    _BLOCK_LINE = regex.compile(r"\n(?:[ \t]{0,40}\n)?[ \t>?]{0,8}([^\n@:>?]{2,45}?)[ \t]{0,40}(?=\n|$)")

    def __init__(self, *args: object, lead: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._lead = regex.compile(lead, self.global_regex_flags)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        if not any(ch.isdigit() for ch in text):  # every address pattern needs a number
            return []
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            # a building or unit number just before ("Flat 3, 12 High Street"): leftmost match = longest lead
            lead = self._lead.search(text, max(0, result.start - 32), result.start, timeout=self._timeout)
            result.start = lead.start() if lead is not None else result.start
            lines = 0
            for _ in range(4):
                line = self._BLOCK_LINE.match(text, result.end, timeout=self._timeout)
                if line is None or len(digits(line.group(1))) > 6 or line.group(1).rstrip().endswith((".", "?", "!")):
                    break
                result.end, lines = line.end(1), lines + 1
            if lines >= 2:  # street, then unit / town / country lines: the shape of a postal address
                result.score = min(1.0, result.score + self._boost)
        # overlapping candidates ("Flat 3" and "Flat 3, 12 High Street") describe one address
        merged: list[RecognizerResult] = []
        for result in sorted(results, key=lambda r: (r.start, -r.end)):
            if merged and result.start < merged[-1].end:
                merged[-1].end, merged[-1].score = max(merged[-1].end, result.end), max(merged[-1].score, result.score)
            else:
                merged.append(result)
        return merged
