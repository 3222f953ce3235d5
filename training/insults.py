"""Train the insults model on the Kaggle "Detecting Insults in Social Commentary" labelled sets.

Binary: 1 = insult aimed at a participant. Training data: train.csv and test_with_solutions.csv
(the competition's public train and test files, both labelled). The verification set
(impermium_verification_labels.csv) is the test set: it is never seen in training or model
selection. The regularisation C of the logistic regression is chosen by 5-fold stratified
cross-validation (seed 0) on the training data, by ROC AUC; the model is then refitted on all of it.

    .venv/bin/python -m training insults
"""

from __future__ import annotations

import sys

import numpy as np
from sklearn.metrics import roc_auc_score

from training import common, data

NAME = "insults"
VERSION = "2.0.0"
GRID = {"C": [1.0, 3.0, 10.0]}


def main() -> None:
    split = data.kaggle_insults()
    X, y = common.features(split.train_texts), np.asarray(split.train_labels)
    folds = common.folds(y)
    cv = {}
    for C in GRID["C"]:
        cv[C] = float(roc_auc_score(y, common.oof_probabilities(X, y, folds, C=C)[:, 1]))
        print(f"C={C}: 5-fold CV AUC {cv[C]:.4f}", file=sys.stderr)
    best_C = max(cv, key=lambda C: (cv[C], -C))
    model = common.fit_lr(X, y, C=best_C)
    test_probabilities = model.predict_proba(common.features(split.test_texts))[:, 1]
    common.save(NAME, model, {
        "model_version": VERSION,
        "task": "P(insult aimed at a participant); classes 0 = not insult, 1 = insult",
        "classes": {"0": "not insult", "1": "insult"},
        "bad_class": 1,
        "training_data": [
            "kaggle-insults/train.csv and test_with_solutions.csv (decoded copies *.decoded.jsonl); "
            "licence not stated (Kaggle)"
        ],
        "split": {split.name: split.description},
        "seed": data.SEED,
        "hyperparameters": {
            "C": best_C,
            "selected_on": "5-fold stratified CV (seed 0) on train + test_with_solutions, ROC AUC",
        },
        "model_selection": {"cv_roc_auc_by_C": {str(C): round(score, 4) for C, score in cv.items()}},
        "decision_rule_for_metrics": "none: ROC AUC of P(insult)",
        "metrics": common.rounded({"verification_roc_auc": roc_auc_score(split.test_labels, test_probabilities)}),
    })


if __name__ == "__main__":
    main()
