"""Train the hate_speech model, 3 classes hate / offensive / neither: Davidson (EN) + MLMA (FR, EN) + the
public forum, comment and French sets whose licence allows it + the team's help-center corpus.

The check reports P(hate). The model is trained 3-class because that is how Davidson is
labelled and measured, and because separating "offensive" from "hate" is the whole difficulty:
a swear word alone must not read as hate. MLMA rows are mapped with ``data.mlma_class``, the other
public sets as their loaders in ``training.data`` say (Stormfront hate / noHate; Civil Comments
identity attack / toxic / not; ConvAbuse identity-based abuse / abuse / not; Jigsaw 2018
identity_hate / toxic / clean, EN and FR MT; OLID OFF / NOT; ToxiFrench and CyberAgressionAdo
toxic or aggressive / not), and help-center posts hate_speech -> hate, offensive or threats ->
offensive, clean or any other category -> neither.

Model selection uses the training parts only: a joint 3-fold stratified cross-validation (seed 0)
over the Davidson and MLMA training parts (the other sources always in training, with their row
weights) picks the row weight of the public sets, and, from the out-of-fold probabilities, the
decision rules the metrics use:

* Davidson: hate when P(hate) >= ``hate_threshold`` (chosen for the hate F1), else the larger of
  P(offensive) and P(neither);
* MLMA normal vs hostile: hostile when P(neither) < ``hostile_below[language]`` (chosen for the
  macro F1 of that language).

The score of a configuration is the mean of the four CV scores and of the ROC AUC of P(hate) for
``hate_speech`` on the help-center dev split (from the model fitted on all training parts, which
is then kept); the test parts only give the metrics.

    .venv/bin/python -m training hate_speech
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from training import common, data, public
from training.data import HATE, NEITHER, OFFENSIVE

NAME = "hate_speech"
VERSION = "3.0.0"
GRID = {"C": [1.5], "hate_weight": [1.0], "mlma_weight": [0.3], "public_weight": [0.3], "helpcenter_weight": [3.0]}
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


def _fit(davidson_X, davidson_y, mlma_parts, extra: list[public.Part], params):
    """Davidson (weight 1) + MLMA (mlma_weight) + the public sets and help-center rows (their own weights)."""
    parts = [public.Part("davidson", davidson_X, np.asarray(davidson_y), 1.0),
             *(public.Part("mlma", X, np.asarray(y), params["mlma_weight"]) for X, y in mlma_parts), *extra]
    X, y, w = public.stack(parts)
    return common.fit_lr(X, y, C=params["C"], class_weight={HATE: params["hate_weight"], OFFENSIVE: 1.0, NEITHER: 1.0},
                         sample_weight=w)


def _extra(public_parts, helpcenter, params) -> list[public.Part]:
    return [*public.reweighted(public_parts, params["public_weight"]),
            *public.reweighted([helpcenter], params["helpcenter_weight"])]


def _dev_auc(model, dev: public.Part) -> float:
    return float(roc_auc_score(dev.y == HATE, model.predict_proba(dev.X)[:, HATE]))


def choose(dX, dy, mlma_sets, public_parts, helpcenter, dev):
    """Joint k-fold CV: fold i trains on fold-train of Davidson and MLMA (+ every other source), predicts every fold-val."""
    d_folds = common.folds(dy, FOLDS)
    m_folds = {language: common.folds(y, FOLDS) for language, (_, y) in mlma_sets.items()}
    best, best_score, best_model, report = None, -1.0, None, []
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID, values, strict=True))
        extra = _extra(public_parts, helpcenter, params)
        d_p = np.zeros((len(dy), 3))
        m_p = {language: np.zeros((len(y), 3)) for language, (_, y) in mlma_sets.items()}
        for i in range(FOLDS):
            d_fit, d_val = d_folds[i]
            parts = [(X[m_folds[language][i][0]], y[m_folds[language][i][0]]) for language, (X, y) in mlma_sets.items()]
            model = _fit(dX[d_fit], dy[d_fit], parts, extra, params)
            d_p[d_val] = model.predict_proba(dX[d_val])
            for language, (X, _) in mlma_sets.items():
                val = m_folds[language][i][1]
                m_p[language][val] = model.predict_proba(X[val])
        m_y = {language: y for language, (_, y) in mlma_sets.items()}
        found = rules(dy, d_p, m_y, m_p)
        hate_f1, macro = _davidson_scores(dy, d_p, found["hate_threshold"])
        model = _fit(dX, dy, list(mlma_sets.values()), extra, params)
        scores = {"davidson_hate_f1": hate_f1, "davidson_macro_f1": macro,
                  **{f"mlma_{lang}_macro_f1": _mlma_score(m_y[lang], m_p[lang], found["hostile_below"][lang]) for lang in m_y},
                  "helpcenter_dev_roc_auc": _dev_auc(model, dev)}
        score = float(np.mean(list(scores.values())))
        line = {**params, **found, **{k: round(v, 4) for k, v in scores.items()}}
        report.append(line)
        print(line, file=sys.stderr, flush=True)
        if score > best_score:
            best, best_score, best_model = line, score, model
    return best, best_model, report


def main() -> None:
    davidson = data.davidson()
    mlma = {language: data.mlma(language) for language in ("en", "fr")}
    dX, dy = common.features(davidson.train_texts), np.asarray(davidson.train_labels)
    mlma_sets = {language: (common.features(s.train_texts), np.asarray(s.train_labels)) for language, s in mlma.items()}
    public_parts = public.public_parts("hate", 1.0)
    helpcenter = public.helpcenter_part("hate", 1.0)
    dev = public.helpcenter_part("hate", 1.0, "dev")
    best, model, report = choose(dX, dy, mlma_sets, public_parts, helpcenter, dev)
    params = {key: best[key] for key in GRID}
    d_p = model.predict_proba(common.features(davidson.test_texts))
    hate_f1, macro = _davidson_scores(np.asarray(davidson.test_labels), d_p, best["hate_threshold"])
    metrics = {"davidson_hate_f1": hate_f1, "davidson_macro_f1": macro}
    for language, split in mlma.items():
        metrics[f"mlma_{language}_macro_f1"] = _mlma_score(
            np.asarray(split.test_labels), model.predict_proba(common.features(split.test_texts)), best["hostile_below"][language])
    metrics["helpcenter_dev_roc_auc"] = best["helpcenter_dev_roc_auc"]
    plain_davidson = common.plain_baseline(davidson.train_texts, davidson.train_labels, davidson.test_texts)
    plain_per_class = f1_score(davidson.test_labels, plain_davidson, average=None, labels=[HATE, OFFENSIVE, NEITHER])
    baselines = {
        "davidson_hate_f1_plain_tfidf_lr": plain_per_class[HATE],
        "davidson_macro_f1_plain_tfidf_lr": plain_per_class.mean(),
        **{
            f"mlma_{language}_macro_f1_plain_tfidf_lr": common.macro_f1(
                (np.asarray(s.test_labels) != NEITHER).astype(int),
                (common.plain_baseline(s.train_texts, s.train_labels, s.test_texts) != NEITHER).astype(int),
            )
            for language, s in mlma.items()
        },
    }
    rows = {p.name: [int(len(p.y)), int((p.y == HATE).sum())] for p in [*public_parts, helpcenter]}
    common.save(NAME, model, {
        "model_version": VERSION,
        "task": "P(hate) of a 3-class hate / offensive / neither model (classes 0 / 1 / 2)",
        "classes": {"0": "hate", "1": "offensive", "2": "neither"},
        "bad_class": HATE,
        "training_data": [
            "davidson-hate-offensive/labeled_data.csv (Davidson et al. 2017, MIT)",
            "mlma-hate-fr-en/en_dataset.csv and fr_dataset.csv (Ousidhoum et al. 2019, MIT)",
            *[public.DESCRIPTIONS[name] for name in rows],
        ],
        "training_rows_and_hate_rows": {"davidson-hate-offensive": [int(len(dy)), int((dy == HATE).sum())],
                                        **{f"mlma-{lang}": [int(len(y)), int((y == HATE).sum())] for lang, (_, y) in mlma_sets.items()},
                                        **rows},
        "mlma_label_mapping": "hateful anywhere -> hate; exactly normal -> neither; anything else -> offensive",
        "split": {**{s.name: s.description for s in (davidson, *mlma.values())},
                  **{s.name: s.description for s in (make() for make in public.TRAINING_SETS)},
                  "helpcenter": "train split to train, dev split for model selection, test split never read"},
        "seed": data.SEED,
        "hyperparameters": {**params, "selected_on": f"joint {FOLDS}-fold stratified CV (seed 0) on the Davidson and MLMA "
                                                     "training parts + help-center dev ROC AUC"},
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
