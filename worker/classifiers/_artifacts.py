"""Saving and loading model artifacts: skops files (no pickle) with a JSON metadata file beside each.

``<name>.skops`` holds the fitted scikit-learn estimator; ``<name>.json`` says what it is: model
version, training data, split and seed, metrics, library versions and the exact command that
rebuilt it. Loading refuses, with a ``ConfigurationError`` naming the fix, when either file is
missing, when the artifact was written by another scikit-learn (estimators are not guaranteed to
behave the same across versions) or for another featurizer, or when it holds a type outside the
trusted list (skops would otherwise have to execute arbitrary constructors).
"""

from __future__ import annotations

import json
import platform
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
import skops
import skops.io

from worker.checks import Check, SettingsT
from worker.classifiers._features import FEATURES_VERSION, N_FEATURES, Features, featurize
from worker.document import Document
from worker.errors import ConfigurationError
from worker.types import Hit, Span

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Every type a shipped artifact may contain: the pipeline (IDF + linear model) and its arrays.
TRUSTED_TYPES = [
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int32",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.linear_model._stochastic_gradient.SGDClassifier",
    "sklearn.pipeline.Pipeline",
]


@dataclass(frozen=True, slots=True)
class Artifact:
    model: Any
    metadata: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.metadata["model_version"])


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def save(name: str, model: Any, metadata: dict[str, Any], directory: Path = ARTIFACTS) -> Path:
    """Write <name>.skops and <name>.json; metadata gains the library and featurizer versions."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.skops"
    # the deflated zip keeps the mostly-constant IDF vector and sparse weights small
    skops.io.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
    if untrusted:
        path.unlink()
        raise ConfigurationError(f"{name}: the model holds types outside TRUSTED_TYPES: {untrusted}")
    full = {
        "model": name,
        **metadata,
        "features_version": FEATURES_VERSION,
        "n_features": N_FEATURES,
        "library_versions": library_versions(),
        "artifact_bytes": path.stat().st_size,
    }
    (directory / f"{name}.json").write_text(json.dumps(full, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path


def read_metadata(name: str, directory: Path = ARTIFACTS) -> dict[str, Any]:
    meta_path = directory / f"{name}.json"
    if not meta_path.exists():
        raise ConfigurationError(f"model metadata {meta_path} is missing: rebuild it with `python -m training {name}`")
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"model metadata {meta_path} is not valid JSON: {error}") from None


def load(name: str, directory: Path = ARTIFACTS) -> Artifact:
    """The artifact <name>, checked against the installed scikit-learn and featurizer."""
    path = directory / f"{name}.skops"
    if not path.exists():
        raise ConfigurationError(f"model artifact {path} is missing: rebuild it with `python -m training {name}`")
    metadata = read_metadata(name, directory)
    recorded = metadata.get("library_versions", {}).get("scikit-learn")
    if recorded != sklearn.__version__:
        raise ConfigurationError(
            f"model {name} was built with scikit-learn {recorded} but {sklearn.__version__} is installed: "
            f"install scikit-learn=={recorded} or rebuild it with `{metadata.get('rebuild_command', 'python -m training ' + name)}`"
        )
    if metadata.get("features_version") != FEATURES_VERSION or metadata.get("n_features") != N_FEATURES:
        raise ConfigurationError(
            f"model {name} was built for featurizer {metadata.get('features_version')} "
            f"({metadata.get('n_features')} features), this code has {FEATURES_VERSION} ({N_FEATURES}): rebuild it"
        )
    try:
        untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
        if untrusted:
            raise ConfigurationError(f"model artifact {path} holds untrusted types {untrusted}: refusing to load it")
        model = skops.io.load(path, trusted=TRUSTED_TYPES)
    except ConfigurationError:
        raise
    except Exception as error:  # a truncated or foreign file: say which, do not crash obscurely
        raise ConfigurationError(f"model artifact {path} cannot be read: {type(error).__name__}: {error}") from None
    return Artifact(model, metadata)


class LinearTextModel:
    """A loaded artifact (IDF + linear model over the shared features), scoring batches with evidence.

    Evidence is the tokens that pushed the score up most: a token's weight is the sum, over the
    features it contributes (its word and char n-grams), of IDF x the bad class's coefficient.
    Per-token weights depend only on the token, so they are cached.
    """

    def __init__(self, artifact: Artifact) -> None:
        self.artifact = artifact
        pipeline = artifact.model
        clf = pipeline.steps[-1][1]
        classes = [int(c) for c in clf.classes_]
        self._bad_column = classes.index(int(artifact.metadata["bad_class"]))
        coef = clf.coef_.toarray() if hasattr(clf.coef_, "toarray") else np.asarray(clf.coef_)
        # a binary model keeps one row of weights, pointing at classes_[1]
        direction = coef[0] * (1.0 if self._bad_column == 1 else -1.0) if coef.shape[0] == 1 else coef[self._bad_column]
        self._column_weight = (direction * pipeline.named_steps["tfidf"].idf_).astype(np.float32)
        self._token_weight: dict[tuple[str, ...], float] = {}

    @property
    def version(self) -> str:
        return self.artifact.version

    def scores(self, matrix: sp.csr_matrix) -> np.ndarray:
        """P(bad class) of every row, in one call for the whole batch."""
        return self.artifact.model.predict_proba(matrix)[:, self._bad_column]

    def evidence(self, features: Features, row: int, top: int) -> tuple[Span, ...]:
        """Spans of the `top` tokens with the largest positive weight in document `row`, in text order."""
        weighted = []
        for (field, start, end, words), columns in zip(features.tokens[row], features.token_features[row], strict=True):
            weight = self._token_weight.get(words)
            if weight is None:
                if len(self._token_weight) > 200_000:
                    self._token_weight.clear()
                weight = self._token_weight[words] = float(self._column_weight[columns].sum())
            if weight > 0.0:  # a sign, not a threshold: only tokens that pushed toward the bad class
                weighted.append((weight, field, start, end))
        best = sorted(weighted, key=lambda item: -item[0])[:top]
        return tuple(Span(field, start, end) for _, field, start, end in sorted(best, key=lambda item: (item[1] != "title", item[2])))


def document_fields(docs: Sequence[Document]) -> list[tuple[str, str]]:
    """What every classifier reads: (title text, body text), the same tuple for all, so the batch cache hits."""
    return [(doc.title.text if doc.title is not None else "", doc.body.text) for doc in docs]


class ModelCheck(Check[SettingsT]):
    """A check backed by one artifact: loads it lazily once, scores a batch in one call.

    Subclasses declare ``model_name``, ``code`` and ``message``; the score is P(bad class).
    """

    model_name: ClassVar[str]
    code: ClassVar[str]
    message: ClassVar[str]
    evidence_tokens: ClassVar[int] = 3
    artifacts_dir: Path = ARTIFACTS

    def __init__(self, settings: SettingsT, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        self._model: LinearTextModel | None = None

    @property
    def running_version(self) -> str:
        return self.version if self._model is None else f"{self.version}+model.{self._model.version}"

    def load(self) -> None:
        if self._model is None:
            self._model = LinearTextModel(load(self.model_name, self.artifacts_dir))

    def check_batch(self, docs: Sequence[Document]) -> list[list[Hit]]:
        self.load()
        assert self._model is not None
        features = featurize(document_fields(docs))
        scores = self._model.scores(features.matrix)
        return [
            [Hit(self.code, float(scores[row]), self.message, self._model.evidence(features, row, self.evidence_tokens))]
            if features.tokens[row] else []  # nothing to read (empty, or only links): nothing to say
            for row in range(len(docs))
        ]
