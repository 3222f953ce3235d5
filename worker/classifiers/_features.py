"""The featurizer shared by every text classifier: one vectorisation per batch, reused by all.

Stateless feature hashing (nothing to persist or trust), built for speed on forum posts:

* Tokens are runs of word characters (and runs of ``! ? $ £ € %``), found with their offsets in the
  screened text so a model's evidence can point back at them. URLs, e-mail addresses and
  @mentions are skipped: they identify, they do not insult or hate.
* Each token is normalised once and cached: case-folded, accents stripped (French tweets are
  often written without them), runs of 3+ identical letters cut to 2 ("stuuupid"), digits
  turned into ``0`` (a ticket "#45821" and a phone number keep only their shape), and a few
  textese forms expanded ("u r dense" reads as "you are dense").
* Features: word unigrams and bigrams in one hashed block, ``char_wb`` 2-5-grams of each word
  (padded with spaces, as scikit-learn's ``char_wb`` does) in a second one. Values are raw
  counts; every model applies its own IDF and scaling on top.

The char n-grams of a word are hashed once per process and cached, which makes this several
times faster than ``HashingVectorizer`` (most of whose cost is the Python n-gram loop); the
output of the last few batches is cached too, so three checks on one batch vectorise it once.

Anything that changes the features of a text changes ``FEATURES_VERSION``: models record the
version they were trained with and refuse to load against another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from worker.text import strip_accents

FEATURES_VERSION = "1"
WORD_FEATURES = 2**18
CHAR_FEATURES = 2**19
N_FEATURES = WORD_FEATURES + CHAR_FEATURES
CHAR_NGRAMS = (2, 3, 4, 5)

# Part of the feature definition (a model is trained on it), hence code, not check data:
# changing it means retraining, which FEATURES_VERSION enforces.
_TEXTESE = {
    "u": ("you",), "r": ("are",), "ur": ("your",), "yr": ("your",), "ya": ("you",), "yu": ("you",),
    "ppl": ("people",), "pls": ("please",), "plz": ("please",), "cuz": ("because",), "coz": ("because",),
    "thx": ("thanks",), "b4": ("before",), "n00b": ("noob",), "stfu": ("shut", "up"), "gtfo": ("get", "out"),
}
_SKIPPED = regex.compile(
    r"(?i)(?:[a-z][a-z0-9+.-]{1,15}://|www\.)[^\s<>\"'`]{1,2048}"  # URLs
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}"  # e-mail addresses
    r"|(?<!\w)@\w{1,50}"  # @mentions
)
_TOKEN = regex.compile(r"#\d{1,12}(?!\w)|\w+|[!?$£€%]+")
_REPEATS = regex.compile(r"(.)\1{2,}")
_MAX_WORD = 40  # longer "words" are noise; bound their n-gram cost
_WORD_CACHE_SIZE = 300_000
_BATCH_CACHE_SIZE = 4
_BIGRAM_PRIME = 1_000_003


Token = tuple[str, int, int, tuple[str, ...]]
"""One token of a document: its field ("title" / "body"), [start, end) in that field's text, its
normalised word(s). A plain tuple: building an object per token would cost more than the rest."""


@dataclass(frozen=True, slots=True)
class Features:
    """A batch's feature matrix (raw counts, one row per document) and each document's tokens."""

    matrix: sp.csr_matrix
    tokens: tuple[tuple[Token, ...], ...]
    token_features: tuple[tuple[np.ndarray, ...], ...]
    """For each document, for each token, the feature columns that token contributes (word + chars)."""


@dataclass(frozen=True, slots=True)
class _Word:
    words: tuple[str, ...]
    unigrams: tuple[int, ...]
    columns: np.ndarray  # unigram columns + char n-gram columns of every expanded word


_words: dict[str, _Word] = {}
_batches: OrderedDict[tuple[tuple[str, str], ...], Features] = OrderedDict()
_lock = threading.Lock()


def featurize(fields: Sequence[tuple[str, str]]) -> Features:
    """Features of a batch of documents, each given as (title text, body text). Cached per batch."""
    key = tuple(fields)
    with _lock:
        cached = _batches.get(key)
        if cached is not None:
            _batches.move_to_end(key)
            return cached
    features = _featurize(key)
    with _lock:
        _batches[key] = features
        while len(_batches) > _BATCH_CACHE_SIZE:
            _batches.popitem(last=False)
    return features


def featurize_texts(texts: Sequence[str]) -> sp.csr_matrix:
    """Feature matrix of plain texts (training and evaluation: the text is the body, no title)."""
    return featurize([("", text) for text in texts]).matrix


def _featurize(docs: tuple[tuple[str, str], ...]) -> Features:
    if len(_words) > _WORD_CACHE_SIZE:  # bound memory on a long-running worker
        _words.clear()
    unigrams: list[int] = []  # every unigram hash of the batch in order, -1 between fields
    unigram_rows: list[int] = []
    doc_columns: list[np.ndarray] = []
    all_tokens = []
    all_columns = []
    for row, (title, body) in enumerate(docs):
        tokens: list[Token] = []
        columns: list[np.ndarray] = []
        for field, text in (("title", title), ("body", body)):
            for start, end, entry in _tokens(text):
                tokens.append((field, start, end, entry.words))
                columns.append(entry.columns)
                unigrams.extend(entry.unigrams)
            unigrams.append(-1)
            unigram_rows.extend([row] * (len(unigrams) - len(unigram_rows)))
        doc_columns.append(np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64))
        all_tokens.append(tuple(tokens))
        all_columns.append(tuple(columns))
    matrix = _matrix(len(docs), np.asarray(unigrams, dtype=np.int64), np.asarray(unigram_rows, dtype=np.int64), doc_columns)
    return Features(matrix, tuple(all_tokens), tuple(all_columns))


def _matrix(n_docs: int, unigrams: np.ndarray, rows: np.ndarray, doc_columns: list[np.ndarray]) -> sp.csr_matrix:
    # a token's own columns (unigram + char n-grams) come cached with it; bigrams are hashed
    # here, vectorised over the batch, from consecutive unigrams of one field (-1 separates fields)
    pair = (unigrams[:-1] >= 0) & (unigrams[1:] >= 0)
    bigrams = (unigrams[:-1][pair] * _BIGRAM_PRIME + unigrams[1:][pair]) % WORD_FEATURES
    lengths = np.fromiter((len(c) for c in doc_columns), dtype=np.int64, count=len(doc_columns))
    columns = np.concatenate([bigrams, *doc_columns])
    all_rows = np.concatenate([rows[:-1][pair], np.repeat(np.arange(n_docs, dtype=np.int64), lengths)])
    matrix = sp.csr_matrix((np.ones(len(columns), dtype=np.float32), (all_rows, columns)), shape=(n_docs, N_FEATURES))
    matrix.sum_duplicates()
    return matrix


def _tokens(text: str) -> list[tuple[int, int, _Word]]:
    """(start, end, cached entry) of every token of one field's text, skipping URLs and handles."""
    if not text:
        return []
    # the skip pattern is the slow part: run it only when the text can hold a match
    maybe_skipped = "@" in text or "://" in text or "ww." in text or "WW." in text
    skipped = [m.span() for m in _SKIPPED.finditer(text)] if maybe_skipped else []
    found = []
    next_skip = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if skipped:
            while next_skip < len(skipped) and skipped[next_skip][1] <= start:
                next_skip += 1
            if next_skip < len(skipped) and skipped[next_skip][0] < end:
                continue
        raw = match.group()
        entry = _words.get(raw)
        if entry is None:
            entry = _words[raw] = _entry(raw)
        if entry.words:
            found.append((start, end, entry))
    return found


def _entry(raw: str) -> _Word:
    if raw[0] == "#":  # "#45821" is a ticket or issue number: one shape, never a phone number or a prize code
        return _Word(("#0",), (murmurhash3_32("#0", positive=True),), _columns(("#0",)))
    word = strip_accents(raw, case="casefold", compatibility=True)
    word = _REPEATS.sub(r"\1\1", word)[:_MAX_WORD]
    word = "".join("0" if ch.isdigit() else ch for ch in word)
    if word and word[0] in "!?$£€%":
        word = word[:3]
    words = _TEXTESE.get(word, (word,) if word else ())
    return _Word(words, tuple(murmurhash3_32(w, positive=True) for w in words), _columns(words))


def _columns(words: tuple[str, ...]) -> np.ndarray:
    columns = [murmurhash3_32(w, positive=True) % WORD_FEATURES for w in words]
    for w in words:
        padded = f" {w} "
        for n in CHAR_NGRAMS:
            columns.extend(
                WORD_FEATURES + murmurhash3_32(padded[i : i + n], positive=True) % CHAR_FEATURES
                for i in range(len(padded) - n + 1)
            )
    return np.asarray(columns, dtype=np.int64)
