"""censored_swearing: swear words disguised so that a word list misses them.

Members censor or disguise their own swearing ("f***ing", "s**t", "sh!tshow", "a**", "m€rde",
"b0rdel", "put@in", "c*l") or drop a letter ("fcking"); the terms of use forbid it all the same.
The profanity check matches better_profanity's one-character variants; this rule adds masks that
hide several letters, symbols and digits as letters, and the stem's suffixes ("f***ing",
"sh!tty", "sh!tshow").

Code ``offensive.censored_swearing`` (score from config/checks/censored_swearing.toml, 0.9): a
token that spells a listed stem (+ a listed suffix) with at least one letter written out and at
least one letter masked (``masks``: "*", "#", "@", "$", "!"...) or replaced by a look-alike symbol
or digit ("3" for "e", "€" for "e", "0" for "o"); stems of at most ``short_stem`` letters need a
symbol mask ("a**", "c*l": "A55" is a phone model). Plus ``misspellings`` ("fcking", "fvck"),
whole words. Stems of every language are matched in every post. Evidence: each disguised word.

Hard negatives: "Galaxy A55", "C0N-42" (digits only on a short stem), "**bold**" in a text post,
"@assistance" (a handle), "h3llo", prices ("$5"), a plain "shit" (the profanity check's job).
Known limits: a mask standing for two letters ("f*k"), words split by spaces ("f u c k": the
profanity check), swearing in quotes is reported (a moderator decides).
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


class Settings(CheckSettings):
    score: float = Field(0.9, ge=0.0, le=1.0)
    masks: list[str] = []
    lookalikes: dict[str, list[str]] = {}
    short_stem: int = Field(3, ge=1, le=10)
    stems: PerLanguage = {}
    suffixes: list[str] = [""]
    misspellings: PerLanguage = {}


@register
class CensoredSwearing(Check[Settings]):
    name = "censored_swearing"
    category = "offensive"
    version = "1.0.0"
    codes = frozenset({"offensive.censored_swearing"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        masks = "".join(settings.masks)
        self._symbols = frozenset(masks) | {c for alikes in settings.lookalikes.values() for c in alikes if not c.isalpha()}
        self._mask_symbols = frozenset(masks)
        boundary = regex.escape(masks + "€")
        folded_stems = {fold_in_place(s, base="unaccented") for words in settings.stems.values() for s in words}
        stems = sorted(folded_stems, key=len, reverse=True)
        self._short = {stem for stem in stems if len(stem) <= settings.short_stem}
        suffixes = "|".join(regex.escape(s) for s in sorted(set(settings.suffixes), key=len, reverse=True) if s)
        alternatives = []
        for stem in stems:
            letters = "".join(self._letter(char, masks, settings.lookalikes) for char in stem)
            alternatives.append(f"(?P<s{len(alternatives)}>{letters})")
        self._stem_names = stems
        self._pattern = regex.compile(
            rf"(?<![\w{boundary}])(?:{'|'.join(alternatives) or '(?!)'})(?:{suffixes or '(?!)'})?(?![\w{boundary}])"
        )
        self._token = regex.compile(rf"[\w{boundary}!|+(]{{2,40}}")
        misspelt = [m for words in settings.misspellings.values() for m in words]
        self._misspelt = regex.compile(rf"(?<![\w{boundary}]){_abuse.alternation(misspelt)}(?![\w{boundary}])")

    @staticmethod
    def _letter(char: str, masks: str, lookalikes: dict[str, list[str]]) -> str:
        options = [regex.escape(c) for c in sorted(set(masks) | set(lookalikes.get(char, [])))]
        return f"(?:{regex.escape(char)}|{'|'.join(options)})" if options else regex.escape(char)

    def check(self, doc: Document) -> Iterable[Hit]:
        spans: list[Span] = []
        for field_name, field in (("title", doc.title), ("body", doc.body)):
            if field is not None and field.text:
                spans += [Span(field_name, start, end) for start, end in self._find(field.text)]
        if not spans:
            return []
        return [Hit(
            code="offensive.censored_swearing",
            score=self.settings.score,
            message="The post contains swearing, even if disguised (\"f***\", \"m€rde\"); "
            "please rephrase it in courteous, professional language.",
            spans=tuple(spans[:_MAX_SPANS]),
            details=(("words", str(len(spans))),),
        )]

    def _find(self, text: str) -> list[tuple[int, int]]:
        folded = fold_in_place(text, base="unaccented")
        found = [m.span() for m in self._misspelt.finditer(folded, timeout=self.regex_timeout)]
        # the stem pattern is costly: run it only on tokens that mix letters with symbols or digits
        for token in self._token.finditer(folded, timeout=self.regex_timeout):
            word = token.group()
            if word.isalpha() or not any("a" <= char <= "z" for char in word) or not any(c in self._symbols for c in word):
                continue
            for match in self._pattern.finditer(folded, token.start(), token.end(), timeout=self.regex_timeout):
                if self._disguised(match):
                    found.append(match.span())
        return sorted(set(found))

    def _disguised(self, match: regex.Match[str]) -> bool:
        stem_group = next(name for name, value in match.groupdict().items() if value is not None)
        stem = self._stem_names[int(stem_group[1:])]
        written = match.group(stem_group)
        if not any(char.isalpha() and char.isascii() for char in written):
            return False  # all masks: "****" could be anything
        hidden = [char for char in written if char in self._symbols]
        if not hidden:
            return False
        if stem in self._short:
            return any(char in self._mask_symbols for char in hidden)
        return True
