"""langdetect's n-gram profiles scored deterministically and fast (private helper of `language`).

langdetect 1.0.9 normalises each character in Python, then runs 7 random trials of naive Bayes
over n-grams drawn at random until one language passes 0.99999: ~4 ms per post, and the answer
depends on the seed. This helper keeps langdetect's data and features (its 1-3-gram
frequencies per language, its character normalisation, its rule that skips n-grams inside
upper-case words) but:

* loads only the profiles asked for, so every n-gram carries a short vector;
* normalises with one ``str.translate`` (langdetect's own ``NGram.normalize``, memoised per
  character);
* scores *every* n-gram of the (capped) text once instead of random draws: the sum of
  ``log(alpha / 10000 + p(n-gram | language))`` (langdetect's smoothing, alpha fixed at its
  default 0.5), gathered from a precomputed matrix with numpy. No randomness, so the same text
  always gives the same answer, in any process.

Probabilities are ``prior * exp(min(n, scale) * mean log-likelihood)`` normalised, over the n
known n-grams: the mean keeps a long text from looking infinitely certain (n-grams overlap and
are far from independent) and ``min(n, scale)`` keeps a three-letter text from looking certain.
They are a confidence, not a calibrated posterior.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path

import numpy as np
import regex

_ALPHA = 0.5
_BASE_FREQ = 10_000
# langdetect's own URL and e-mail patterns (bounded repeats), removed before detection
_URL_OR_MAIL = regex.compile(
    r"https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}|[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}"
)

_LONGEST = 4_096  # longest normalised text sliced at once; longer texts are cut to this
_TABLE_LIMIT = 20_000
_DROP_LATIN = {code: " " for code in range(ord("A"), ord("z") + 1)}


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None
    """Profile name of the most likely language (e.g. "en", "zh-cn"), None without any feature."""
    probabilities: dict[str, float]
    letters: int
    """Letters in the text that was scored, a measure of how much evidence there was."""


class _NormaliseTable(dict):
    """str.translate table that asks langdetect how to normalise each character once."""

    def __init__(self, normalise) -> None:
        super().__init__()
        self._normalise = normalise

    def __missing__(self, code: int) -> str:
        value = self._normalise(chr(code))
        if len(self) < _TABLE_LIMIT:  # a post of rare characters must not grow it without bound
            self[code] = value
        return value


class NgramLanguageIdentifier:
    def __init__(
        self,
        profiles_directory: Path,
        languages: Sequence[str],
        *,
        priors: Sequence[float],
        scale: float,
        max_chars: int,
        regex_timeout: float,
    ) -> None:
        from langdetect.utils.ngram import NGram

        self.languages = tuple(languages)
        self.scale = scale
        self.max_chars = max_chars
        self._prior = np.asarray(priors, dtype=np.float64)
        self.regex_timeout = regex_timeout
        self._table = _NormaliseTable(NGram.normalize)
        vocabulary: dict[str, int] = {}
        rows: list[list[float]] = [[0.0] * len(self.languages)]  # row 0: n-grams no profile knows
        for column, language in enumerate(self.languages):
            profile = json.loads((profiles_directory / language).read_text(encoding="utf-8"))
            totals = profile["n_words"]
            for gram, count in profile["freq"].items():
                if not 1 <= len(gram) <= 3:
                    continue
                row = vocabulary.setdefault(gram, len(rows))
                if row == len(rows):
                    rows.append([0.0] * len(self.languages))
                rows[row][column] = count / totals[len(gram) - 1]
        floor = _ALPHA / _BASE_FREQ
        # relative to an n-gram unseen in every language, so unknown n-grams simply add nothing
        self._log_odds = np.log1p(np.asarray(rows, dtype=np.float64) / floor)
        self._vocabulary = vocabulary

    def detect(self, text: str) -> Detection:
        """The most likely of the loaded languages for the first `max_chars` characters of `text`."""
        text = text[: self.max_chars]
        if "@" in text or "http" in text:
            text = _URL_OR_MAIL.sub(" ", text, timeout=self.regex_timeout)
        normalised = " ".join(text.translate(self._table).split())[: _LONGEST - 2]
        letters = len(normalised) - normalised.count(" ")
        # after normalisation the only ASCII characters left are letters and spaces
        latin = len(normalised.encode("ascii", "ignore")) - normalised.count(" ")
        if latin * 2 < letters - latin:
            # langdetect's cleaning: a text mostly in another script is judged without its Latin words
            normalised = " ".join(normalised.translate(_DROP_LATIN).split())
            letters -= latin
        if not letters:
            return Detection(None, {}, 0)
        rows = np.fromiter(map(self._vocabulary.get, _ngrams(normalised), repeat(0)), dtype=np.intp)
        known = int(np.count_nonzero(rows))  # row 0 stands for every n-gram no profile knows
        if not known:
            return Detection(None, {}, letters)
        average = self._log_odds[rows].sum(axis=0) / known
        # a few n-grams are weak evidence: the weight grows with their number up to `scale`
        weights = self._prior * np.exp(min(known, self.scale) * (average - average.max()))
        probabilities = weights / weights.sum()
        best = int(probabilities.argmax())
        return Detection(
            self.languages[best],
            {language: float(p) for language, p in zip(self.languages, probabilities, strict=True)},
            letters,
        )


def _ngrams(normalised: str) -> list[str]:
    """langdetect's 1-3-grams of each space-padded word, without those ending inside an
    upper-case run (its ``capitalword`` rule: "HTTP" contributes only " H" and "H").

    Words free of upper-case runs are sliced in one go as " w1 w2 ": that also yields the space
    unigram and trigrams such as "1 w" straddling two words, which no profile holds, so they
    count as unknown."""
    words = normalised.split()
    shouting = [w for w in words if not w.islower() and _has_upper_run(w)]
    if shouting:
        words = [w for w in words if w.islower() or not _has_upper_run(w)]
    padded = f" {' '.join(words)} "
    bigrams, trigrams = _slices(2, _LONGEST), _slices(3, _LONGEST)
    grams = [*padded, *map(padded.__getitem__, bigrams[: len(padded) - 1]), *map(padded.__getitem__, trigrams[: len(padded) - 2])]
    for word in shouting:
        padded = f" {word} "
        for i in range(1, len(padded)):
            if padded[i].isupper() and padded[i - 1].isupper():
                continue
            if padded[i] != " ":
                grams.append(padded[i])
            grams.append(padded[i - 1 : i + 1])
            if i >= 2:
                grams.append(padded[i - 2 : i + 1])
    return grams


def _has_upper_run(word: str) -> bool:
    return any(a.isupper() and b.isupper() for a, b in zip(word, word[1:]))


@cache
def _slices(width: int, length: int) -> tuple[slice, ...]:
    """Slices of `width` characters over a string of `length` characters, built once."""
    return tuple(slice(i, i + width) for i in range(length - width + 1))


def profiles_directory() -> Path:
    from langdetect.detector_factory import PROFILES_DIRECTORY

    return Path(PROFILES_DIRECTORY)

