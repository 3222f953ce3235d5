"""Train the chit-chat model: is a post about this help center's domain, or everyday chit-chat?

Binary: 1 = chit-chat / off the community's domain (films, football, birthdays, food, holidays, a
car for sale), 0 = help-center text about the contact-centre product (questions, answers,
thank-you replies, complaints, even rude or promotional ones: they are about the product).

Training data (deterministic, no sampling):

* the team's help-center corpus, **train split only** (``training/helpcenter/train_*.jsonl``):
  posts labelled ``off_topic`` are 1, every other post is 0 (opening posts read as title + body,
  replies as body, exactly as the check reads them); the distinct titles of on-topic threads are
  extra 0s. Positives weigh ``POSITIVE_WEIGHT`` (they are few and they are the target domain);
  posts labelled offensive, threats, hate_speech or sms_language weigh ``HEATED_WEIGHT``: they
  are about the product in the register of public chat, and without the weight rude posts about
  the product read as chit-chat;
* everyday chit-chat as 1: SMS Spam Collection *ham* messages (EN, permissive licence) and the
  non-toxic French forum comments of ToxiFrench (MIT), messages of 4 words or more; each language's
  set weighs ``public_weight`` times half the corpus rows (so that English, with five times more
  public rows, is not read as chattier than French);
* technical comments as 0: the DataCamp tutorial comments labelled not spam (EN; licence not
  stated, noted in the model card), weight 0.5 each.

The dev split chooses C and the public weight: the best mean, over EN and FR, of the recall at
the highest probability that flags at most 3% of the language's clean dev posts (the goal of
issue 11), then the better ROC AUC; the test split is never read. Metrics reported: dev ROC AUC, and recall / clean posts flagged per
language at a few probabilities.

    .venv/bin/python -m training chit_chat
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import roc_auc_score

from training import common, data
from training.datasets import dataset_file
from worker.classifiers._features import featurize

NAME = "chit_chat"
VERSION = "1.0.0"
CORPUS = data.REPO / "training" / "helpcenter"
# Public weights below 0.15 score a little higher on dev (0.9855 at 0.1), but nearly all the
# corpus's chit-chat, in train and in dev, was written by one writer: lower weights win by fitting
# that writer's style, and the test split was written by other people. The public share stays.
# C = 1 ties with C = 3 on dev recall but squeezes every probability into a narrow band (clean posts
# 0.1-0.25, chit-chat 0.25-0.5), where a threshold is fragile: it is left out.
GRID = {"C": [3.0, 10.0], "public_weight": [0.15, 0.3]}
POSITIVE_WEIGHT = 3.0
TECHNICAL_WEIGHT = 0.5
HEATED_WEIGHT = 4.0
HEATED = frozenset({"offensive", "threats", "hate_speech", "sms_language"})
MIN_WORDS = 4
POINTS = (0.3, 0.4, 0.5, 0.6, 0.7)
CATEGORY = "off_topic"
MAX_CLEAN_FLAGGED = 0.03


def corpus(split: str) -> list[dict]:
    """The help-center posts of one split (``train`` or ``dev``; this module never asks for test)."""
    if split == "test":
        raise ValueError("the test split is never used for training or selection")
    records = []
    for path in sorted(CORPUS.glob(f"{split}_*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    return records


def fields(record: dict) -> tuple[str, str]:
    """(title, body) as the check sees them: replies have no title of their own."""
    title = "" if record.get("reply_to") else (record.get("title") or "")
    return title, record["body"]


def sms_ham() -> list[str]:
    texts = []
    with dataset_file("sms-spam-collection", "SMSSpamCollection").open(encoding="utf-8") as file:
        for line in file:
            label, _, text = line.rstrip("\n").partition("\t")
            if label == "ham":
                texts.append(text)
    return texts


def french_forum_chat() -> list[str]:
    texts = []
    for name, column in (("ToxiFrenchBalanced.csv", "label"), ("toxifrench_agreement_sample.csv", "human_label_1")):
        with dataset_file("fr-toxifrench-bench", name).open(encoding="utf-8", newline="") as file:
            texts += [row["content"] for row in csv.DictReader(file) if row[column] == "0"]
    return texts


def technical_comments() -> list[str]:
    path = dataset_file("en-blog-comment-spam-datacamp", "datacamp_tutorial_comments_spam.csv")
    with path.open(encoding="utf-8", newline="") as file:
        return [row["comment"] for row in csv.DictReader(file) if row["label"] == "0"]


def long_enough(texts: Sequence[str]) -> list[str]:
    return sorted({text for text in texts if len(text.split()) >= MIN_WORDS})


def training_set(train: list[dict], public_weight: float, chats: dict[str, list[str]], technical: list[str]):
    chat = [text for language in sorted(chats) for text in chats[language]]
    chat_weights = [public_weight * len(train) / len(chats) / len(chats[language])
                    for language in sorted(chats) for _ in chats[language]]
    titles = sorted({r["topic_title"] for r in train if r.get("topic_title") and CATEGORY not in r["labels"]
                     and "unclear_title" not in r["labels"]})
    rows = [fields(r) for r in train] + [("", t) for t in titles] + [("", t) for t in chat] + [("", t) for t in technical]
    labels = [int(CATEGORY in r["labels"]) for r in train] + [0] * len(titles) + [1] * len(chat) + [0] * len(technical)
    weights = ([_corpus_weight(r["labels"]) for r in train] + [1.0] * len(titles)
               + chat_weights + [TECHNICAL_WEIGHT] * len(technical))
    return featurize(rows).matrix, np.asarray(labels), np.asarray(weights)


def _corpus_weight(labels: list[str]) -> float:
    if CATEGORY in labels:
        return POSITIVE_WEIGHT
    # rude, threatening or textese posts about the product are still about the product; public chat
    # shares their register, so they count more to keep the domain, not the tone, deciding
    return HEATED_WEIGHT if HEATED.intersection(labels) else 1.0


def rates(probabilities: np.ndarray, records: list[dict], point: float) -> dict[str, float]:
    found = {}
    for language in ("en", "fr"):
        positive = [p for p, r in zip(probabilities, records, strict=True) if CATEGORY in r["labels"] and r["lang"] == language]
        clean = [p for p, r in zip(probabilities, records, strict=True) if not r["labels"] and r["lang"] == language]
        found[f"{language}_recall"] = float(np.mean(np.asarray(positive) >= point)) if positive else float("nan")
        found[f"{language}_clean_flagged"] = float(np.mean(np.asarray(clean) >= point)) if clean else float("nan")
    return found


def recall_at_goal(probabilities: np.ndarray, records: list[dict], language: str) -> tuple[float, float]:
    """(recall, point): the lowest point flagging at most MAX_CLEAN_FLAGGED of the clean posts, and its recall."""
    clean = np.sort([p for p, r in zip(probabilities, records, strict=True) if not r["labels"] and r["lang"] == language])
    positive = np.asarray([p for p, r in zip(probabilities, records, strict=True)
                           if CATEGORY in r["labels"] and r["lang"] == language])
    allowed = int(MAX_CLEAN_FLAGGED * len(clean))
    point = float(clean[len(clean) - allowed - 1]) + 1e-6  # strictly above the first clean post not allowed
    return float(np.mean(positive >= point)), point


def main() -> None:
    train, dev = corpus("train"), corpus("dev")
    chats = {"en": long_enough(sms_ham()), "fr": long_enough(french_forum_chat())}
    technical = long_enough(technical_comments())
    dev_X = featurize([fields(r) for r in dev]).matrix
    dev_y = np.asarray([int(CATEGORY in r["labels"]) for r in dev])
    scores, best = {}, None
    for public_weight in GRID["public_weight"]:
        X, y, weights = training_set(train, public_weight, chats, technical)
        for C in GRID["C"]:
            model = common.fit_lr(X, y, C=C, sample_weight=weights)
            probabilities = model.predict_proba(dev_X)[:, 1]
            auc = float(roc_auc_score(dev_y, probabilities))
            goal = float(np.mean([recall_at_goal(probabilities, dev, language)[0] for language in ("en", "fr")]))
            scores[f"C={C}, public_weight={public_weight}"] = {"roc_auc": round(auc, 4),
                                                               "mean_recall_at_3pct_clean_flagged": round(goal, 4)}
            print(f"C={C} public_weight={public_weight}: dev AUC {auc:.4f}, recall at 3% flagged {goal:.3f}", file=sys.stderr)
            key = (round(goal, 4), round(auc, 4), -C, -public_weight)
            if best is None or key > best[0]:
                best = (key, C, public_weight, model)
    assert best is not None
    _, C, public_weight, model = best
    dev_probabilities = model.predict_proba(dev_X)[:, 1]
    common.save(NAME, model, {
        "model_version": VERSION,
        "task": "P(chit-chat, off the help center's domain); classes 0 = help-center text, 1 = chit-chat",
        "classes": {"0": "help-center text", "1": "chit-chat"},
        "bad_class": 1,
        "training_data": [
            "training/helpcenter/train_*.jsonl (the team's corpus, train split only; off_topic = 1, others = 0, "
            "plus on-topic thread titles = 0)",
            "sms-spam-collection/SMSSpamCollection ham messages as chit-chat (Almeida et al. 2011, permissive custom licence)",
            "fr-toxifrench-bench ToxiFrenchBalanced.csv + toxifrench_agreement_sample.csv non-toxic comments as "
            "chit-chat (AxelDlv00/ToxiFrench, MIT)",
            "en-blog-comment-spam-datacamp not-spam comments as technical text (licence not stated)",
        ],
        "split": {"helpcenter": "train split for fitting, dev split for selection, test split never read"},
        "seed": data.SEED,
        "hyperparameters": {"C": C, "public_weight": public_weight, "positive_weight": POSITIVE_WEIGHT,
                            "technical_weight": TECHNICAL_WEIGHT, "min_words_public": MIN_WORDS,
                            "selected_on": "help-center dev split: mean EN/FR recall at <= 3% clean posts flagged, "
                                           "then ROC AUC"},
        "model_selection": {"dev": scores},
        "rows": {"corpus_train": len(train), "public_chit_chat_en": len(chats["en"]), "public_chit_chat_fr": len(chats["fr"]),
                 "technical_comments": len(technical)},
        "decision_rule_for_metrics": "chit-chat when P >= point (the off_topic check adds the thread title and "
                                     "acknowledgements on top; see bench.helpcenter for the category)",
        "metrics": {"dev_roc_auc": round(float(roc_auc_score(dev_y, dev_probabilities)), 4),
                    **{f"dev_{language}_recall_at_3pct_clean_flagged": dict(zip(
                        ("recall", "point"), (round(v, 4) for v in recall_at_goal(dev_probabilities, dev, language))))
                       for language in ("en", "fr")},
                    **{f"dev_at_{point}": common.rounded(rates(dev_probabilities, dev, point)) for point in POINTS}},
    })


if __name__ == "__main__":
    main()
