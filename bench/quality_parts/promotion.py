"""The promotion model on the comment-spam sets, side by side with a plain TF-IDF + logistic regression.

For each set (Instagram scam comments, DataCamp blog comment spam), the split is the stratified 20%
test split of ``training.data`` (seed 42), which the shipped model never saw. The plain baseline is
scikit-learn's default ``TfidfVectorizer`` + default ``LogisticRegression``, trained here on that
set's own training part (the same rows the shipped model saw from it) and read at P >= 0.5 and at its own best-F1 point from 5-fold CV on
that training part (as the shipped model's point is chosen). The
shipped model is read at the operating point recorded in its metadata for that set (chosen by
cross-validation on the training part). ROC AUC compares the rankings without any threshold. Run:

    .venv/bin/python -m bench.quality_parts.promotion
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline

from training import data
from training.promotion import f1_point
from worker.classifiers import _artifacts
from worker.classifiers._promotion_features import promotion_matrix

Row = tuple[str, str, str, str]

NEEDS = ("en-instagram-scam-comments", "en-blog-comment-spam-datacamp")  # datasets read (training.datasets)
SETS = {"instagram": ("instagram scam comments", data.instagram_scam),
        "blog": ("blog comment spam (DataCamp)", data.blog_comment_spam)}


def _plain() -> Pipeline:
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))


def _plain_scores(split: data.Split) -> tuple[np.ndarray, float]:
    """The plain model's test scores, and its own best-F1 point from 5-fold CV (seed 0) on the training part,
    so the F1 comparison does not hinge on the shipped model's tuned threshold."""
    labels = np.asarray(split.train_labels)
    oof = cross_val_predict(_plain(), split.train_texts, labels, method="predict_proba",
                            cv=StratifiedKFold(5, shuffle=True, random_state=0))[:, 1]
    point, _ = f1_point(oof, labels)
    model = _plain().fit(split.train_texts, labels)
    return model.predict_proba(split.test_texts)[:, 1], point


def rows() -> list[Row]:
    artifact = _artifacts.load("promotion")
    points = artifact.metadata.get("operating_points", {})
    found: list[Row] = []
    for key, (title, load) in SETS.items():
        split = load()
        labels = np.asarray(split.test_labels)
        scores = artifact.model.predict_proba(promotion_matrix([("", text) for text in split.test_texts]))[:, 1]
        plain, plain_point = _plain_scores(split)
        point = float(points.get(key, 0.5))
        name = (f"{title} (stratified 20% test split, seed 42: {len(labels)} rows, {int(labels.sum())} spam; "
                f"flagged when P >= {point}, chosen by CV on the training part)")
        found += [
            (name, "F1 of the spam class", f"{f1_score(labels, scores >= point):.3f}",
             f"plain TF-IDF+LR (same split) {f1_score(labels, plain >= 0.5):.3f} at P >= 0.5, "
             f"{f1_score(labels, plain >= plain_point):.3f} at P >= {plain_point} (its own CV choice)"),
            (name, "ROC AUC", f"{roc_auc_score(labels, scores):.3f}",
             f"plain TF-IDF+LR (same split) {roc_auc_score(labels, plain):.3f}"),
        ]
    return found


if __name__ == "__main__":
    print("| dataset | metric | modscreen | published baseline / goal |\n|---|---|---|---|")
    for row in rows():
        print("| " + " | ".join(row) + " |")
