"""Word frequencies (wordfreq) that tell a shortened spelling from a word, for sms_language.

Textese is mostly a common word with letters left out: vowels dropped ("wrkd", "unknwn",
"bettr"), a final "g" dropped ("comin", "deletin"), French silent endings dropped ("depui",
"tro", "nou", "jamai", "faisai"). A lexicon can never list them all; a frequency list can
recognise them: the token is rare, and restoring the letters gives a word that is far more
common. wordfreq ships its lists in the wheel (offline); the "small" lists (words with a
frequency of at least one per million, ~30,000 per language, 0.2 s and ~15 MB) are read once
per process; the large lists would cost 4 s and 66 MB per worker.

Frequencies are Zipf values (log10 of occurrences per billion words): ~7 for "the"/"pas",
~3 for a word seen once per million. A word missing from the small list is below 3: it may be
a rare word ("jeton", "cached") as well as textese, so it is given ``unlisted_zipf`` (a rare
word's frequency) and only a much more common full word counts against it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from wordfreq import get_frequency_dict

_VOWELS = frozenset("aeiouyàâäéèêëîïôöûùüœæ")


@dataclass(frozen=True, slots=True)
class Ending:
    """A shortened ending and the full one it stands for: "in>ing", ">s", "é>ais"."""

    short: str
    full: str

    @classmethod
    def parse(cls, text: str) -> Ending:
        short, _, full = text.partition(">")
        return cls(short, full)


@cache
def _zipf_table(language: str) -> dict[str, float]:
    return {word: round(math.log10(frequency) + 9, 2)
            for word, frequency in get_frequency_dict(language, wordlist="small").items()}


@cache
def _skeletons(language: str, min_zipf: float) -> dict[str, str]:
    """Consonant skeleton -> the most frequent word (at least min_zipf) with that skeleton."""
    table = _zipf_table(language)
    best: dict[str, str] = {}
    for word, zipf in table.items():
        if zipf < min_zipf or not word.isalpha():
            continue
        skeleton = consonants(word)
        if skeleton and (skeleton not in best or table[best[skeleton]] < zipf):
            best[skeleton] = word
    return best


def consonants(word: str) -> str:
    return "".join(ch for ch in word if ch not in _VOWELS)


def _is_vowel_drop(token: str, word: str) -> bool:
    """Whether token is word with some vowels left out (and nothing else changed)."""
    letters = iter(word)
    for ch in token:
        for candidate in letters:
            if candidate == ch:
                break
            if candidate not in _VOWELS:
                return False
        else:
            return False
    return all(rest in _VOWELS for rest in letters)


class ShortenedSpelling:
    """Finds the common word a rare token shortens, in the given languages (None: not shortened)."""

    def __init__(self, languages: tuple[str, ...], endings: tuple[Ending, ...], *, min_gap: float,
                 max_token_zipf: float, min_word_zipf: float, min_letters: int, unlisted_zipf: float,
                 max_vowel_share: float) -> None:
        self._tables = [_zipf_table(language) for language in languages]
        self._skeletons = [_skeletons(language, min_word_zipf) for language in languages]
        self._endings = endings
        self._min_gap = min_gap
        self._max_token_zipf = max_token_zipf
        self._min_letters = min_letters
        self._unlisted_zipf = unlisted_zipf
        self._max_vowel_share = max_vowel_share

    @classmethod
    def for_language(cls, language: str) -> ShortenedSpelling:
        """Only the frequencies of one language (for zipf lookups)."""
        return cls((language,), (), min_gap=0, max_token_zipf=0, min_word_zipf=7, min_letters=99,
                   unlisted_zipf=0, max_vowel_share=0)

    def zipf(self, word: str) -> float:
        return max((table.get(word, 0.0) for table in self._tables), default=0.0)

    def full_word(self, token: str) -> str | None:
        """The word token shortens, for a lower-case alphabetic token; None when it is a word itself."""
        if not self._tables:
            return None
        listed_zipf = self.zipf(token)
        token_zipf = listed_zipf or self._unlisted_zipf
        if token_zipf > self._max_token_zipf:
            return None
        for ending in self._endings:
            if token.endswith(ending.short) and len(token) > len(ending.short):
                word = token[:len(token) - len(ending.short)] + ending.full
                if self.zipf(word) - token_zipf >= self._min_gap:
                    return word
        # dropped vowels: only for tokens no list knows (a listed word with the same consonants,
        # "pint"/"point", is a word of its own) that have almost no vowels left ("wrkd", "bettr";
        # not the rare word "cached" read as "coached")
        if listed_zipf > 0 or len(token) < self._min_letters \
                or sum(ch in _VOWELS for ch in token) > self._max_vowel_share * len(token):
            return None
        skeleton = consonants(token)
        for skeletons in self._skeletons:
            word = skeletons.get(skeleton)
            if word is not None and len(word) > len(token) and _is_vowel_drop(token, word) \
                    and self.zipf(word) - token_zipf >= self._min_gap:
                return word
        return None
