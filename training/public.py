"""The extra training data of the hate_speech and insults models (issue 11): public sets whose licence
allows training a shipped model, and the team's help-center corpus (train split; dev for selection).

Each row carries its class for every model (``data.Tags``); a model takes the rows where its field is
set, with one weight per source (chosen by each model's cross-validation, recorded in its card).
Never the help-center test split, and never the test part of any public set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from training import common, data

# the public sets that may train a shipped model (training.datasets.CATALOGUE use "train")
TRAINING_SETS: tuple[Callable[[], data.TaggedSplit], ...] = (
    data.stormfront, data.civil_comments, data.convabuse, data.jigsaw2018, data.olid, data.toxifrench,
    data.cyberagression,
)


@dataclass(frozen=True)
class Part:
    """One source's training rows for one model: features, classes, and a weight to apply."""

    name: str
    X: sp.csr_matrix
    y: np.ndarray
    weight: float

    def weights(self) -> np.ndarray:
        return np.full(len(self.y), self.weight)


def _part(name: str, texts: list[str], tags: list[data.Tags], field: str, weight: float) -> Part | None:
    keep = [i for i, tag in enumerate(tags) if getattr(tag, field) is not None]
    if not keep:
        return None
    return Part(name, common.features([texts[i] for i in keep]), np.asarray([getattr(tags[i], field) for i in keep]),
                weight)


def public_parts(field: str, weight: float) -> list[Part]:
    """The training part of every training-licensed public set, as ``field`` ("hate", "insult" or "threat") labels it."""
    parts = []
    for make in TRAINING_SETS:
        split = make()
        part = _part(split.name, split.train_texts, split.train_tags, field, weight)
        if part is not None:
            parts.append(part)
    return parts


def helpcenter_part(field: str, weight: float, split: str = "train") -> Part:
    texts, tags = data.helpcenter(split)
    part = _part(f"helpcenter-{split}", texts, tags, field, weight)
    assert part is not None
    return part


def stack(parts: list[Part]) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Rows of every part, in order, with their per-row weights."""
    return (sp.vstack([p.X for p in parts]).tocsr(), np.concatenate([p.y for p in parts]),
            np.concatenate([p.weights() for p in parts]))


def reweighted(parts: list[Part], weight: float) -> list[Part]:
    return [Part(p.name, p.X, p.y, weight) for p in parts]


DESCRIPTIONS = {
    "en-stormfront-forum-hate": "en-stormfront-forum-hate/stormfront_hate_sentences.csv (de Gibert et al. 2018, "
                                "Vicomtech/hate-speech-dataset, CC BY-SA 3.0 ES)",
    "en-civilcomments-toxicspans": "en-civilcomments-toxicspans/{comments,annotations,spans}.csv (Pavlopoulos et al. "
                                   "2022, ipavlopoulos/toxic_spans, CC0)",
    "en-convabuse": "en-convabuse/ConvAbuseEMNLP{train,valid}.csv (Cercas Curry et al. 2021, amandacurry/convabuse, "
                    "CC BY 4.0)",
    "en-jigsaw2018-subset": "en-jigsaw2018-subset/jigsaw2018_train_subset_with_fr_mt.csv (Jigsaw 2018 sample with "
                            "ToxiFrench's French MT; CC0, text CC BY-SA 3.0; MT MIT)",
    "en-olid-offenseval2019": "en-olid-offenseval2019/olid_v1.0_train_test.tsv, train rows (Zampieri et al. 2019; "
                              "licence not stated, research distribution: verify before commercial use)",
    "fr-toxifrench-bench": "fr-toxifrench-bench/ToxiFrenchBalanced.csv (Delaval et al. 2025, AxelDlv00/ToxiFrench, "
                           "MIT; the HateDay file is evaluation only and not used)",
    "fr-cyberagressionado-v2": "fr-cyberagressionado-v2/cyberagressionado_v2_messages.csv (Ollagnier 2024, "
                               "aollagnier/CyberAgressionAdo-V2.public; licence not stated: verify before commercial use)",
    "helpcenter-train": "training/helpcenter/train_*.jsonl (the team's help-center corpus, train split; written for "
                        "this project)",
}
