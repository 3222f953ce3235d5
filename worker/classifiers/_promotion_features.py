"""What the promotion model reads beyond the shared features: the links, e-mail addresses and
@handles that the shared featurizer skips on purpose (they identify a person, they do not insult).

For promotion they are the message: "reach out to @crypto_manager_jane", "visit cheap-licences.biz",
"www.getzed.co.uk". Each one becomes a few marker words (``\\x00url``, ``\\x00tld uk``,
``\\x00host cheap``, ``\\x00mention``, ``\\x00handle crypto``, ``\\x00email``), hashed into the shared
word block with the shared hash, so the matrix keeps its shape (``N_FEATURES``) and the other models
are untouched. The leading NUL cannot come out of the shared tokenizer, so a marker never collides
with a real word's feature by construction (only by hash, like any two words).

Cost: one scan for ``@``, ``://`` and ``www.`` per field, and a regex pass only when one is there.
``EXTRA_FEATURES_VERSION`` is recorded in the model's metadata; the check refuses another.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import regex
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from worker.classifiers._features import N_FEATURES, WORD_FEATURES, featurize

EXTRA_FEATURES_VERSION = "1"

_URL = regex.compile(r"(?i)(?:[a-z][a-z0-9+.-]{1,15}://|www\.)(?P<host>[^\s/?#<>\"'`:]{1,253})[^\s<>\"'`]{0,2048}")
_EMAIL = regex.compile(r"[\w.+-]{1,64}@(?P<domain>[\w-]{1,63}(?:\.[\w-]{1,63}){1,8})")
_MENTION = regex.compile(r"(?<![\w.])@(?P<handle>\w{1,50})")
_PIECES = regex.compile(r"[^\W\d_]{2,20}")
_MAX_PIECES = 8  # per item: a handle or host is a few words, bound the cost of a hostile one


def _column(marker: str) -> int:
    return murmurhash3_32("\x00" + marker, positive=True) % WORD_FEATURES


def _markers(text: str) -> list[str]:
    if not ("@" in text or "://" in text or "ww." in text or "WW." in text):
        return []
    found: list[str] = []
    for match in _URL.finditer(text):
        host = match.group("host").lower().removeprefix("www.")
        labels = host.split(".")
        found += ["url", f"tld {labels[-1][:20]}"]
        found += [f"host {piece}" for piece in _PIECES.findall(".".join(labels[:-1]))[:_MAX_PIECES]]
    for match in _EMAIL.finditer(text):
        found += ["email", f"tld {match.group('domain').rsplit('.', 1)[-1].lower()[:20]}"]
    for match in _MENTION.finditer(text):
        found += ["mention"] + [f"handle {piece.lower()}" for piece in _PIECES.findall(match.group("handle"))[:_MAX_PIECES]]
    return found


def extra_matrix(fields: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """Counts of the marker words of each document (title, body), shaped like the shared matrix."""
    rows, columns = [], []
    for row, (title, body) in enumerate(fields):
        for marker in _markers(title) + _markers(body):
            rows.append(row)
            columns.append(_column(marker))
    data = np.ones(len(columns), dtype=np.float32)
    matrix = sp.csr_matrix((data, (rows, columns)), shape=(len(fields), N_FEATURES))
    matrix.sum_duplicates()
    return matrix


def with_extras(shared: sp.csr_matrix, fields: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """The shared feature matrix plus the promotion markers (a new matrix: the shared one is cached)."""
    return (shared + extra_matrix(fields)).tocsr()


def promotion_matrix(fields: Sequence[tuple[str, str]]) -> sp.csr_matrix:
    """The promotion model's input for documents given as (title text, body text): training and benchmarks."""
    return with_extras(featurize(fields).matrix, fields)
