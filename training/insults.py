"""Train the insults model: Kaggle insults + public insult / abuse / toxicity sets + the help-center corpus.

Binary: 1 = insult, abuse or contempt aimed at someone. Training data (training parts only):

* Kaggle "Detecting Insults in Social Commentary": train.csv + test_with_solutions.csv (weight 1);
  its verification set (impermium_verification_labels.csv) is the test set, never seen in training
  or model selection;
* the training parts of the public sets in ``training.public`` labelled for insults (Civil Comments
  toxic spans, ConvAbuse, Jigsaw 2018 EN + FR MT, OLID, ToxiFrench, CyberAgressionAdo; mapping in
  ``training.data``), all with one weight ``public_weight``;
* the help-center corpus train split (``offensive`` label), weight ``helpcenter_weight``.

Model selection: a 3-fold stratified CV (seed 0) over the Kaggle rows (the other sources always in
training) gives the Kaggle out-of-fold ROC AUC; the model fitted on all training rows gives the ROC
AUC on the help-center dev split. The configuration with the best mean of the two wins (the first
measures the public goal's data, the second the forum the model screens). Then refit on everything.

    .venv/bin/python -m training insults
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

from training import common, data, public

NAME = "insults"
VERSION = "3.0.0"
GRID = {"C": [3.0], "public_weight": [0.05, 0.1], "helpcenter_weight": [3.0]}
FOLDS = 3


def _fit(kaggle_X, kaggle_y, extra: list[public.Part], C: float):
    X, y, w = public.stack([public.Part("kaggle", kaggle_X, kaggle_y, 1.0), *extra])
    return common.fit_lr(X, y, C=C, sample_weight=w)


def choose(kX, ky, public_parts, helpcenter, dev):
    folds = common.folds(ky, FOLDS)
    best, report = None, []
    for C, public_weight, helpcenter_weight in itertools.product(*GRID.values()):
        extra = [*public.reweighted(public_parts, public_weight), *public.reweighted([helpcenter], helpcenter_weight)]
        oof = np.zeros(len(ky))
        for fit_rows, val_rows in folds:
            oof[val_rows] = _fit(kX[fit_rows], ky[fit_rows], extra, C).predict_proba(kX[val_rows])[:, 1]
        model = _fit(kX, ky, extra, C)
        line = {"C": C, "public_weight": public_weight, "helpcenter_weight": helpcenter_weight,
                "kaggle_cv_roc_auc": round(float(roc_auc_score(ky, oof)), 4),
                "helpcenter_dev_roc_auc": round(float(roc_auc_score(dev.y, model.predict_proba(dev.X)[:, 1])), 4)}
        line["score"] = round((line["kaggle_cv_roc_auc"] + line["helpcenter_dev_roc_auc"]) / 2, 4)
        report.append(line)
        print(line, file=sys.stderr, flush=True)
        if best is None or line["score"] > best[0]["score"]:
            best = (line, model)
    assert best is not None
    return best[0], best[1], report


def main() -> None:
    split = data.kaggle_insults()
    kX, ky = common.features(split.train_texts), np.asarray(split.train_labels)
    public_parts = public.public_parts("insult", 1.0)
    helpcenter = public.helpcenter_part("insult", 1.0)
    dev = public.helpcenter_part("insult", 1.0, "dev")
    best, model, report = choose(kX, ky, public_parts, helpcenter, dev)
    test_probabilities = model.predict_proba(common.features(split.test_texts))[:, 1]
    plain = common.plain_baseline_scores(split.train_texts, split.train_labels, split.test_texts)
    rows = {p.name: [int(len(p.y)), int(p.y.sum())] for p in [*public_parts, helpcenter]}
    common.save(NAME, model, {
        "model_version": VERSION,
        "task": "P(insult, abuse or contempt aimed at someone); classes 0 = not insult, 1 = insult",
        "classes": {"0": "not insult", "1": "insult"},
        "bad_class": 1,
        "training_data": [
            "kaggle-insults/train.csv and test_with_solutions.csv (decoded copies *.decoded.jsonl); "
            "licence not stated (Kaggle)",
            *[public.DESCRIPTIONS[name] for name in rows],
        ],
        "training_rows": {"kaggle-insults": [int(len(ky)), int(ky.sum())], **rows},
        "split": {split.name: split.description,
                  **{s.name: s.description for s in (make() for make in public.TRAINING_SETS) if s.name in rows},
                  "helpcenter": "train split to train, dev split for model selection, test split never read"},
        "seed": data.SEED,
        "hyperparameters": {
            **{key: best[key] for key in GRID},
            "selected_on": f"mean of the Kaggle {FOLDS}-fold CV ROC AUC (seed 0) and the help-center dev ROC AUC",
        },
        "model_selection": {"cv": report},
        "decision_rule_for_metrics": "none: ROC AUC of P(insult)",
        "metrics": common.rounded({"verification_roc_auc": roc_auc_score(split.test_labels, test_probabilities),
                                   "helpcenter_dev_roc_auc": best["helpcenter_dev_roc_auc"]}),
        "baselines": common.rounded({"verification_roc_auc_plain_tfidf_lr": roc_auc_score(split.test_labels, plain)}),
    })


if __name__ == "__main__":
    main()
