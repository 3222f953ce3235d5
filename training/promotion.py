"""Train the promotion model: spam and business self-promotion, from four sources.

Binary: 1 = spam / promotion. Training data (each source's training part only):
  * SMS Spam Collection, stratified 80% (seed 42): prizes, "text WIN to", premium numbers;
  * Instagram scam comments (unique texts), stratified 80% (seed 42): "investment manager" solicitations,
    "reach out to @handle";
  * DataCamp blog comment spam (labelled rows), stratified 80% (seed 42): fake support numbers, SEO links;
  * the team's help-center corpus, train split (``training/helpcenter/train_*.jsonl``): 1 when the post
    is labelled ``advertising`` (resellers, consultants, agencies, training offers, products for
    sale), 0 for every other post, clean or not; read as the engine reads it (screened title + body).
The 20% test parts and the help-center test split are never seen; the help-center dev split is used
for model selection only.

Features: the shared featurizer plus the promotion markers (``worker/classifiers/_promotion_features``).
Model: IDF + L2 logistic regression (``common.fit_lr``), sample weights per source (``WEIGHTS``).

Selection: 5-fold cross-validation (stratified by source and label, seed 0) over the union of the
training parts gives out-of-fold scores for every public training row. C is the grid value with the
best mean ROC AUC over the SMS, Instagram and blog out-of-fold scores and the help-center dev split
(the model refitted on all training parts). Operating points, each from out-of-fold scores of that
source's training part: SMS as before (best accuracy among the points blocking at most 0.2% of ham,
the product goal; then fewer ham blocked); Instagram and blog, best F1.

    .venv/bin/python -m training promotion
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from training import common, data
from worker.classifiers._promotion_features import EXTRA_FEATURES_VERSION, promotion_matrix
from worker.document import Document
from worker.types import Post

NAME = "promotion"
VERSION = "3.0.0"
GRID = {"C": [30.0, 100.0]}
# Sample weight of each source's rows. SMS and blog spam are the smallest or the most distinct sets;
# the help-center rows are the domain the model serves. Fixed in development on the same CV and dev split.
WEIGHTS = {"sms": 2.0, "instagram": 1.0, "blog": 3.0, "helpcenter": 3.0}
POINTS = np.round(np.arange(0.1, 0.801, 0.05), 3)
MAX_HAM_BLOCKED = 0.002
CATEGORY = "advertising"
LICENCES = {
    "sms": "sms-spam-collection/SMSSpamCollection (Almeida et al. 2011): custom permissive licence (free use, "
           "attribution, no warranty; authors' readme)",
    "instagram": "en-instagram-scam-comments/instagram_scam_comments.csv (ScamSpot, Erben 2023): MIT",
    "blog": "en-blog-comment-spam-datacamp/datacamp_tutorial_comments_spam.csv (Desmond00/DatacampArticleSentimentAnalysis):"
            " no licence stated; used for training under the team's rule for 'not stated' licences (README of the"
            " datasets folder), noted here",
    "helpcenter": "training/helpcenter/train_*.jsonl: written by the team for this project (train split only)",
}


@dataclass(frozen=True)
class Source:
    name: str
    fields: list[tuple[str, str]]
    labels: np.ndarray


def rates(probabilities: np.ndarray, labels: np.ndarray, point: float) -> dict[str, float]:
    blocked = probabilities >= point
    return {
        "accuracy": float(np.mean(blocked == (labels == 1))),
        "spam_caught": float(np.mean(blocked[labels == 1])),
        "ham_blocked": float(np.mean(blocked[labels == 0])),
    }


def sms_point(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, dict[str, float]]:
    def key(found: dict[str, float]) -> tuple[bool, float, float]:
        return (found["ham_blocked"] <= MAX_HAM_BLOCKED, round(found["accuracy"], 4), -found["ham_blocked"])

    point = max(POINTS, key=lambda p: key(rates(probabilities, labels, float(p))))
    return float(point), rates(probabilities, labels, float(point))


def f1_point(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    best = max(POINTS, key=lambda p: (round(f1_score(labels, probabilities >= p), 4), -p))
    return float(best), float(f1_score(labels, probabilities >= best))


def plain_fields(texts: list[str]) -> list[tuple[str, str]]:
    return [("", text) for text in texts]


def helpcenter_fields(records: list[dict]) -> list[tuple[str, str]]:
    """(title, body) as the engine screens them: markup read, code and quotes set aside."""
    fields = []
    for record in records:
        post = Post.model_validate({key: record.get(key) for key in ("id", "body", "title", "topic_id", "topic_title",
                                                                     "reply_to")} | {"format": record.get("format") or "text"})
        doc = Document.from_post(post, max_body_chars=100_000, regex_timeout=1.0)
        fields.append((doc.title.text if doc.title is not None else "", doc.body.text))
    return fields


def helpcenter_labels(records: list[dict]) -> np.ndarray:
    return np.asarray([int(CATEGORY in record["labels"]) for record in records])


OPTIONAL_SPLITS = {"instagram": ("en-instagram-scam-comments", data.instagram_scam),
                   "blog": ("en-blog-comment-spam-datacamp", data.blog_comment_spam)}
"""The comment-spam sets (``training.extra`` retrains with them when the datasets folder has them)."""


def public_splits() -> dict[str, data.Split]:
    return {"sms": data.sms_spam(), **{key: load() for key, (_, load) in OPTIONAL_SPLITS.items()}}


def main() -> None:
    splits = public_splits()
    train_records, dev_records = data.helpcenter_records("train"), data.helpcenter_records("dev")
    sources = [Source(name, plain_fields(split.train_texts), np.asarray(split.train_labels)) for name, split in splits.items()]
    sources.append(Source("helpcenter", helpcenter_fields(train_records), helpcenter_labels(train_records)))
    X = sp.vstack([promotion_matrix(source.fields) for source in sources]).tocsr()
    y = np.concatenate([source.labels for source in sources])
    origin = np.concatenate([np.full(len(source.labels), i) for i, source in enumerate(sources)])
    weights = np.concatenate([np.full(len(source.labels), WEIGHTS[source.name]) for source in sources])
    dev_X, dev_y = promotion_matrix(helpcenter_fields(dev_records)), helpcenter_labels(dev_records)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), origin * 2 + y))

    best: dict | None = None
    for C in GRID["C"]:
        oof = np.zeros(len(y))
        for fit_rows, val_rows in folds:
            model = common.fit_lr(X[fit_rows], y[fit_rows], C=C, sample_weight=weights[fit_rows])
            oof[val_rows] = model.predict_proba(X[val_rows])[:, 1]
        model = common.fit_lr(X, y, C=C, sample_weight=weights)
        dev_scores = model.predict_proba(dev_X)[:, 1]
        aucs = {source.name: roc_auc_score(source.labels, oof[origin == i]) for i, source in enumerate(sources)
                if source.name != "helpcenter"}
        aucs["helpcenter_dev"] = roc_auc_score(dev_y, dev_scores)
        found = {"C": C, "model": model, "oof": oof, "aucs": common.rounded(aucs), "mean_auc": float(np.mean(list(aucs.values())))}
        print(f"C={C}: out-of-fold / dev ROC AUC {found['aucs']}", file=sys.stderr)
        if best is None or found["mean_auc"] > best["mean_auc"]:
            best = found
    assert best is not None
    model, oof = best["model"], best["oof"]
    in_source = {source.name: (oof[origin == i], source.labels) for i, source in enumerate(sources)}
    sms_op, sms_cv = sms_point(*in_source["sms"])
    points = {"sms": sms_op}
    cv = {"sms": common.rounded(sms_cv)}
    for name in ("instagram", "blog"):
        points[name], cv_f1 = f1_point(*in_source[name])
        cv[name] = {"f1": round(cv_f1, 4)}

    metrics = {}
    for name, split in splits.items():
        scores = model.predict_proba(promotion_matrix(plain_fields(split.test_texts)))[:, 1]
        labels = np.asarray(split.test_labels)
        metrics[name] = common.rounded({
            **(rates(scores, labels, points[name]) if name == "sms" else {"f1": f1_score(labels, scores >= points[name])}),
            "roc_auc": roc_auc_score(labels, scores),
        })
    common.save(NAME, model, {
        "model_version": VERSION,
        "task": "P(spam / promotion); classes 0 = not promotion, 1 = spam or promotion",
        "classes": {"0": "ham", "1": "spam"},
        "bad_class": 1,
        "training_data": [LICENCES[name] for name in ("sms", "instagram", "blog", "helpcenter")],
        "evaluation_only_data": [],
        "split": {split.name: split.description for split in splits.values()} | {
            "helpcenter": "train split trains; dev split selects C; test split never read"},
        "seed": data.SEED,
        "source_weights": WEIGHTS,
        "hyperparameters": {"C": best["C"], "selected_on": "mean ROC AUC of 5-fold CV (stratified by source and label, "
                                                           "seed 0) on SMS, Instagram, blog and of the help-center dev split"},
        "model_selection": {"roc_auc_at_selection": best["aucs"], "cv_at_operating_points": cv},
        "operating_point": points["sms"],
        "operating_points": points,
        "decision_rule_for_metrics": f"flagged when P(promotion) >= the source's operating point {points} (chosen by the same CV)",
        "metrics": metrics,
        "extra_features_version": EXTRA_FEATURES_VERSION,
    })


if __name__ == "__main__":
    main()
