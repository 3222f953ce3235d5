"""The hate_speech and insults models on the public sets added for issue 11, beside a plain baseline.

Loads the shipped artifacts (trains none of them) and scores the held-out part of each set as
``training.data`` splits it (fixed seeds; the models never saw these rows). Beside each figure, a
plain TF-IDF + logistic regression (scikit-learn defaults, word unigrams) trained on the same
set's training part only: the reference every model must beat. Figures are ROC AUC of the
model's score against the set's own binary label (threshold-free, so no operating point is
needed to compare). Which score is read:

* hate sets (Stormfront, HateDay, French hate superset): hate_speech P(hate);
* toxicity / abuse / offensive sets: insults P(insult), the ``offensive`` category's model, and
  1 - P(neither) of hate_speech (its "hostile" score), each on its own row.

Evaluation-only sets (research-only or unclear licences: French hate superset, Jigsaw 2020
validation, HateDay) have no training part we may use, so no baseline is trained on them.

    .venv/bin/python -m bench.quality_parts.public_sets
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from training import data
from worker.classifiers import _artifacts
from worker.classifiers._features import featurize_texts

Row = tuple[str, str, str, str]

NEEDS = (  # datasets read (training.datasets)
    "en-stormfront-forum-hate", "en-civilcomments-toxicspans", "en-convabuse", "en-jigsaw2018-subset",
    "en-olid-offenseval2019", "fr-toxifrench-bench", "fr-cyberagressionado-v2", "fr-hate-superset",
    "multi-jigsaw2020-validation",
)

HATE_SETS = {"en-stormfront-forum-hate", "fr-hateday", "fr-hate-superset"}


@cache
def _model(name: str, directory: Path = _artifacts.ARTIFACTS):
    return _artifacts.load(name, directory).model


def _scores(texts: list[str], directory: Path = _artifacts.ARTIFACTS) -> dict[str, np.ndarray]:
    """Each model score of every text: insults P(insult), hate_speech P(hate) and 1 - P(neither)."""
    X = featurize_texts(texts)
    hate = _model("hate_speech", directory).predict_proba(X)
    insult = _model("insults", directory).predict_proba(X)[:, 1]
    return {"insults P(insult)": insult, "hate_speech P(hate)": hate[:, data.HATE],
            "hate_speech 1 - P(neither)": 1.0 - hate[:, data.NEITHER]}


def _plain_baseline_auc(split: data.TaggedSplit, rows: np.ndarray) -> float:
    vectorizer = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(split.train_texts), split.train_labels)
    probabilities = model.predict_proba(vectorizer.transform([split.test_texts[i] for i in rows]))[:, 1]
    return float(roc_auc_score(np.asarray(split.test_labels)[rows], probabilities))


def _rows_of(split: data.TaggedSplit, directory: Path = _artifacts.ARTIFACTS) -> list[Row]:
    scores = _scores(split.test_texts, directory)
    labels = np.asarray(split.test_labels)
    languages = sorted({t.lang for t in split.test_tags})
    groups = [("all", np.arange(len(labels)))]
    if len(languages) > 1:
        groups += [(lang, np.asarray([i for i, t in enumerate(split.test_tags) if t.lang == lang])) for lang in languages]
    wanted = ["hate_speech P(hate)"] if split.name in HATE_SETS else ["insults P(insult)", "hate_speech 1 - P(neither)"]
    rows = []
    for group, idx in groups:
        positives = int(labels[idx].sum())
        name = f"{split.name} ({group}; {split.description}; {len(idx)} rows, {positives} positive)"
        baseline = ("evaluation only: no training part, no baseline" if split.use == "eval"
                    else f"plain TF-IDF+LR on the same split {_plain_baseline_auc(split, idx):.3f}")
        for which in wanted:
            rows.append((name, f"ROC AUC, {which}", f"{roc_auc_score(labels[idx], scores[which][idx]):.3f}", baseline))
    return rows


SPLITS: tuple[Callable[[], data.TaggedSplit], ...] = (
    data.stormfront, data.civil_comments, data.convabuse, data.jigsaw2018, data.olid, data.toxifrench,
    data.cyberagression, data.hateday_fr, data.fr_hate_superset, data.jigsaw2020_validation,
)


def rows(directory: Path = _artifacts.ARTIFACTS) -> list[Row]:
    """The table; ``directory`` lets the same figures be measured for other artifacts (e.g. a previous release)."""
    return [row for make in SPLITS for row in _rows_of(make(), directory)]


if __name__ == "__main__":
    print("| dataset | metric | modscreen | plain baseline |\n|---|---|---|---|")
    for row in rows():
        print("| " + " | ".join(row) + " |")
