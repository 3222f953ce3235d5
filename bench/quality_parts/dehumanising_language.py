"""dehumanising_language: how much the rule adds to the hate_speech classifier, on held-out public data.

    .venv/bin/python -m bench.quality_parts.dehumanising_language

Splits are ``training.data``'s (stratified 20% test split, seed 42, over the file's rows in file
order); the rule's word lists were written without looking at these test parts. A post is
"reported" by the rule when it yields any hit (dehumanising, exclusion_or_violence or slur); the
text is screened as a plain-text post in the dataset's language.

Rows:
  * MLMA EN and FR (Ousidhoum et al. 2019): precision and recall of the rule for the "hateful"
    label (any annotation containing ``hateful``, i.e. ``data.mlma_class == HATE``); the shipped
    classifier with its Davidson decision rule (hate when P(hate) >= the artifact's
    ``hate_threshold``, 0.175) on the same split, for reference;
  * Davidson et al. 2017: precision and recall of the hate class for the rule alone and for the
    shipped classifier OR the rule (the classifier half loaded as bench/quality_parts/classifiers.py
    loads it); the classifier alone and the authors' published figures for reference.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from training import data
from worker.assembly import read_check_data
from worker.classifiers import _artifacts
from worker.classifiers._features import featurize_texts
from worker.document import Document
from worker.rules.dehumanising_language import DehumanisingLanguage
from worker.types import Post

REPO = Path(__file__).resolve().parents[2]

Row = tuple[str, str, str, str]
_CONFIG = REPO / "config" / "checks" / "dehumanising_language.toml"


NEEDS = ("davidson-hate-offensive", "mlma-hate-fr-en")  # datasets read (training.datasets)

def _rule_reports(texts: list[str], language: str) -> np.ndarray:
    rule = DehumanisingLanguage.from_data(read_check_data(_CONFIG))
    reported = []
    for index, text in enumerate(texts):
        post = Post(id=f"bench-{index}", body=text)
        doc = Document.from_post(post, max_body_chars=100_000, regex_timeout=0.25).with_language(language)
        reported.append(bool(list(rule.check(doc))))
    return np.asarray(reported)


def _classifier_hate(texts: list[str]) -> tuple[np.ndarray, float]:
    artifact = _artifacts.load("hate_speech")
    threshold = float(artifact.metadata["decision_rule_for_metrics"]["hate_threshold"])
    probabilities = artifact.model.predict_proba(featurize_texts(texts))
    return probabilities[:, data.HATE] >= threshold, threshold


def _precision_recall(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    true_positives = int(np.sum(predicted & truth))
    precision = true_positives / int(np.sum(predicted)) if np.any(predicted) else 0.0
    recall = true_positives / int(np.sum(truth)) if np.any(truth) else 0.0
    return precision, recall


def _pr(predicted: np.ndarray, truth: np.ndarray) -> str:
    precision, recall = _precision_recall(predicted, truth)
    return f"P {precision:.3f} / R {recall:.3f} ({int(np.sum(predicted))} reported)"


def _mlma_rows() -> list[Row]:
    rows = []
    for language in ("en", "fr"):
        split = data.mlma(language)
        truth = np.asarray(split.test_labels) == data.HATE
        rule = _rule_reports(split.test_texts, language)
        classifier, threshold = _classifier_hate(split.test_texts)
        name = (f"mlma {language.upper()} (\"hateful\" label, {int(truth.sum())} of {len(truth)}; stratified 20% "
                "test split, seed 42)")
        rows.append((name, "rule alone: precision / recall of hateful", _pr(rule, truth),
                     f"none published; shipped classifier (P(hate) >= {threshold}) {_pr(classifier, truth)}; "
                     f"classifier OR rule {_pr(classifier | rule, truth)}"))
    return rows


def _davidson_rows() -> list[Row]:
    split = data.davidson()
    truth = np.asarray(split.test_labels) == data.HATE
    rule = _rule_reports(split.test_texts, "en")
    classifier, threshold = _classifier_hate(split.test_texts)
    name = f"davidson (hate class, {int(truth.sum())} of {len(truth)}; stratified 20% test split, seed 42)"
    published = "authors' LR (in-sample) P 0.44 / R 0.61"
    return [
        (name, "rule alone: precision / recall of hate", _pr(rule, truth), published),
        (name, f"classifier (P(hate) >= {threshold}) OR rule: precision / recall of hate", _pr(classifier | rule, truth),
         f"{published}; shipped classifier alone {_pr(classifier, truth)}"),
    ]


def rows() -> list[Row]:
    return [*_mlma_rows(), *_davidson_rows()]


if __name__ == "__main__":
    print("| dataset | metric | modscreen | published baseline / goal |\n|---|---|---|---|")
    for row in rows():
        print("| " + " | ".join(row) + " |")
