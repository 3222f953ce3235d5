"""Category scores that rank well: each check of a category and the category score, side by side.

    .venv/bin/python -m bench.quality_parts.category_ranking

The category score is what the policy and the analysts' sweeps act on (policy ``[scoring.<category>]``,
worker/category_scores.py). Each text of a held-out public set is screened end to end, exactly as
``modscreen screen`` does (the shipped policy, every check, language detected, no hint); then the
ROC AUC (threshold-free) of each check of the category (its highest score on the post; 0 when it
reported nothing) and of the verdict's category score are reported side by side. Goal (issue 11):
the category ranks at least as well as its best check.

* ``offensive`` on the Kaggle insults verification set (impermium_verification_labels; never seen
  in training the insults model nor in fitting the offensive combination), label "insult";
* ``hate_speech`` on the Davidson test split (stratified 20%, seed 42, as ``training.data``), label
  "hate" (class 0) against offensive and neither.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from training import data
from worker.assembly import build_engine
from worker.types import Post

REPO = Path(__file__).resolve().parents[2]

NEEDS = ("kaggle-insults", "davidson-hate-offensive")  # datasets read (training.datasets)
POLICY = REPO / "config" / "policy.toml"
BATCH = 200

Row = tuple[str, str, str, str]


def screened_scores(texts: Sequence[str], category: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per check of `category`: its highest score on each text (0 when silent); and the category scores."""
    engine = build_engine(POLICY)
    engine.load()
    names = sorted(check.name for check in engine.checks if check.category == category)
    per_check = {name: np.zeros(len(texts)) for name in names}
    category_scores = np.zeros(len(texts))
    for start in range(0, len(texts), BATCH):
        posts = [Post(id=f"p{start + i}", body=text or " ") for i, text in enumerate(texts[start:start + BATCH])]
        for offset, verdict in enumerate(engine.screen_many(posts)):
            row = start + offset
            category_scores[row] = verdict.scores.get(category, 0.0)
            for finding in verdict.findings:
                if finding.category == category:
                    per_check[finding.check][row] = max(per_check[finding.check][row], finding.score)
    return per_check, category_scores


def ranking_rows(dataset: str, texts: Sequence[str], labels: Sequence[int], category: str) -> list[Row]:
    per_check, category_scores = screened_scores(texts, category)
    y = np.asarray(labels)
    best = max((roc_auc_score(y, scores) for scores in per_check.values()), default=float("nan"))
    rows: list[Row] = []
    for name, scores in per_check.items():
        fired = np.mean(scores > 0)
        rows.append((dataset, f"ROC AUC of check `{name}` alone (reports on {fired:.0%} of texts)",
                     f"{roc_auc_score(y, scores):.3f}", "-"))
    highest = np.max(np.vstack(list(per_check.values())), axis=0) if per_check else category_scores
    rows.append((dataset, f"ROC AUC of the highest check score (the former `{category}` score)",
                 f"{roc_auc_score(y, highest):.3f}", "-"))
    rows.append((dataset, f"ROC AUC of the `{category}` category score, end to end",
                 f"{roc_auc_score(y, category_scores):.3f}",
                 f"goal: >= the best check ({best:.3f})" + ("; Kaggle goal >= 0.85" if category == "offensive" else "")))
    return rows


def rows() -> list[Row]:
    kaggle = data.kaggle_insults()
    davidson = data.davidson()
    return [
        *ranking_rows("kaggle-insults verification set (2,235 comments; label insult)", kaggle.test_texts,
                      kaggle.test_labels, "offensive"),
        *ranking_rows("davidson test split (stratified 20%, seed 42; label hate vs rest)", davidson.test_texts,
                      [int(label == data.HATE) for label in davidson.test_labels], "hate_speech"),
    ]


if __name__ == "__main__":
    from training.datasets import DatasetMissing

    try:
        for row in rows():
            print(" | ".join(row))
    except DatasetMissing as missing_dataset:
        sys.exit(str(missing_dataset))
