"""What every training script shares: the model recipes, cross-validation, compaction, metrics and saving."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
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
    """The 1.0.0 recipe (kept for candidates retrained from SGD artifacts): IDF + logistic loss by SGD.

    SGD with a fixed seed and a single thread is deterministic, so a rebuild gives the same scores.
    """
    model = Pipeline([
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ("clf", SGDClassifier(loss="log_loss", alpha=alpha, max_iter=50, tol=1e-4, class_weight=class_weight,
                              random_state=SEED, average=False)),
    ])
    model.fit(X, np.asarray(y), clf__sample_weight=sample_weight)
    return compact(model)


def fit_lr(
    X: sp.csr_matrix, y: Sequence[int], *, C: float, class_weight: dict[int, float] | None = None,
    sample_weight: np.ndarray | None = None,
) -> Pipeline:
    """IDF (sublinear tf, L2 rows) + L2-regularised logistic regression, solved exactly.

    liblinear (binary) and lbfgs (multinomial) converge to the unique optimum of a convex loss, with
    no sampling (liblinear's coordinate order is seeded), so a rebuild gives the same weights. On the
    shared hashed features this beats SGD by several points (see the model cards).
    """
    labels = np.asarray(y)
    binary = len(np.unique(labels)) == 2
    model = Pipeline([
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ("clf", LogisticRegression(C=C, class_weight=class_weight, solver="liblinear" if binary else "lbfgs",
                                   max_iter=2000, random_state=SEED)),
    ])
    model.fit(X, labels, clf__sample_weight=sample_weight)
    return compact(model)


def oof_probabilities(
    X: sp.csr_matrix, y: Sequence[int], folds: Sequence[tuple[np.ndarray, np.ndarray]], *, C: float,
    class_weight: dict[int, float] | None = None,
) -> np.ndarray:
    """Out-of-fold predict_proba over the training part (cross-validation for model selection)."""
    labels = np.asarray(y)
    out = np.zeros((X.shape[0], len(np.unique(labels))))
    for fit_rows, val_rows in folds:
        out[val_rows] = fit_lr(X[fit_rows], labels[fit_rows], C=C, class_weight=class_weight).predict_proba(X[val_rows])
    return out


def folds(y: Sequence[int], k: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified k-fold over the training part, seed 0 (the held-out test part is never in y)."""
    labels = np.asarray(y)
    return list(StratifiedKFold(k, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels))


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


def plain_baseline_scores(train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str]) -> np.ndarray:
    """The same plain baseline's P(positive class) of every test text (for threshold-free metrics)."""
    vectorizer = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(train_texts), list(train_labels))
    return model.predict_proba(vectorizer.transform(test_texts))[:, 1]


def macro_f1(y_true: Sequence[int], y_pred: Sequence[int]) -> float:
    return float(f1_score(list(y_true), list(y_pred), average="macro"))


def save(name: str, model: Pipeline, metadata: dict[str, Any]) -> None:
    path = _artifacts.save(name, model, {**metadata, "rebuild_command": f".venv/bin/python -m training {name}"})
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


def rounded(metrics: dict[str, float]) -> dict[str, float]:
    return {key: round(float(value), 4) for key, value in metrics.items()}
