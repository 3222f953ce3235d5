"""The public datasets and their splits, exactly as the quality report and the model cards define them.

Datasets are read in place from the datasets folder (``MODSCREEN_DATASETS``, see ``training.datasets``;
never copied into the repository).
Every split is ``train_test_split(rows, test_size=0.2, random_state=42, stratify=labels)`` over
the file's rows in file order, except Kaggle insults, whose verification set is its own file.
"""

from __future__ import annotations

import csv
import html
import json
from dataclasses import dataclass
from pathlib import Path

import regex
from sklearn.model_selection import train_test_split

from training.datasets import dataset_file

REPO = Path(__file__).resolve().parents[1]
SEED = 42
TEST_SIZE = 0.2

# Davidson hate / offensive / neither, as its `class` column numbers them
HATE, OFFENSIVE, NEITHER = 0, 1, 2
_RETWEET = regex.compile(r"(?<!\w)RT(?!\w)|&#?\w{1,8};")


@dataclass(frozen=True)
class Split:
    name: str
    train_texts: list[str]
    train_labels: list[int]
    test_texts: list[str]
    test_labels: list[int]
    description: str


def _split(name: str, texts: list[str], labels: list[int], description: str) -> Split:
    rows = list(range(len(texts)))
    train, test = train_test_split(rows, test_size=TEST_SIZE, random_state=SEED, stratify=labels)
    return Split(
        name,
        [texts[i] for i in train], [labels[i] for i in train],
        [texts[i] for i in test], [labels[i] for i in test],
        description,
    )


def clean_tweet(text: str) -> str:
    """Twitter artefacts the forum never has: "RT" markers and HTML entities left undecoded."""
    return _RETWEET.sub(lambda m: "" if m.group() == "RT" else html.unescape(m.group()), text)


def davidson() -> Split:
    """Davidson et al. 2017: class 0 hate, 1 offensive, 2 neither; stratified 20% test split, seed 42."""
    path = dataset_file("davidson-hate-offensive", "labeled_data.csv")
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    texts = [clean_tweet(row["tweet"]) for row in rows]
    labels = [int(row["class"]) for row in rows]
    return _split("davidson", texts, labels, "stratified 20% test split of labeled_data.csv, seed 42")


def mlma_class(sentiment: str) -> int:
    """MLMA's multi-label hostility type as a Davidson class (see the hate_speech model card).

    Any row an annotator pair marked ``hateful`` is hate; a row marked only ``normal`` is
    neither; every other hostility (offensive, abusive, disrespectful, fearful, or a mix with
    normal) is offensive. For the binary normal-vs-hostile task the dataset README defines,
    hostile is everything but exactly ``normal``, i.e. classes hate and offensive.
    """
    labels = set(sentiment.split("_"))
    if "hateful" in labels:
        return HATE
    if labels == {"normal"}:
        return NEITHER
    return OFFENSIVE


def mlma(language: str) -> Split:
    """MLMA (Ousidhoum et al. 2019) in "fr" or "en", 3-class as mlma_class; stratified 20% test split, seed 42."""
    path = dataset_file("mlma-hate-fr-en", f"{language}_dataset.csv")
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    texts = [row["tweet"] for row in rows]
    labels = [mlma_class(row["sentiment"]) for row in rows]
    return _split(f"mlma-{language}", texts, labels, f"stratified (3-class) 20% test split of {language}_dataset.csv, seed 42")


def _jsonl(name: str) -> tuple[list[str], list[int]]:
    path = dataset_file("kaggle-insults", name)
    with path.open(encoding="utf-8") as file:
        rows = [json.loads(line) for line in file if line.strip()]
    return [row["text"] for row in rows], [int(row["Insult"]) for row in rows]


def kaggle_insults() -> Split:
    """Kaggle insults: train on train.csv + test_with_solutions.csv (both labelled, in that order),
    test on the verification set (never seen in training or model selection)."""
    train_texts, train_labels = _jsonl("train.decoded.jsonl")
    more_texts, more_labels = _jsonl("test_with_solutions.decoded.jsonl")
    test_texts, test_labels = _jsonl("impermium_verification_labels.decoded.jsonl")
    return Split("kaggle-insults", train_texts + more_texts, train_labels + more_labels, test_texts, test_labels,
                 "train.csv + test_with_solutions.csv (decoded) for training and CV; "
                 "impermium_verification_labels.csv for testing only")


def sms_spam() -> Split:
    """SMS Spam Collection: 1 spam, 0 ham; stratified 20% test split, seed 42."""
    path = dataset_file("sms-spam-collection", "SMSSpamCollection")
    texts, labels = [], []
    with path.open(encoding="utf-8") as file:
        for line in file:
            label, _, text = line.rstrip("\n").partition("\t")
            texts.append(text)
            labels.append(1 if label == "spam" else 0)
    return _split("sms-spam-collection", texts, labels, "stratified 20% test split of SMSSpamCollection, seed 42")
