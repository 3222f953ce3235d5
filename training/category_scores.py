"""Fit how a category's checks combine into its score (``[scoring.<category>]`` in the policy).

    .venv/bin/python -m training.category_scores [--category offensive]   # about 3 minutes

For every check of the category (as shipped: ``config/checks``, the artifacts), each post gets the
highest score each check reported (or "did not report"). The checks named in ``GROUPED`` (correlated
ones: a swear-word list and an insult model) get one logistic regression over, per check,
[reported, reported x logit(score)]; every other check is calibrated alone (Platt scaling over the
posts it reported on) and joins by noisy-OR (see worker/category_scores.py). Both are fitted on two
labelled sources, each weighing half:

* the Kaggle insults training rows (train + test_with_solutions, label "insult"): how the checks
  rank insults in web comments. The insults model was trained on these very rows, so its score
  there is replaced by its 5-fold out-of-fold score (the model card's recipe and C, seed 0): an
  in-sample score would teach the combination to trust the model blindly;
* the help-center corpus, train + dev splits only (label: the post is labelled with the category):
  what the community's terms call a violation (swearing is one even when it insults nobody).

The verification set of Kaggle and the help-center test split are never read here. The fitted
weights (clipped at 0: a check's higher score never lowers its category) are printed as the TOML
table to paste into ``config/policy.toml``, with the ranking (ROC AUC) of each check and of the
combination on the fitting data, side by side. Deterministic: no sampling (liblinear, fixed folds).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from worker.assembly import build_checks, load_registered_policy
from worker.community import load_community
from worker.category_scores import logit
from worker.checks import Check
from worker.document import Document
from worker.types import Post

REPO = Path(__file__).resolve().parents[1]
POLICY = REPO / "config" / "policy.toml"
MODEL_CHECKS = {"insults": "insults"}  # check -> artifact trained on the Kaggle rows (scored out of fold there)
# Checks fitted jointly, per category: their scores are correlated, so how much one adds depends on the
# other (on Kaggle a swear word says little once the insult model has spoken). Every other check is
# calibrated alone: a rule that is right when it fires must not be vetoed by a model's low score.
GROUPED = {"offensive": ("insults", "profanity")}
C_COMBINATION = 1.0
BATCH = 200


def category_checks(category: str, policy_path: Path = POLICY) -> tuple[list[Check], Check | None]:
    """The enabled checks of `category`, loaded, and the language detector."""
    policy = load_registered_policy(policy_path)
    checks = build_checks(policy, policy_path.parent / "checks", load_community(policy_path.parent / "community.toml"))
    detector = next((c for c in checks if hasattr(c, "detect_languages")), None)
    chosen = [c for c in checks if c.category == category]
    for check in [*chosen, *([detector] if detector else [])]:
        check.load()
    return chosen, detector


def component_scores(posts: Sequence[Post], checks: Sequence[Check], detector: Check | None) -> np.ndarray:
    """(posts x checks) highest score each check reported on each post; NaN where it reported nothing."""
    out = np.full((len(posts), len(checks)), np.nan)
    for start in range(0, len(posts), BATCH):
        docs = [Document.from_post(p, max_body_chars=100_000, regex_timeout=1.0) for p in posts[start:start + BATCH]]
        languages = detector.detect_languages(docs) if detector is not None else [d.language_hint for d in docs]
        docs = [doc.with_language(language) for doc, language in zip(docs, languages, strict=True)]
        for column, check in enumerate(checks):
            applies = [i for i, doc in enumerate(docs) if check.applies_to(doc)]
            for i, hits in zip(applies, check.check_batch([docs[i] for i in applies]), strict=True):
                if hits:
                    out[start + i, column] = max(hit.score for hit in hits)
    return out


def features(scores: np.ndarray) -> np.ndarray:
    """Per check: reported (0/1) and reported x logit(score)."""
    reported = ~np.isnan(scores)
    logits = np.where(reported, np.vectorize(logit)(np.nan_to_num(scores)), 0.0)
    return np.column_stack([reported.astype(float), logits]).reshape(len(scores), 2, -1).transpose(0, 2, 1).reshape(len(scores), -1)


def combined_score(scores: np.ndarray, names: Sequence[str], table: dict) -> np.ndarray:
    """The category score the policy computes (worker.category_scores), vectorised over posts."""
    from worker.category_scores import CategoryScoring
    from worker.types import Finding

    scoring = CategoryScoring.model_validate(table)
    rows = []
    for row in scores:
        found = [Finding(name, "x", "x.x", float(s), "", ()) for name, s in zip(names, row, strict=True) if not math.isnan(s)]
        rows.append(scoring.score(found))
    return np.asarray(rows)


def kaggle_rows(checks: Sequence[Check], detector: Check | None) -> tuple[np.ndarray, np.ndarray]:
    from training import common, data

    split = data.kaggle_insults()
    scores = component_scores([Post(id=str(i), body=t or " ") for i, t in enumerate(split.train_texts)], checks, detector)
    labels = np.asarray(split.train_labels)
    for column, check in enumerate(checks):
        if check.name in MODEL_CHECKS:
            from worker.classifiers import _artifacts

            C = float(_artifacts.read_metadata(MODEL_CHECKS[check.name])["hyperparameters"]["C"])
            X = common.features(split.train_texts)
            oof = common.oof_probabilities(X, labels, common.folds(labels), C=C)[:, 1]
            scores[:, column] = np.where(np.isnan(scores[:, column]), np.nan, oof)
    return scores, labels


def helpcenter_rows(category: str, checks: Sequence[Check], detector: Check | None) -> tuple[np.ndarray, np.ndarray]:
    from bench.helpcenter import as_post, load_corpus

    records = load_corpus({"train", "dev"})  # never the test split
    scores = component_scores([as_post(r) for r in records], checks, detector)
    return scores, np.asarray([category in r["labels"] for r in records], dtype=int)


# Public labelled rows fitted beside the help-center posts, per category (a category without one is
# fitted on the help-center posts alone).
PUBLIC_SOURCES = {"offensive": ("kaggle insults train (insults model out of fold)", kaggle_rows)}


def fit(sources: Sequence[tuple[np.ndarray, np.ndarray]], names: Sequence[str], grouped: Sequence[str]) -> dict:
    y = np.concatenate([labels for _, labels in sources])
    # each source weighs half, whatever its size
    weights = np.concatenate([np.full(len(labels), 1.0 / len(labels)) for _, labels in sources]) * len(y) / len(sources)
    scores = np.vstack([s for s, _ in sources])
    table: dict = {"combine": "logistic", "bias": 0.0, "scale": 1.0, "checks": {}}
    columns = [names.index(name) for name in grouped if name in names]
    if columns:
        model = LogisticRegression(C=C_COMBINATION, solver="liblinear", random_state=0, max_iter=1000)
        model.fit(features(scores[:, columns]), y, sample_weight=weights)
        table["bias"] = float(model.intercept_[0])
        for column, (present, weight) in zip(columns, model.coef_[0].reshape(len(columns), 2), strict=True):
            table["checks"][names[column]] = {"weight": max(0.0, float(weight)), "present": float(present)}
    for column, name in enumerate(names):
        if column in columns:
            continue
        reported = ~np.isnan(scores[:, column])
        if len(set(y[reported])) < 2:  # never fired, or always right/wrong: nothing to fit, keep its own score
            continue
        logits = np.vectorize(logit)(scores[reported, column])[:, None]
        platt = LogisticRegression(C=C_COMBINATION, solver="liblinear", random_state=0)
        platt.fit(logits, y[reported], sample_weight=weights[reported])
        table["checks"][name] = {"weight": max(0.0, float(platt.coef_[0, 0])),
                                 "present": float(platt.intercept_[0]), "alone": True}
    return _rounded(table)


def _rounded(table: dict) -> dict:
    return {**table, "bias": round(table["bias"], 4), "scale": round(table["scale"], 4),
            "checks": {n: {k: v if isinstance(v, bool) else round(v, 4) for k, v in w.items()}
                       for n, w in table["checks"].items()}}


def as_toml(category: str, table: dict) -> str:
    lines = [f"[scoring.{category}]", f'combine = "{table["combine"]}"', f"bias = {table['bias']}",
             f"scale = {table['scale']}"]
    for name, weight in table["checks"].items():
        lines += [f"[scoring.{category}.checks.{name}]", f"weight = {weight['weight']}", f"present = {weight['present']}"]
        if weight.get("alone"):
            lines.append("alone = true")
    return "\n".join(lines)


def report(label: str, scores: np.ndarray, labels: np.ndarray, names: Sequence[str], table: dict) -> None:
    cells = [f"{name} {roc_auc_score(labels, np.nan_to_num(scores[:, i])):.3f}" for i, name in enumerate(names)]
    cells += [f"max {roc_auc_score(labels, np.nan_to_num(scores).max(axis=1)):.3f}",
              f"combined {roc_auc_score(labels, combined_score(scores, names, table)):.3f}"]
    print(f"{label}: AUC " + ", ".join(cells), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--category", default="offensive")
    args = parser.parse_args()
    checks, detector = category_checks(args.category)
    names = [c.name for c in checks]
    public = PUBLIC_SOURCES.get(args.category)
    sources = ([(public[0], public[1](checks, detector))] if public else [])
    sources.append(("help-center train+dev", helpcenter_rows(args.category, checks, detector)))
    table = fit([rows for _, rows in sources], names, GROUPED.get(args.category, ()))
    for label, (scores, labels) in sources:
        report(label, scores, labels, names, table)
    print(as_toml(args.category, table))


if __name__ == "__main__":
    from training.datasets import DatasetMissing

    try:
        main()
    except DatasetMissing as missing_dataset:
        sys.exit(str(missing_dataset))
