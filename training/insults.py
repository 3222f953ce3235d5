"""Train the insults model on the Kaggle "Detecting Insults in Social Commentary" train set.

Binary: 1 = insult aimed at a participant. The verification set is the test set and is never
seen in training; test_with_solutions.csv is the development set on which the hyper-parameters
(SGD alpha, weight of the insult class) are chosen. The model is then fitted on train.csv only.

    .venv/bin/python -m training insults
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
from sklearn.metrics import roc_auc_score

from training import common, data

NAME = "insults"
VERSION = "1.0.0"
GRID = {"alpha": [1e-5, 3e-5, 1e-4, 3e-4, 1e-3], "insult_weight": [1.0, 2.0]}


def auc(model, X, y) -> float:
    return float(roc_auc_score(y, model.predict_proba(X)[:, 1]))


def main() -> None:
    split = data.kaggle_insults()
    X, y = common.features(split.train_texts), np.asarray(split.train_labels)
    dev_texts, dev_labels = data.kaggle_insults_dev()
    dev_X = common.features(dev_texts)
    best, best_auc = {}, -1.0
    for alpha, weight in itertools.product(*GRID.values()):
        score = auc(common.fit(X, y, alpha=alpha, class_weight={0: 1.0, 1: weight}), dev_X, dev_labels)
        print(f"alpha={alpha} insult_weight={weight}: dev AUC {score:.4f}", file=sys.stderr)
        if score > best_auc:
            best, best_auc = {"alpha": alpha, "insult_weight": weight}, score
    model = common.fit(X, y, alpha=best["alpha"], class_weight={0: 1.0, 1: best["insult_weight"]})
    test_X = common.features(split.test_texts)
    common.save(NAME, model, {
        "model_version": VERSION,
        "task": "P(insult aimed at a participant); classes 0 = not insult, 1 = insult",
        "classes": {"0": "not insult", "1": "insult"},
        "bad_class": 1,
        "training_data": ["kaggle-insults/train.csv (decoded copy train.decoded.jsonl); licence not stated (Kaggle)"],
        "split": {split.name: split.description, "development": "test_with_solutions.csv, hyper-parameters only"},
        "seed": data.SEED,
        "hyperparameters": {**best, "selected_on": "test_with_solutions.csv (dev AUC %.4f)" % best_auc},
        "metrics": common.rounded({"verification_roc_auc": auc(model, test_X, split.test_labels)}),
    })


if __name__ == "__main__":
    main()
