"""Train the hate_speech model: Davidson (EN) + MLMA (FR, EN), 3 classes hate / offensive / neither.

The check reports P(hate). The model is trained 3-class because that is how Davidson is
labelled and measured, and because separating "offensive" from "hate" is the whole difficulty:
a swear word alone must not read as hate. MLMA rows are mapped with ``data.mlma_class``.

Model selection uses the training parts only: a joint 3-fold stratified cross-validation (seed 0)
over the Davidson and MLMA training parts picks the regularisation C, the hate class weight and
the MLMA row weight, and, from the out-of-fold probabilities, the decision rules the metrics use:

* Davidson: hate when P(hate) >= ``hate_threshold`` (chosen for the hate F1), else the larger of
  P(offensive) and P(neither);
* MLMA normal vs hostile: hostile when P(neither) < ``hostile_below[language]`` (chosen for the
  macro F1 of that language).

The final model is then fitted on the whole training parts; the test parts only give the metrics.

    .venv/bin/python -m training hate_speech
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import f1_score

from training import common, data
from training.data import HATE, NEITHER, OFFENSIVE

NAME = "hate_speech"
VERSION = "2.0.0"
GRID = {"C": [0.5, 1.5], "hate_weight": [1.0], "mlma_weight": [0.3, 1.0]}
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.025), 3)
FOLDS = 3


def davidson_decision(probabilities: np.ndarray, hate_threshold: float) -> np.ndarray:
    """Hate when P(hate) >= hate_threshold, else the more likely of offensive and neither."""
    predicted = np.where(probabilities[:, OFFENSIVE] >= probabilities[:, NEITHER], OFFENSIVE, NEITHER)
    predicted[probabilities[:, HATE] >= hate_threshold] = HATE
    return predicted


def hostile(probabilities: np.ndarray, below: float) -> np.ndarray:
    """MLMA's normal-vs-hostile: hostile when P(neither) < below."""
    return (probabilities[:, NEITHER] < below).astype(int)


def _davidson_scores(y: np.ndarray, probabilities: np.ndarray, threshold: float) -> tuple[float, float]:
    per_class = f1_score(y, davidson_decision(probabilities, threshold), average=None, labels=[HATE, OFFENSIVE, NEITHER])
    return float(per_class[HATE]), float(per_class.mean())


def _mlma_score(y: np.ndarray, probabilities: np.ndarray, below: float) -> float:
    return common.macro_f1((np.asarray(y) != NEITHER).astype(int), hostile(probabilities, below))


def rules(davidson_y, davidson_p, mlma_y, mlma_p) -> dict:
    """Decision thresholds that maximise the CV scores (ties: the value closest to 0.5)."""
    hate_threshold = max(THRESHOLDS, key=lambda t: (round(_davidson_scores(davidson_y, davidson_p, t)[0], 4), -abs(t - 0.5)))
    below = {
        language: float(max(THRESHOLDS, key=lambda t: (round(_mlma_score(mlma_y[language], mlma_p[language], t), 4), -abs(t - 0.5))))
        for language in mlma_y
    }
    return {"hate_threshold": float(hate_threshold), "hostile_below": below}


def _stack(davidson_X, davidson_y, mlma_parts, mlma_weight: float):
    X = sp.vstack([davidson_X, *(X for X, _ in mlma_parts)]).tocsr()
    y = np.concatenate([davidson_y, *(np.asarray(y) for _, y in mlma_parts)])
    weights = np.concatenate([np.ones(davidson_X.shape[0]), np.full(X.shape[0] - davidson_X.shape[0], mlma_weight)])
    return X, y, weights


def _fit(davidson_X, davidson_y, mlma_parts, params):
    X, y, w = _stack(davidson_X, davidson_y, mlma_parts, params["mlma_weight"])
    return common.fit_lr(X, y, C=params["C"], class_weight={HATE: params["hate_weight"], OFFENSIVE: 1.0, NEITHER: 1.0},
                         sample_weight=w)


def choose(dX, dy, mlma_sets):
    """Joint k-fold CV: fold i trains on fold-train of every training part, predicts every fold-val."""
    d_folds = common.folds(dy, FOLDS)
    m_folds = {language: common.folds(y, FOLDS) for language, (_, y) in mlma_sets.items()}
    best, best_score, report = None, -1.0, []
    for C, hate_weight, mlma_weight in itertools.product(*GRID.values()):
        params = {"C": C, "hate_weight": hate_weight, "mlma_weight": mlma_weight}
        d_p = np.zeros((len(dy), 3))
        m_p = {language: np.zeros((len(y), 3)) for language, (_, y) in mlma_sets.items()}
        for i in range(FOLDS):
            d_fit, d_val = d_folds[i]
            parts = [(X[m_folds[language][i][0]], y[m_folds[language][i][0]]) for language, (X, y) in mlma_sets.items()]
            model = _fit(dX[d_fit], dy[d_fit], parts, params)
            d_p[d_val] = model.predict_proba(dX[d_val])
            for language, (X, _) in mlma_sets.items():
                val = m_folds[language][i][1]
                m_p[language][val] = model.predict_proba(X[val])
        m_y = {language: y for language, (_, y) in mlma_sets.items()}
        found = rules(dy, d_p, m_y, m_p)
        hate_f1, macro = _davidson_scores(dy, d_p, found["hate_threshold"])
        scores = {"davidson_hate_f1": hate_f1, "davidson_macro_f1": macro,
                  **{f"mlma_{lang}_macro_f1": _mlma_score(m_y[lang], m_p[lang], found["hostile_below"][lang]) for lang in m_y}}
        score = float(np.mean(list(scores.values())))
        line = {**params, **found, **{k: round(v, 4) for k, v in scores.items()}}
        report.append(line)
        print(line, file=sys.stderr, flush=True)
        if score > best_score:
            best, best_score = line, score
    return best, report


def main() -> None:
    davidson = data.davidson()
    mlma = {language: data.mlma(language) for language in ("en", "fr")}
    dX, dy = common.features(davidson.train_texts), np.asarray(davidson.train_labels)
    mlma_sets = {language: (common.features(s.train_texts), np.asarray(s.train_labels)) for language, s in mlma.items()}
    best, report = choose(dX, dy, mlma_sets)
    params = {key: best[key] for key in GRID}
    model = _fit(dX, dy, list(mlma_sets.values()), params)
    d_p = model.predict_proba(common.features(davidson.test_texts))
    hate_f1, macro = _davidson_scores(np.asarray(davidson.test_labels), d_p, best["hate_threshold"])
    metrics = {"davidson_hate_f1": hate_f1, "davidson_macro_f1": macro}
    for language, split in mlma.items():
        metrics[f"mlma_{language}_macro_f1"] = _mlma_score(
            np.asarray(split.test_labels), model.predict_proba(common.features(split.test_texts)), best["hostile_below"][language])
    baselines = {
        f"mlma_{language}_macro_f1_plain_tfidf_lr": common.macro_f1(
            (np.asarray(s.test_labels) != NEITHER).astype(int),
            (common.plain_baseline(s.train_texts, s.train_labels, s.test_texts) != NEITHER).astype(int),
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
        "hyperparameters": {**params, "selected_on": f"joint {FOLDS}-fold stratified CV (seed 0) on the training parts"},
        "model_selection": {"cv": report},
        "decision_rule_for_metrics": {
            "davidson": f"hate when P(hate) >= {best['hate_threshold']}, else argmax of P(offensive), P(neither)",
            "mlma": "hostile when P(neither) < hostile_below[language]",
            "hate_threshold": best["hate_threshold"],
            "hostile_below": best["hostile_below"],
            "chosen_on": "out-of-fold probabilities of the CV above",
        },
        "metrics": common.rounded(metrics),
        "baselines": common.rounded(baselines),
    })


if __name__ == "__main__":
    main()
