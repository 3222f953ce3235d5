"""What every training script shares: the model recipe, compaction, metrics and saving."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from training.data import SEED
from worker.classifiers import _artifacts
from worker.classifiers._features import featurize_texts


def features(texts: Sequence[str]) -> sp.csr_matrix:
    return featurize_texts(list(texts))


def fit(
    X: sp.csr_matrix, y: Sequence[int], *, alpha: float, class_weight: dict[int, float] | None = None,
    sample_weight: np.ndarray | None = None,
) -> Pipeline:
    """IDF (sublinear tf, L2 rows) + logistic loss by SGD: seconds to fit on 1M hashed features.

    SGD with a fixed seed and a single thread is deterministic, so a rebuild gives the same scores.
    """
    model = Pipeline([
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ("clf", SGDClassifier(loss="log_loss", alpha=alpha, max_iter=50, tol=1e-4, class_weight=class_weight,
                              random_state=SEED, average=False)),
    ])
    model.fit(X, np.asarray(y), clf__sample_weight=sample_weight)
    return compact(model)


def compact(model: Pipeline) -> Pipeline:
    """Store the weights as a sparse float32 matrix: features never seen in training weigh exactly 0."""
    clf = model.named_steps["clf"]
    clf.coef_ = sp.csr_matrix(clf.coef_.astype(np.float32))
    return model


def plain_baseline(train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str]) -> np.ndarray:
    """The reference every model must beat: default word TF-IDF + default logistic regression."""
    vectorizer = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(train_texts), list(train_labels))
    return model.predict(vectorizer.transform(test_texts))


def macro_f1(y_true: Sequence[int], y_pred: Sequence[int]) -> float:
    return float(f1_score(list(y_true), list(y_pred), average="macro"))


def save(name: str, model: Pipeline, metadata: dict[str, Any]) -> None:
    path = _artifacts.save(name, model, {**metadata, "rebuild_command": f".venv/bin/python -m training {name}"})
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


def rounded(metrics: dict[str, float]) -> dict[str, float]:
    return {key: round(float(value), 4) for key, value in metrics.items()}
