"""sms_language: posts should be written in standard language, not textese.

Code ``sms_language.textese``. Flags abbreviations, phonetic spellings and letter/digit
homophones of SMS language ("plz", "u", "thx", "gr8", "2day"; "slt", "stp", "jsp", "mdr", "g",
"2m1"), consonant skeletons ("pblm", "msg", "bjr") and stretched words (a letter repeated 3+
times: "pleaaaase", "merciiii"), from the lexicons of config/checks/sms_language.toml for
``doc.language`` (both languages' lists when it is None; only stretched words for a language
without lists). Why: textese makes a help-center answer hard to read and to search.

Shortened spellings no lexicon lists are found with word frequencies (wordfreq, see
``_word_frequency.py``): a rare lower-case token that becomes a far more common word once an
ending is restored ("comin" -> "coming", "depui" -> "depuis", "faisai" -> "faisait") or, for a
token no frequency list knows, once dropped vowels are restored ("wrkd" -> "worked"). A token
with an apostrophe is judged by its word ("wat's", "j'avé"). Posts of at most
``short_post_words`` words are also read with the other language's lexicon (detection is unsure
on a one-line reply), less its entries that are common words in the detected language ("dis",
"c"). A post whose only textese is a courtesy ("svp", "stp") is not flagged.

Score (density, not presence): with n textese tokens among w word tokens,
``(1 - (1 - token_weight)^n) * (0.5 + 0.5 * min(1, (n / w) / full_share))`` with the defaults
token_weight = 0.4 and full_share = 0.25. One token alone can never reach 0.5 (at most 0.4),
so one isolated "u" in a long formal post scores about 0.2; "plz u help me asap thx" (3 of 6)
scores 0.78. Evidence: one span per textese token (body and title).

Not textese (hard negatives): product and protocol acronyms from the config list (IVR, SIP...)
and any ALL-CAPS token of 1-2 letters ("PR", "C"); an ALL-CAPS token of 3+ letters counts only
when it is in a lexicon ("LOL", "MDR"); camelCase names; identifiers (letters mixed with digits:
v2, x64, ID4521, SIP-503, hex) unless listed or shaped like a homophone; numbers with units
("5ms", "10 s", "2 mm"); tokens with ".", "/", ":", "@" or "_" (files, URLs, e-mails); @mentions
and #hashtags; links; code and quotes (set aside by the markup reader). "svp" (a polite,
standard abbreviation) counts only when its sentence has no formal marker: "Pouvez-vous
m'aider svp ?" is fine, "aide moi svp jsp koi faire" is textese.

Example: "slt g 1 pb avec l'IVR, tu peux m'aider stp ? merci bcp" flags slt, g, pb, stp, bcp.

Known false positives: one-letter or two-letter words that are also ordinary tokens in some
context ("c" for the C language written in lower case, "cc" for carbon copy, "k" as a variable
name in prose, "r" for the R language); a capitalised sentence-initial "U"/"C" is missed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace

import regex

from worker.checks import Check, CheckSettings, PerLanguage, register
from worker.document import Document
from worker.markup import FieldText
from worker.rules._word_frequency import Ending, ShortenedSpelling
from worker.text import fold, position_inside
from worker.types import Hit, Span

# A token: letters/digits, optionally joined by one inner separator at a time (so "c'est",
# "SIP-503", "v2.3" and "a@b.c" stay whole), plus a trailing "+" ("a+"). Bounded repeats, each
# separator a single character that a letter cannot be: no catastrophic backtracking. A trailing
# "/" before a space stays too ("w/ jabra").
_TOKEN = regex.compile(r"(?<![\p{L}\p{N}])[\p{L}\p{N}]{1,100}(?:[-'’_.@/:][\p{L}\p{N}]{1,100}){0,20}(?:\+{1,2}|/(?=\s))?")
_STRETCHED = regex.compile(r"(\p{Ll})\1{2,}")
_HOMOPHONE = regex.compile(r"^(?:(?P<lead>\d)\p{Ll}{3,12}|\p{Ll}{2,6}(?P<tail>8)\p{Ll}{0,3})$")
_WORD = regex.compile(r"\w+")
_IDENTIFIER_CHARS = frozenset(".:/@_")
_SENTENCE_END = frozenset(".!?\n")


@dataclass(frozen=True, slots=True)
class _Lists:
    """The word lists that apply to one document language."""

    lexicon: frozenset[str]
    polite: frozenset[str]
    markers: frozenset[str]
    digits: frozenset[str]
    stretchable: frozenset[str]
    clitics: frozenset[str]
    elisions: frozenset[str]
    spelling: ShortenedSpelling


class Settings(CheckSettings):
    textese: PerLanguage
    dropped_vowels: PerLanguage = {}
    acronyms: list[str] = []
    units: list[str] = []
    polite_abbreviations: PerLanguage = {}
    polite_markers: PerLanguage = {}
    homophone_digits: PerLanguage = {}
    stretchable_short: PerLanguage = {}
    stretched_min_letters: int = 4
    spelling_languages: list[str] = []
    spelling_endings: PerLanguage = {}
    spelling_min_gap: float = 1.8
    spelling_max_token_zipf: float = 4.3
    spelling_min_word_zipf: float = 3.5
    spelling_min_letters: int = 4
    spelling_unlisted_zipf: float = 2.5
    spelling_max_vowel_share: float = 0.25
    not_shortened: list[str] = []
    short_post_words: int = 12
    foreign_word_zipf: float = 4.0
    clitics: PerLanguage = {}
    elisions: PerLanguage = {}
    token_weight: float = 0.4
    full_share: float = 0.25


@register
class SmsLanguage(Check[Settings]):
    name = "sms_language"
    category = "sms_language"
    version = "1.1.0"
    codes = frozenset({"sms_language.textese"})

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._acronyms = frozenset(word.lower() for word in settings.acronyms)
        self._units = frozenset(word.lower() for word in settings.units)
        self._not_shortened = frozenset(word.lower() for word in settings.not_shortened)
        self._token_verdicts: dict[tuple[str, int, bool], bool] = {}

    def check(self, doc: Document) -> Iterator[Hit]:
        # detection is unsure on a one-line reply in textese ("mrc bcp, ca marche mtn" reads as
        # English): short posts are also read with the other languages' lexicons
        short = self._is_short(doc.body.text)
        lists = self._short_lists_for(doc.language) if short else self._lists_for(doc.language)
        spans: list[Span] = []
        words = polite = 0
        for field in (doc.body, doc.title):
            if field is not None:
                found, counted, courtesies = self._scan(field, lists)
                spans.extend(found)
                words += counted
                polite += courtesies
        if len(spans) == polite:
            return  # a courtesy ("merci de regarder stp") alone is not a textese post
        n = len(spans)
        share = n / max(words, n)
        score = (1 - (1 - self.settings.token_weight) ** n) * (0.5 + 0.5 * min(1.0, share / self.settings.full_share))
        yield Hit(
            code="sms_language.textese",
            score=round(min(1.0, score), 4),
            message=f"The post uses SMS-style abbreviations ({n} found); write the words out in full "
            "so that everyone can read and search it.",
            spans=tuple(spans),
        )

    def load(self) -> None:
        """The frequency lists (~0.2 s per language) now, not while the first post waits."""
        for language in (None, *self.settings.spelling_languages):
            self._lists_for(language)
            self._short_lists_for(language)

    def _is_short(self, text: str) -> bool:
        limit, words = self.settings.short_post_words, 0
        for word in text[:40 * limit].split():  # words with letters; a long post is known long early
            words += any(ch.isalpha() for ch in word)
            if words > limit:
                return False
        return True

    def _lists_for(self, language: str | None) -> _Lists:
        return self.per_language(language, self._build_lists)

    def _short_lists_for(self, language: str | None) -> _Lists:
        return self.per_language(language, self._build_short_lists)

    def _build_lists(self, language: str | None) -> _Lists:
        settings = self.settings

        def pick(lists: PerLanguage) -> frozenset[str]:
            # unknown language: every list; a language we have no lexicon for: none
            chosen = lists.values() if language is None else [lists.get(language, [])]
            return frozenset(fold(word) if lists is settings.polite_markers else word.lower()
                             for words in chosen for word in words)

        return _Lists(
            lexicon=pick(settings.textese) | pick(settings.dropped_vowels),
            polite=pick(settings.polite_abbreviations),
            markers=pick(settings.polite_markers),
            digits=pick(settings.homophone_digits),
            stretchable=pick(settings.stretchable_short),
            clitics=pick(settings.clitics),
            elisions=pick(settings.elisions),
            spelling=self._spelling_for(language),
        )

    def _build_short_lists(self, language: str | None) -> _Lists:
        """Every language's lists, less the other languages' entries that are common words in
        the detected one ("dis" is English textese and a French verb; "c" an English letter)."""
        every = self._lists_for(None)
        own = self._lists_for(language)
        if language not in self.settings.spelling_languages:
            return every  # no frequencies to tell: all the lists
        words = ShortenedSpelling.for_language(language)
        foreign = {word for word in every.lexicon - own.lexicon
                   if words.zipf(word) < self.settings.foreign_word_zipf}
        return replace(every, lexicon=own.lexicon | foreign, spelling=own.spelling)

    def _spelling_for(self, language: str | None) -> ShortenedSpelling:
        settings = self.settings
        languages = tuple(settings.spelling_languages) if language is None else \
            tuple(code for code in settings.spelling_languages if code == language)
        endings = tuple(Ending.parse(text) for code in languages for text in settings.spelling_endings.get(code, []))
        return ShortenedSpelling(languages, endings, min_gap=settings.spelling_min_gap,
                                 max_token_zipf=settings.spelling_max_token_zipf,
                                 min_word_zipf=settings.spelling_min_word_zipf,
                                 min_letters=settings.spelling_min_letters,
                                 unlisted_zipf=settings.spelling_unlisted_zipf,
                                 max_vowel_share=settings.spelling_max_vowel_share)

    def _scan(self, field: FieldText, lists: _Lists) -> tuple[list[Span], int, int]:
        text = field.text
        links = sorted(field.to_text(link.start, link.end) for link in field.links)
        link_starts = [start for start, _ in links]
        boundaries: list[int] | None = None
        spans: list[Span] = []
        words = polite = 0
        previous_was_number = False
        for match in list(_TOKEN.finditer(text, timeout=self.regex_timeout)):
            start, end = match.span()
            token = match.group(0)
            after_number, previous_was_number = previous_was_number, token.isdigit()
            if token.isdigit():
                continue
            if position_inside(links, link_starts, start) or (start > 0 and text[start - 1] in "@#"):
                continue
            words += any(ch.isalpha() for ch in token)
            if not self._is_textese(token, lists, after_number):
                continue
            if token.lower() in lists.polite:
                if boundaries is None:  # computed once per field, only when needed
                    boundaries = [i for i, ch in enumerate(text) if ch in _SENTENCE_END]
                if _sentence_words(text, boundaries, start, end, self.regex_timeout) & lists.markers:
                    continue
                polite += 1
            spans.append(Span(field.name, start, end))
        return spans, words, polite

    def _is_textese(self, token: str, lists: _Lists, after_number: bool) -> bool:
        # tokens repeat across posts (Zipf): remember each verdict, per lexicon, in a bounded cache
        key = (token, id(lists), after_number)
        known = self._token_verdicts.get(key)
        if known is None:
            if len(self._token_verdicts) > 200_000:
                self._token_verdicts.clear()
            known = self._token_verdicts[key] = self._judge_token(token, lists, after_number)
        return known

    def _judge_token(self, token: str, lists: _Lists, after_number: bool) -> bool:
        lower = token.lower()
        if lower.endswith("/"):
            return lower in lists.lexicon  # "w/" (with) is textese; any other "x/" is not a word
        if lower in self._acronyms or any(ch in _IDENTIFIER_CHARS for ch in token):
            return False
        head, apostrophe, tail = lower.replace("’", "'").partition("'")
        if apostrophe and "'" not in tail:
            # "wat's" is "wat" + a clitic; "j'avé" is an elided pronoun + "avé"
            if tail in lists.clitics and head.isalpha():
                return self._judge_token(token[:len(head)], lists, after_number)
            if head in lists.elisions and tail.isalpha():
                return self._judge_token(token[len(head) + 1:], lists, False)
            return False
        if token.isupper():
            # acronyms are written in capitals; only long lexicon entries ("LOL", "MDR") shout textese
            return len(token) >= 3 and lower in lists.lexicon
        if any(ch.isupper() for ch in token[1:]) or (len(token) == 1 and token.isupper()):
            return False  # camelCase product names, single capital letters ("option C")
        if lower in lists.lexicon:
            return not (after_number and lower in self._units)
        if any(ch.isdigit() for ch in token):
            return self._is_homophone(lower, lists.digits)
        if token == lower and lower.isalpha() and lower not in self._not_shortened \
                and lists.spelling.full_word(lower) is not None:
            return True  # a common word with letters left out ("wrkd", "comin", "depui")
        if not lower.isalpha() or not _STRETCHED.search(lower, timeout=self.regex_timeout):
            return False
        # "ahhh", "awww", "hiii" are interjections, "xxx"/"www" placeholders: only a stretched word
        # of 4+ letters once collapsed ("pleaaase" -> "please") or a listed short word ("sooo") counts
        collapsed = _STRETCHED.sub(r"\1", lower, timeout=self.regex_timeout)
        return len(collapsed) >= self.settings.stretched_min_letters or collapsed in lists.stretchable

    def _is_homophone(self, lower: str, digits: frozenset[str]) -> bool:
        if not digits or lower.lstrip("0123456789") in self._units:
            return False
        shape = _HOMOPHONE.match(lower, timeout=self.regex_timeout)
        return shape is not None and (shape.group("lead") or shape.group("tail")) in digits


def _sentence_words(text: str, boundaries: list[int], start: int, end: int, timeout: float) -> set[str]:
    i = bisect_left(boundaries, start)
    left = boundaries[i - 1] + 1 if i > 0 else 0
    j = bisect_left(boundaries, end)
    right = boundaries[j] if j < len(boundaries) else len(text)
    return set(_WORD.findall(fold(text[left:right]), timeout=timeout))
