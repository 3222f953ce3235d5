"""unclear_title: the title of an opening post should say what the post is about.

Codes and scores (how clearly the title fails to name its subject):
- ``unclear_title.missing`` 1.0: an opening post without a title, or with a blank one.
- ``unclear_title.punctuation_only`` 1.0: no word at all ("???", "!!!", emoji only).
- ``unclear_title.vague`` 0.9: only vague phrases and function words ("Help!", "Urgent - please
  help", "Problème", "Besoin d'aide SVP").
- ``unclear_title.too_short`` 0.6 + 0.3 × (missing words / ``min_meaningful_words``): fewer
  meaningful words than required once vague phrases and function words are removed
  ("Login problem": 1 of 2, 0.75; "Why?": 0 of 2, 0.9).
- ``unclear_title.all_caps`` 0.7: written in capitals (at least ``all_caps_min_letters``
  letters, product acronyms and words with digits left out). It may come with one of the above.

Why: members browse and search by title; "Help" says nothing, and a clear title gets a faster
answer. Replies inherit the topic's title, so only opening posts are checked. Vague phrases,
function words and acronyms are data per language in ``config/checks/unclear_title.toml``;
both languages' lists apply to every title, since a few words are too few to detect a language
and the title's language may differ from the body's. Matching ignores case and accents.

Evidence: the title (no span when the title is missing).

Example: title "URGENT HELP!!!" gives ``unclear_title.vague`` and ``unclear_title.all_caps``;
"SIP 503 on outbound calls" and "Export CSV des appels vide" give nothing.

Known false positives: terse but specific titles made of one product word ("Softphone?"),
product names missing from the acronym list written in capitals, titles in other languages
whose vague words are not listed (which are under-flagged rather than over-flagged).
"""

from __future__ import annotations

from collections.abc import Iterator

import regex
from pydantic import Field

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.document import Document
from worker.text import strip_accents
from worker.types import Hit, Span

_WORD = regex.compile(r"\w+")

_MESSAGES = {
    "unclear_title.missing": "The post has no title; add one that names the feature and the problem, "
    "e.g. \"SIP 503 on outbound calls\".",
    "unclear_title.punctuation_only": "The title has no words; write one that names the feature and the problem, "
    "e.g. \"SIP 503 on outbound calls\".",
    "unclear_title.vague": "The title does not say what the post is about; name the feature and the problem "
    "instead, e.g. \"CSV export of calls is empty\".",
    "unclear_title.too_short": "The title is too short to say what the post is about; add the feature and the "
    "problem, e.g. \"CSV export of calls is empty\".",
    "unclear_title.all_caps": "The title is written in capitals; write it in normal case.",
}
_SCORES = {
    "unclear_title.missing": 1.0,
    "unclear_title.punctuation_only": 1.0,
    "unclear_title.vague": 0.9,
    "unclear_title.all_caps": 0.7,
}
_SHORT_BASE, _SHORT_RANGE = 0.6, 0.3


class Settings(CheckSettings):
    vague: PerLanguage
    function_words: PerLanguage = {}
    acronyms: list[str] = []
    min_meaningful_words: int = Field(default=2, ge=1, le=20)
    all_caps_min_letters: int = Field(default=6, ge=1)


@register
class UnclearTitle(Check[Settings]):
    name = "unclear_title"
    category = "unclear_title"
    version = "1.0.0"
    codes = frozenset(_MESSAGES)

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._vague = {self._words(p) for phrases in settings.vague.values() for p in phrases} - {()}
        self._longest = max((len(phrase) for phrase in self._vague), default=0)
        self._function = {w for words in settings.function_words.values() for w in words for w in self._words(w)}
        self._acronyms = frozenset(acronym.upper() for acronym in settings.acronyms)

    def applies_to(self, doc: Document) -> bool:
        return not doc.is_reply

    def check(self, doc: Document) -> Iterator[Hit]:
        text = doc.title.text if doc.title is not None else ""
        if not text.strip():
            yield Hit("unclear_title.missing", _SCORES["unclear_title.missing"], _MESSAGES["unclear_title.missing"])
            return
        leading = len(text) - len(text.lstrip())
        spans = (Span("title", leading, len(text.rstrip())),)
        words = self._words(text)
        if not words:
            yield self._hit("unclear_title.punctuation_only", spans)
            return
        meaningful, vague_found = self._meaningful(words)
        wanted = self.settings.min_meaningful_words
        if not meaningful and vague_found:
            yield self._hit("unclear_title.vague", spans)
        elif len(meaningful) < wanted:
            score = _SHORT_BASE + _SHORT_RANGE * (wanted - len(meaningful)) / wanted
            yield Hit("unclear_title.too_short", round(score, 4), _MESSAGES["unclear_title.too_short"], spans)
        if self._all_caps(text):
            yield self._hit("unclear_title.all_caps", spans)

    def _hit(self, code: str, spans: tuple[Span, ...]) -> Hit:
        return Hit(code, _SCORES[code], _MESSAGES[code], spans)

    def _words(self, text: str) -> tuple[str, ...]:
        # accents dropped so "Probleme" and "PROBLÈME" match "problème"
        folded = strip_accents(text, case="casefold", compatibility=True)
        return tuple(_WORD.findall(folded, timeout=self.regex_timeout))

    def _meaningful(self, words: tuple[str, ...]) -> tuple[list[str], bool]:
        """The words left once vague phrases (longest first) and function words are taken out."""
        meaningful, vague_found, index = [], False, 0
        while index < len(words):
            for length in range(min(self._longest, len(words) - index), 0, -1):
                if words[index : index + length] in self._vague:
                    vague_found, index = True, index + length
                    break
            else:
                word = words[index]
                if word not in self._function and not (len(word) == 1 and word.isalpha()):
                    meaningful.append(word)
                index += 1
        return meaningful, vague_found

    def _all_caps(self, text: str) -> bool:
        letters = 0
        for word in _WORD.findall(text, timeout=self.regex_timeout):
            if word.upper() in self._acronyms or any(ch.isdigit() for ch in word):
                continue  # "SIP", "E503": written in capitals on purpose
            if any(ch.islower() for ch in word):
                return False
            letters += sum(ch.isalpha() for ch in word)
        return letters >= self.settings.all_caps_min_letters
