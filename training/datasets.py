"""Where the public datasets are, and what to say when one is missing.

Training and the benchmarks read public labelled data in place from one folder, set by
``MODSCREEN_DATASETS`` (default: ``datasets`` in the folder beside the checkout, the team's
``../shared/datasets``). The tests never read it: they use fixtures under ``tests/``.
Each dataset is a sub-folder named as below, laid out as its public repository publishes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"


@dataclass(frozen=True)
class Dataset:
    folder: str
    repository: str
    licence: str
    use: str  # "train": may train a shipped model; "eval": evaluation only
    files: tuple[str, ...]


CATALOGUE: dict[str, Dataset] = {d.folder: d for d in (
    Dataset("davidson-hate-offensive", "t-davidson/hate-speech-and-offensive-language", "MIT", "train",
            ("labeled_data.csv",)),
    Dataset("mlma-hate-fr-en", "HKUST-KnowComp/MLMA_hate_speech", "MIT", "train",
            ("en_dataset.csv", "fr_dataset.csv")),
    Dataset("kaggle-insults", "AWConant/internet-hate-comments", "not stated (Kaggle competition data)", "train",
            ("train.decoded.jsonl", "test_with_solutions.decoded.jsonl", "impermium_verification_labels.decoded.jsonl")),
    Dataset("sms-spam-collection", "maze-runnar/SMS-spam-detection", "custom permissive (authors' readme)", "train",
            ("SMSSpamCollection",)),
    Dataset("wnut2015-lexnorm", "XuanyiZ/Text-Normalization", "not stated (shared-task terms)", "eval",
            ("train_data.json", "test_truth.json")),
    Dataset("presidio-synth-pii", "microsoft/presidio-research", "MIT", "train", ("synth_dataset_v2.json",)),
    Dataset("en-stormfront-forum-hate", "Vicomtech/hate-speech-dataset", "CC BY-SA 3.0 ES", "train",
            ("stormfront_hate_sentences.csv",)),
    Dataset("en-civilcomments-toxicspans", "ipavlopoulos/toxic_spans", "CC0", "train", ("comments.csv", "spans.csv")),
    Dataset("en-convabuse", "amandacurry/convabuse", "CC BY 4.0", "train",
            ("ConvAbuseEMNLPtrain.csv", "ConvAbuseEMNLPvalid.csv", "ConvAbuseEMNLPtest.csv")),
    Dataset("en-jigsaw2018-subset", "AxelDlv00/ToxiFrench", "CC0 / CC BY-SA 3.0", "train",
            ("jigsaw2018_train_subset_with_fr_mt.csv",)),
    Dataset("en-olid-offenseval2019", "amirhossein-alizad/Multilingual-Graph-Network", "not stated", "train",
            ("olid_v1.0_train_test.tsv",)),
    Dataset("en-instagram-scam-comments", "ScamSpot/scamspot_ig-comment-scraper", "MIT", "train",
            ("instagram_scam_comments.csv",)),
    Dataset("en-blog-comment-spam-datacamp", "Desmond00/DatacampArticleSentimentAnalysis", "not stated", "train",
            ("datacamp_tutorial_comments_spam.csv",)),
    Dataset("fr-toxifrench-bench", "AxelDlv00/ToxiFrench", "MIT (HateDay part: evaluation only)", "train",
            ("ToxiFrenchBalanced.csv", "HateDay-french.csv")),
    Dataset("fr-cyberagressionado-v2", "aollagnier/CyberAgressionAdo-V2.public", "not stated", "train",
            ("cyberagressionado_v2_messages.csv",)),
    Dataset("fr-hate-superset", "TimItsara/efficient-low-resource-hate-detection", "research use only", "eval",
            ("fr_hate_superset_noMLMA.csv",)),
    Dataset("multi-jigsaw2020-validation", "SiddeshSambasivam/Mulitilingual-Toxic-Comment-Classification",
            "Kaggle terms, unclear", "eval", ("validation.csv",)),
)}


class DatasetMissing(RuntimeError):
    """A public dataset that training or a benchmark needs is not in the datasets folder."""

    def __init__(self, folder: str, path: Path) -> None:
        entry = CATALOGUE.get(folder)
        where = f"; it is published in the GitHub repository {entry.repository}" if entry else ""
        super().__init__(f"dataset {folder} is missing: expected {path} (set MODSCREEN_DATASETS){where}")
        self.folder = folder


def datasets_dir() -> Path:
    """The datasets folder, read from the environment on every call (tests and tools may set it)."""
    return Path(os.environ.get("MODSCREEN_DATASETS") or DEFAULT_DATASETS)


def dataset_file(folder: str, name: str) -> Path:
    """The path of one file of a dataset, or ``DatasetMissing`` naming the dataset and its source."""
    path = datasets_dir() / folder / name
    if not path.is_file():
        raise DatasetMissing(folder, path)
    return path


def missing(folders: list[str] | tuple[str, ...]) -> list[DatasetMissing]:
    """One error per dataset among ``folders`` whose files are not all there."""
    problems = []
    for folder in folders:
        entry = CATALOGUE[folder]
        absent = [name for name in entry.files if not (datasets_dir() / folder / name).is_file()]
        if absent:
            problems.append(DatasetMissing(folder, datasets_dir() / folder / absent[0]))
    return problems
