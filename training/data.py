"""The public datasets and their splits, exactly as the quality report and the model cards define them.

Datasets are read in place from the datasets folder (``MODSCREEN_DATASETS``, see ``training.datasets``;
never copied into the repository).
Every split is ``train_test_split(rows, test_size=0.2, random_state=42, stratify=labels)`` over
the file's rows in file order, except: Kaggle insults, whose verification set is its own file;
ConvAbuse and OLID, which keep their authors' train / test files; Stormfront and CyberAgressionAdo,
whose rows are sentences of one forum post or turns of one chat, split by post / chat
(``StratifiedGroupKFold(5, shuffle=True, random_state=42)``, first fold held out) so no post or
chat is on both sides. The sets added for issue 11 carry, per row, the classes each model is trained on
(``Tags``; the mapping of every label scheme is documented on its loader and in the model cards).
"""

from __future__ import annotations

import csv
import html
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import regex
from sklearn.model_selection import StratifiedGroupKFold, train_test_split

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


# ---- issue 11: forum, comment and French sets; each row tagged with what every model learns from it ----

class Tags(NamedTuple):
    """One row's labels: ``task`` is the set's own binary label (what its quality row measures);
    ``hate`` its class for the hate_speech model (HATE / OFFENSIVE / NEITHER); ``insult`` and
    ``threat`` 1 / 0 for the insults and threats components, None where the set does not say."""

    task: int
    hate: int
    insult: int | None
    threat: int | None
    lang: str


@dataclass(frozen=True)
class TaggedSplit:
    name: str
    train_texts: list[str]
    train_tags: list[Tags]
    test_texts: list[str]
    test_tags: list[Tags]
    description: str
    use: str  # "train" (may train a shipped model) or "eval" (evaluation only: train_* are empty)

    @property
    def train_labels(self) -> list[int]:
        return [t.task for t in self.train_tags]

    @property
    def test_labels(self) -> list[int]:
        return [t.task for t in self.test_tags]


def _csv(folder: str, name: str, delimiter: str = ",") -> list[dict[str, str]]:
    with dataset_file(folder, name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter=delimiter))


def _tagged(name, texts, tags, description, *, groups=None, test_rows=None, use="train") -> TaggedSplit:
    rows = list(range(len(texts)))
    if use == "eval":
        train, test = [], rows
    elif test_rows is not None:
        train, test = [i for i in rows if i not in test_rows], sorted(test_rows)
    elif groups is not None:
        folds = StratifiedGroupKFold(5, shuffle=True, random_state=SEED)
        train, test = next(folds.split(rows, [t.task for t in tags], groups))
    else:
        train, test = train_test_split(rows, test_size=TEST_SIZE, random_state=SEED, stratify=[t.task for t in tags])
    return TaggedSplit(name, [texts[i] for i in train], [tags[i] for i in train], [texts[i] for i in test],
                       [tags[i] for i in test], description, use)


def stormfront() -> TaggedSplit:
    """Stormfront sentences: hate -> HATE, noHate -> NEITHER (relation, idk/skip dropped); split by post."""
    rows = [r for r in _csv("en-stormfront-forum-hate", "stormfront_hate_sentences.csv") if r["label"] in ("hate", "noHate")]
    tags = [Tags(int(r["label"] == "hate"), HATE if r["label"] == "hate" else NEITHER, None, None, "en") for r in rows]
    return _tagged("en-stormfront-forum-hate", [r["text"] for r in rows], tags,
                   "hate vs noHate sentences; StratifiedGroupKFold by comment_id (5, seed 42), fold 0 held out",
                   groups=[r["comment_id"] for r in rows])


def civil_comments() -> TaggedSplit:
    """Toxic Spans (Civil Comments): toxic when under half the raters said "not toxic"; insult /
    identity attack / threat when at least half the raters marked a span of that type. Hate class:
    identity attack -> HATE, other toxic -> OFFENSIVE, not toxic -> NEITHER. Stratified on toxic."""
    raters, not_toxic, span_types = defaultdict(set), defaultdict(int), defaultdict(set)
    owner = {}
    for r in _csv("en-civilcomments-toxicspans", "annotations.csv"):
        raters[r["comment_id"]].add(r["annotation"])
        not_toxic[r["comment_id"]] += r["not toxic"] == "True"
        owner[r["annotation"]] = r["comment_id"]
    for r in _csv("en-civilcomments-toxicspans", "spans.csv"):
        span_types[r["annotation"]].add(r["type"])
    texts, tags = [], []
    for r in _csv("en-civilcomments-toxicspans", "comments.csv"):
        votes = raters[r["comment_id"]]
        if not votes:
            continue
        share = {kind: sum(kind in span_types[a] for a in votes) / len(votes)
                 for kind in ("Insult", "Identity based Attack", "Threat")}
        toxic = not_toxic[r["comment_id"]] / len(votes) < 0.5
        hate = HATE if toxic and share["Identity based Attack"] >= 0.5 else (OFFENSIVE if toxic else NEITHER)
        texts.append(r["comment_text"])
        tags.append(Tags(int(toxic), hate, int(toxic and share["Insult"] >= 0.5), int(toxic and share["Threat"] >= 0.5), "en"))
    return _tagged("en-civilcomments-toxicspans", texts, tags, "toxic (rater majority); stratified 20% test split, seed 42")


_IDENTITY_ABUSE = ("racist", "sexist", "homophobic", "transphobic")


def convabuse() -> TaggedSplit:
    """ConvAbuse user turns: abusive when more than half the annotators chose -1/-2/-3 (the first
    value of a repeated cell); abusive with most annotators naming racism, sexism, homo- or
    transphobia -> HATE, other abuse -> OFFENSIVE (and insult), else NEITHER. Authors' split:
    train + valid to train, test held out."""
    texts, tags, test_rows = [], [], set()
    for part in ("train", "valid", "test"):
        for r in _csv("en-convabuse", f"ConvAbuseEMNLP{part}.csv"):
            votes, identity = [], 0
            for n in range(1, 9):
                chosen = [s for s in ("1", "0", "-1", "-2", "-3") if r.get(f"Annotator{n}_is_abuse.{s}", "").split(",")[0].strip() == "1"]
                if chosen:
                    votes.append(int(chosen[0]) < 0)
                    identity += any(r.get(f"Annotator{n}_{k}", "").split(",")[0].strip() == "1" for k in _IDENTITY_ABUSE)
            if not votes:
                continue
            abusive = sum(votes) / len(votes) > 0.5
            hate = HATE if abusive and identity / len(votes) > 0.5 else (OFFENSIVE if abusive else NEITHER)
            if part == "test":
                test_rows.add(len(texts))
            texts.append(r["user"])
            tags.append(Tags(int(abusive), hate, int(abusive), None, "en"))
    return _tagged("en-convabuse", texts, tags, "abusive (annotator majority); authors' split: train+valid / test",
                   test_rows=test_rows)


def jigsaw2018() -> TaggedSplit:
    """Jigsaw 2018 sample, each row in English and in its French machine translation (same side of the
    split): identity_hate -> HATE, other toxic -> OFFENSIVE, else NEITHER; insult, threat as labelled."""
    rows = _csv("en-jigsaw2018-subset", "jigsaw2018_train_subset_with_fr_mt.csv")
    tags = [Tags(int(r["toxic"]), HATE if r["identity_hate"] == "1" else (OFFENSIVE if r["toxic"] == "1" else NEITHER),
                 int(r["insult"]), int(r["threat"]), "en") for r in rows]
    split = _tagged("en-jigsaw2018-subset", [r["comment_text"] for r in rows], tags,
                    "toxic; stratified 20% test split of the rows, seed 42; each row in EN and its FR MT")
    by_text = {r["comment_text"]: r["comment_text_fr_mt"] for r in rows}
    doubled = {}
    for side in ("train", "test"):
        texts, side_tags = getattr(split, f"{side}_texts"), getattr(split, f"{side}_tags")
        fr = [(by_text[t], tag._replace(lang="fr")) for t, tag in zip(texts, side_tags, strict=True) if by_text[t].strip()]
        doubled[side] = (texts + [t for t, _ in fr], side_tags + [tag for _, tag in fr])
    return TaggedSplit(split.name, *doubled["train"], *doubled["test"], split.description, "train")


def olid() -> TaggedSplit:
    """OLID (OffensEval 2019): OFF -> OFFENSIVE, NOT -> NEITHER; insult = OFF and targeted (TIN). Authors' split."""
    rows = _csv("en-olid-offenseval2019", "olid_v1.0_train_test.tsv", delimiter="\t")
    tags = [Tags(int(r["subtask_a"] == "OFF"), OFFENSIVE if r["subtask_a"] == "OFF" else NEITHER,
                 int(r["subtask_b"] == "TIN"), None, "en") for r in rows]
    return _tagged("en-olid-offenseval2019", [r["tweet"] for r in rows], tags, "OFF vs NOT; authors' train / test",
                   test_rows={i for i, r in enumerate(rows) if r["split"] == "test"})


def toxifrench() -> TaggedSplit:
    """ToxiFrench balanced benchmark (French forum comments): toxic -> OFFENSIVE and insult, else NEITHER."""
    rows = _csv("fr-toxifrench-bench", "ToxiFrenchBalanced.csv")
    tags = [Tags(int(r["label"]), OFFENSIVE if r["label"] == "1" else NEITHER, int(r["label"]), None, "fr") for r in rows]
    return _tagged("fr-toxifrench-bench", [r["content"] for r in rows], tags, "toxic; stratified 20% test split, seed 42")


def cyberagression() -> TaggedSplit:
    """CyberAgressionAdo-v2 turns: overt or covert aggression (annotator majority) -> OFFENSIVE and
    insult, NAG -> NEITHER (no majority: dropped); threat = verbal abuse THR. Split by chat (scenario)."""
    rows = [r for r in _csv("fr-cyberagressionado-v2", "cyberagressionado_v2_messages.csv")
            if r["hate_majority"] in ("OAG", "CAG", "NAG") and r["text"].strip()]
    tags = [Tags(int(r["hate_majority"] != "NAG"), OFFENSIVE if r["hate_majority"] != "NAG" else NEITHER,
                 int(r["hate_majority"] != "NAG"), int(r["verbal_abuse_majority"] == "THR"), "fr") for r in rows]
    return _tagged("fr-cyberagressionado-v2", [r["text"] for r in rows], tags,
                   "aggressive (OAG/CAG) vs NAG; StratifiedGroupKFold by scenario (5, seed 42), fold 0 held out",
                   groups=[r["scenario"] for r in rows])


def hateday_fr() -> TaggedSplit:
    """HateDay French tweets (evaluation only): 1 hateful / toxic."""
    rows = _csv("fr-toxifrench-bench", "HateDay-french.csv")
    return _tagged("fr-hateday", [r["content"] for r in rows],
                   [Tags(int(r["label"]), HATE if r["label"] == "1" else NEITHER, None, None, "fr") for r in rows],
                   "all 1,000 rows, evaluation only", use="eval")


def fr_hate_superset() -> TaggedSplit:
    """French hate superset (evaluation only) without its cyberado rows (the CyberAgressionAdo chats we train on)."""
    rows = [r for r in _csv("fr-hate-superset", "fr_hate_superset_noMLMA.csv") if r["dataset"] != "cyberado"]
    return _tagged("fr-hate-superset", [r["text"] for r in rows],
                   [Tags(int(r["labels"]), HATE if r["labels"] == "1" else NEITHER, None, None, "fr") for r in rows],
                   "sexism + FTR + CONAN rows (cyberado left out), evaluation only", use="eval")


def jigsaw2020_validation() -> TaggedSplit:
    """Jigsaw 2020 multilingual validation (ES / IT / TR, evaluation only): 1 toxic."""
    rows = _csv("multi-jigsaw2020-validation", "validation.csv")
    return _tagged("multi-jigsaw2020-validation", [r["comment_text"] for r in rows],
                   [Tags(int(r["toxic"]), OFFENSIVE if r["toxic"] == "1" else NEITHER, None, None, r["lang"]) for r in rows],
                   "all 8,000 rows, evaluation only", use="eval")


HELPCENTER = REPO / "training" / "helpcenter"


def helpcenter(split: str) -> tuple[list[str], list[Tags]]:
    """The team's help-center posts of one split (train or dev; the test split is never read here):
    title and body as one text; hate_speech -> HATE, offensive or threats -> OFFENSIVE, else NEITHER."""
    if split not in ("train", "dev"):
        raise ValueError("only the train and dev splits of the help-center corpus may be read for training")
    texts, tags = [], []
    for path in sorted(HELPCENTER.glob(f"{split}_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            post = json.loads(line)
            labels = set(post["labels"])
            hate = HATE if "hate_speech" in labels else (OFFENSIVE if labels & {"offensive", "threats"} else NEITHER)
            texts.append("\n\n".join(part for part in (post.get("title"), post["body"]) if part))
            tags.append(Tags(int("hate_speech" in labels), hate, int("offensive" in labels), int("threats" in labels),
                             post["lang"]))
    return texts, tags


def instagram_scam() -> Split:
    """ScamSpot Instagram comments: 1 scam/spam, 0 real. Duplicate texts are dropped before the split
    (spam repeats itself; a copy on both sides would leak), keeping the first; the few texts given
    both labels are dropped. Stratified 20% test split, seed 42."""
    path = dataset_file("en-instagram-scam-comments", "instagram_scam_comments.csv")
    with path.open(encoding="utf-8", newline="") as file:
        rows = [(row["text"], int(row["label"])) for row in csv.DictReader(file)]
    labels_of: dict[str, set[int]] = {}
    for text, label in rows:
        labels_of.setdefault(text, set()).add(label)
    seen: set[str] = set()
    texts, labels = [], []
    for text, label in rows:
        if text in seen or len(labels_of[text]) > 1 or not text.strip():
            continue
        seen.add(text)
        texts.append(text)
        labels.append(label)
    return _split("instagram-scam", texts, labels,
                  "unique texts of instagram_scam_comments.csv (first kept, conflicting labels dropped), "
                  "stratified 20% test split, seed 42")


def blog_comment_spam() -> Split:
    """DataCamp tutorial comments: 1 spam, 0 not; the labelled rows only (raw text, HTML links kept).
    Stratified 20% test split, seed 42."""
    path = dataset_file("en-blog-comment-spam-datacamp", "datacamp_tutorial_comments_spam.csv")
    with path.open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["label"].strip() in ("0", "1")]
    texts = [row["comment"] for row in rows]
    labels = [int(row["label"]) for row in rows]
    return _split("blog-comment-spam", texts, labels,
                  "labelled rows of datacamp_tutorial_comments_spam.csv, stratified 20% test split, seed 42")


TUNING_SPLITS = ("train", "dev")


def helpcenter_records(split: str) -> list[dict]:
    """The team's help-center posts of one split, ``train`` or ``dev`` (see HELPERS.md for the format).

    Only ``<split>_*.jsonl`` is opened: the frozen test split is never read by training code.
    """
    if split not in TUNING_SPLITS:
        raise ValueError(f"training reads the help-center train and dev splits only, not {split!r}")
    records = []
    for path in sorted(HELPCENTER.glob(f"{split}_*.jsonl")):
        with path.open(encoding="utf-8") as file:
            records += [record for record in map(json.loads, filter(str.strip, file)) if record["split"] == split]
    return records
