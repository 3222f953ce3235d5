"""The text toolkit the checks share: folding, ranges, sentences and content words (not a check itself).

Folding makes two spellings of a word compare equal ("Problème", "PROBLEME", "probleme"). The
checks fold in two ways, and each way's details are kept exactly as the checks were tuned on them:

* ``strip_accents`` returns a new string, possibly of another length: for comparing words and
  phrases. Its options say what else it does (case, compatibility forms such as "ﬁ" -> "fi", which
  marks go, apostrophes); ``fold`` is the setting the question, topic and lexicon rules compare
  words with.
* ``fold_in_place`` maps each character to exactly one character, so an offset found in the folded
  text is the same offset in the text: for rules whose matches become evidence. Its ``base`` option
  says how an accented character is reduced.

``position_inside`` says whether a position falls in one of a set of sorted ranges (links, code
set aside). ``sentences`` splits text as the question rules do;
``content_stems`` turns text into comparable content words (folded, stopwords dropped, a plural
"s"/"x" cut, then a 5-character prefix as light stemming), which is what question_in_existing_topic
and off_topic compare with a topic title.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Literal

import regex

Case = Literal["keep", "lower", "casefold"]
Marks = Literal["combining", "nonspacing"]
Base = Literal["unaccented", "decomposed"]

# A sentence ends at . ! ? followed by a space, a line end or the end: "status.contactflow.example?",
# "/v2/calls?from=..." and "v4.2.1" stay inside their sentence. Possessive runs never backtrack.
_SENTENCE = regex.compile(r"(?:[^.!?\n]++|[.!?]++(?=[^\s.!?]))++(?:[.!?]+|\n|$)|[.!?]+")
_WORD = regex.compile(r"\w+")
_NONSPACING_MARKS = regex.compile(r"\p{Mn}+")
_STEM_LENGTH = 5
_MAX_REMEMBERED_CHARACTERS = 8192


def strip_accents(
    text: str, *, case: Case, compatibility: bool, marks: Marks = "combining", apostrophes: bool = False
) -> str:
    """`text` without accents, in this order: case, apostrophes, decomposition, marks dropped.

    * ``case``: "keep", "lower" (``str.lower``) or "casefold" (``str.casefold``: "ß" -> "ss").
    * ``apostrophes``: the curly apostrophe "’" becomes "'".
    * ``compatibility``: decompose with NFKD ("ﬁ" -> "fi", "²" -> "2", full-width letters to
      ASCII) rather than NFD (canonical: only accented letters come apart).
    * ``marks``: drop the characters with a combining class ("combining": accents) or of Unicode
      category Mn ("nonspacing": accents, and also the vowel signs of Indic scripts).

    ASCII text (after case and apostrophes) is returned as it is: neither decomposition changes it.
    """
    if case == "lower":
        text = text.lower()
    elif case == "casefold":
        text = text.casefold()
    if apostrophes:
        text = text.replace("’", "'")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD" if compatibility else "NFD", text)
    if marks == "nonspacing":
        return _NONSPACING_MARKS.sub("", decomposed)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """How words are compared (stopwords, topic words, phrase lists): "Même problème’s" -> "meme probleme's"."""
    return strip_accents(text, case="lower", compatibility=True, marks="nonspacing", apostrophes=True)


def fold_in_place(text: str, *, base: Base) -> str:
    """Lower case without accents, one character for one ("Élise’s" -> "elise's"): offsets survive.

    ``base`` says how a non-ASCII character is reduced:

    * "unaccented" (the offensive-category rules): the character is lowered (when its lower case is
      one character), and loses its accents when it decomposes into a letter and combining marks
      only; anything else stays whole (a Hangul syllable, "ﬁ"). "’", "‘", "´" and, in text that is
      not all ASCII, "`" become "'".
    * "decomposed" (the cue rules): the character becomes the first character of its canonical
      decomposition, lowered when that is one character ("İ" -> "i", a Hangul syllable -> its first
      jamo). "’" and "‘" become "'".

    All-ASCII text is lowered, in both.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_UNACCENTED if base == "unaccented" else _DECOMPOSED)


class _CharacterFolds(dict[int, str]):
    """Code point -> its folded character, filled as characters are met (``str.translate`` reads it).

    Bounded: a post made of thousands of distinct characters empties it rather than growing it.
    """

    def __init__(self, fold_char: Callable[[str], str]) -> None:
        super().__init__()
        self._fold_char = fold_char

    def __missing__(self, code: int) -> str:
        if len(self) >= _MAX_REMEMBERED_CHARACTERS:
            self.clear()
        folded = self[code] = self._fold_char(chr(code))
        return folded


def _unaccented(char: str) -> str:
    if char in "’‘`´":
        return "'"
    lowered = char.lower()
    if len(lowered) != 1:
        lowered = char
    decomposed = unicodedata.normalize("NFD", lowered)
    if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
        return decomposed[0]
    return lowered


def _decomposed(char: str) -> str:
    if char.isascii():
        return char.lower()
    if char in "’‘":
        return "'"
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


_UNACCENTED = _CharacterFolds(_unaccented)
_DECOMPOSED = _CharacterFolds(_decomposed)


def position_inside(ranges: Sequence[tuple[int, int]], starts: Sequence[int], position: int) -> bool:
    """Whether `position` is in one of `ranges`, sorted and not overlapping; `starts` are their starts."""
    index = bisect_right(starts, position) - 1
    return index >= 0 and ranges[index][0] <= position < ranges[index][1]


def sentences(text: str, timeout: float) -> Iterator[tuple[int, int]]:
    """[start, end) of each sentence of text (how the question rules split it)."""
    for match in list(_SENTENCE.finditer(text, timeout=timeout)):
        yield match.span()


def stopword_set(stopwords: Mapping[str, Sequence[str]], language: str | None) -> frozenset[str]:
    """The folded stopwords of the language, or of every language when it is unknown."""
    lists = [stopwords.get(language, [])] if language in stopwords else list(stopwords.values())
    return frozenset(fold(word) for words in lists for word in words)


def content_stems(text: str, stopwords: Iterable[str], timeout: float) -> set[str]:
    """Light stems of the content words of text (see the module docstring)."""
    stop = stopwords if isinstance(stopwords, frozenset | set) else frozenset(stopwords)
    stems = set()
    for word in _WORD.findall(fold(text).replace("'", " "), timeout=timeout):
        if word in stop or len(word) < 2:
            continue
        stems.add(stem(word))
    return stems


def stem(word: str) -> str:
    """A plural "s"/"x" removed, then the first five characters ("calls" and "call" agree)."""
    if len(word) > 3 and word[-1] in "sx" and not word.isdigit():
        word = word[:-1]
    return word[:_STEM_LENGTH]
