"""The promotion model on the comment-spam sets, side by side with a plain TF-IDF + logistic regression.

For each set (Instagram scam comments, DataCamp blog comment spam), the split is the stratified 20%
test split of ``training.data`` (seed 42), which the shipped model never saw. The plain baseline is
scikit-learn's default ``TfidfVectorizer`` + default ``LogisticRegression``, trained here on that
set's own training part (the same rows the shipped model saw from it) and read at P >= 0.5. The
shipped model is read at the operating point recorded in its metadata for that set (chosen by
cross-validation on the training part). ROC AUC compares the rankings without any threshold. Run:

    .venv/bin/python -m bench.quality_parts.promotion
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

from training import data
from worker.classifiers import _artifacts
from worker.classifiers._promotion_features import promotion_matrix

Row = tuple[str, str, str, str]

NEEDS = ("en-instagram-scam-comments", "en-blog-comment-spam-datacamp")  # datasets read (training.datasets)
SETS = {"instagram": ("instagram scam comments", data.instagram_scam),
        "blog": ("blog comment spam (DataCamp)", data.blog_comment_spam)}


def _plain_scores(split: data.Split) -> np.ndarray:
    vectorizer = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(split.train_texts), split.train_labels)
    return model.predict_proba(vectorizer.transform(split.test_texts))[:, 1]


def rows() -> list[Row]:
    artifact = _artifacts.load("promotion")
    points = artifact.metadata.get("operating_points", {})
    found: list[Row] = []
    for key, (title, load) in SETS.items():
        split = load()
        labels = np.asarray(split.test_labels)
        scores = artifact.model.predict_proba(promotion_matrix([("", text) for text in split.test_texts]))[:, 1]
        plain = _plain_scores(split)
        point = float(points.get(key, 0.5))
        name = (f"{title} (stratified 20% test split, seed 42: {len(labels)} rows, {int(labels.sum())} spam; "
                f"flagged when P >= {point}, chosen by CV on the training part)")
        found += [
            (name, "F1 of the spam class", f"{f1_score(labels, scores >= point):.3f}",
             f"plain TF-IDF+LR (same split, P >= 0.5) {f1_score(labels, plain >= 0.5):.3f}"),
            (name, "ROC AUC", f"{roc_auc_score(labels, scores):.3f}",
             f"plain TF-IDF+LR (same split) {roc_auc_score(labels, plain):.3f}"),
        ]
    return found


if __name__ == "__main__":
    print("| dataset | metric | modscreen | published baseline / goal |\n|---|---|---|---|")
    for row in rows():
        print("| " + " | ".join(row) + " |")
