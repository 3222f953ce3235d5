"""Train the hate_speech model: Davidson (EN) + MLMA (FR, EN), 3 classes hate / offensive / neither.

The check reports P(hate). The model is trained 3-class because that is how Davidson is
labelled and measured, and because separating "offensive" from "hate" is the whole difficulty:
a swear word alone must not read as hate. MLMA rows are mapped with ``data.mlma_class``.

Hyper-parameters (SGD alpha, weight of the hate class, weight of the MLMA rows) are chosen on a
validation split carved from the training parts only (stratified 20%, seed 0); the final model is
then fitted on the whole training parts. The test parts are only used for the metrics recorded.

    .venv/bin/python -m training hate_speech
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from training import common, data
from training.data import HATE, NEITHER

NAME = "hate_speech"
VERSION = "1.0.0"
GRID = {"alpha": [1e-5], "hate_weight": [3.0, 5.0], "mlma_weight": [0.15, 0.3, 0.5]}


def _hostile(predicted: np.ndarray) -> np.ndarray:
    """Normal-vs-hostile as MLMA's README defines it: every class but neither is hostile."""
    return (predicted != NEITHER).astype(int)


def _scores(model, davidson_X, davidson_y, mlma_sets) -> dict[str, float]:
    per_class = f1_score(davidson_y, model.predict(davidson_X), average=None, labels=[0, 1, 2])
    scores = {"davidson_hate_f1": per_class[HATE], "davidson_macro_f1": per_class.mean()}
    for language, (X, y) in mlma_sets.items():
        scores[f"mlma_{language}_macro_f1"] = common.macro_f1(_hostile(np.asarray(y)), _hostile(model.predict(X)))
    return scores


def _stack(davidson_X, davidson_y, mlma_parts, mlma_weight: float):
    X = sp.vstack([davidson_X, *(X for X, _ in mlma_parts)]).tocsr()
    y = np.concatenate([davidson_y, *(np.asarray(y) for _, y in mlma_parts)])
    weights = np.concatenate([np.ones(davidson_X.shape[0]), np.full(X.shape[0] - davidson_X.shape[0], mlma_weight)])
    return X, y, weights


def _inner(split: data.Split):
    rows = np.arange(len(split.train_texts))
    fit_rows, val_rows = train_test_split(rows, test_size=0.2, random_state=0, stratify=split.train_labels)
    return fit_rows, val_rows


def choose(davidson: data.Split, mlma: dict[str, data.Split]) -> dict[str, float]:
    dX, dy = common.features(davidson.train_texts), np.asarray(davidson.train_labels)
    d_fit, d_val = _inner(davidson)
    mlma_fit, mlma_val = [], {}
    for language, split in mlma.items():
        X, y = common.features(split.train_texts), np.asarray(split.train_labels)
        fit_rows, val_rows = _inner(split)
        mlma_fit.append((X[fit_rows], y[fit_rows]))
        mlma_val[language] = (X[val_rows], y[val_rows])
    best, best_score = {}, -1.0
    for alpha, hate_weight, mlma_weight in itertools.product(*GRID.values()):
        X, y, w = _stack(dX[d_fit], dy[d_fit], mlma_fit, mlma_weight)
        model = common.fit(X, y, alpha=alpha, class_weight={HATE: hate_weight, 1: 1.0, NEITHER: 1.0}, sample_weight=w)
        scores = _scores(model, dX[d_val], dy[d_val], mlma_val)
        score = float(np.mean(list(scores.values())))
        print(f"alpha={alpha} hate_weight={hate_weight} mlma_weight={mlma_weight}: "
              + " ".join(f"{k}={v:.3f}" for k, v in scores.items()), file=sys.stderr)
        if score > best_score:
            best, best_score = {"alpha": alpha, "hate_weight": hate_weight, "mlma_weight": mlma_weight}, score
    return best


def main() -> None:
    davidson = data.davidson()
    mlma = {language: data.mlma(language) for language in ("en", "fr")}
    params = choose(davidson, mlma)
    X, y, w = _stack(
        common.features(davidson.train_texts), np.asarray(davidson.train_labels),
        [(common.features(s.train_texts), s.train_labels) for s in mlma.values()], params["mlma_weight"],
    )
    model = common.fit(X, y, alpha=params["alpha"], class_weight={HATE: params["hate_weight"], 1: 1.0, NEITHER: 1.0},
                       sample_weight=w)
    test_sets = {language: (common.features(s.test_texts), s.test_labels) for language, s in mlma.items()}
    metrics = _scores(model, common.features(davidson.test_texts), np.asarray(davidson.test_labels), test_sets)
    baselines = {
        f"mlma_{language}_macro_f1_plain_tfidf_lr": common.macro_f1(
            _hostile(np.asarray(s.test_labels)),
            _hostile(common.plain_baseline(s.train_texts, s.train_labels, s.test_texts)),
        )
        for language, s in mlma.items()
    }
    common.save(NAME, model, {
        "model_version": VERSION,
        "task": "P(hate) of a 3-class hate / offensive / neither model (classes 0 / 1 / 2)",
        "classes": {"0": "hate", "1": "offensive", "2": "neither"},
        "bad_class": HATE,
        "training_data": [
            "davidson-hate-offensive/labeled_data.csv (Davidson et al. 2017, MIT)",
            "mlma-hate-fr-en/en_dataset.csv and fr_dataset.csv (Ousidhoum et al. 2019, MIT)",
        ],
        "mlma_label_mapping": "hateful anywhere -> hate; exactly normal -> neither; anything else -> offensive",
        "split": {s.name: s.description for s in (davidson, *mlma.values())},
        "seed": data.SEED,
        "hyperparameters": {**params, "selected_on": "stratified 20% of each training part, seed 0"},
        "decision_rule_for_metrics": "argmax of predict_proba; MLMA hostile = predicted class is not neither",
        "metrics": common.rounded(metrics),
        "baselines": common.rounded(baselines),
    })


if __name__ == "__main__":
    main()
