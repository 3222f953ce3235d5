"""Retrain a classifier on its public data plus the community's own moderator decisions.

    .venv/bin/modscreen tune export --format jsonl --output labels.jsonl
    .venv/bin/modscreen train hate_speech --extra-data labels.jsonl --output candidates/

The hyper-parameters are the shipped artifact's (recorded in its JSON), so a retrain takes
seconds and changes one thing only: the data. The community rows (one per post: text and its
labels per category, see ``modscreen.tune.labels``) are split, stratified, 80/20 with seed 42;
the 20% is never trained on and measures both the shipped and the candidate model, as does the
public test split. The candidate (``<name>.skops``, ``<name>.json``), its model card
(``<name>.md``) and a quality table (``quality.md``, ``quality.json``) are written to the output
folder, never over the shipped artifact: promotion is a separate, explicit step.

This module only calls the public functions of ``training.common`` / ``training.data`` and the
artifact module; it does not change how the shipped models are built.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from training import common, data, public
from training.datasets import missing
from worker.classifiers import _artifacts
from worker.classifiers._promotion_features import promotion_matrix

SEED = 42
OPERATING_POINT = 0.5
# category -> model name; the other categories are rules (their data lives in config/checks)
MODELS = {"advertising": "promotion", "hate_speech": "hate_speech", "offensive": "insults"}


@dataclass(frozen=True)
class CommunityRows:
    texts: list[str]
    classes: list[int]
    """In the model's own classes (e.g. hate / offensive / neither for hate_speech)."""
    positive: list[int]
    """1 when the post is positive for the category (the bad class)."""
    languages: list[str | None]


def community_rows(name: str, category: str, rows: Sequence[dict[str, Any]]) -> CommunityRows:
    """Group exported rows by post revision and map their labels to the model's classes."""
    posts: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (str(row.get("post_id")), str(row.get("revision_id")))
        post = posts.setdefault(key, {"text": row["text"], "labels": {}, "language": row.get("language")})
        post["labels"][row["category"]] = int(row["label"])
    texts, classes, positive, languages = [], [], [], []
    for post in posts.values():
        labels = post["labels"]
        if category not in labels:
            continue
        is_positive = labels[category] == 1
        if name == "hate_speech":  # 3 classes: 0 hate, 1 offensive, 2 neither
            cls = data.HATE if is_positive else (data.OFFENSIVE if labels.get("offensive") == 1 else data.NEITHER)
        else:
            cls = int(is_positive)
        texts.append(post["text"])
        classes.append(cls)
        positive.append(int(is_positive))
        languages.append(post["language"])
    return CommunityRows(texts, classes, positive, languages)


def _public(name: str) -> tuple[list[tuple[list[str], list[int], float]], list[str], list[int], list[str]]:
    """([(texts, classes, weight)] to train on, public test texts, test 'bad' labels, data description)."""
    meta = _artifacts.read_metadata(name)
    params = meta.get("hyperparameters", {})
    if name == "promotion":
        # the public training parts the shipped model saw, weighted as it was: SMS always, the comment-spam
        # sets when the datasets folder has them (the help-center rows are the community's own, if exported)
        from training.promotion import LICENCES, OPTIONAL_SPLITS

        weights = meta.get("source_weights", {})
        split = data.sms_spam()
        parts = [(split.train_texts, split.train_labels, float(weights.get("sms", 1.0)))]
        used = [LICENCES["sms"]]
        for key, (folder, load) in OPTIONAL_SPLITS.items():
            if not missing([folder]):
                more = load()
                parts.append((more.train_texts, more.train_labels, float(weights.get(key, 1.0))))
                used.append(LICENCES[key])
        return parts, split.test_texts, [int(y == 1) for y in split.test_labels], used
    if name == "insults":
        split = data.kaggle_insults()
        return ([(split.train_texts, split.train_labels, 1.0), *_issue11_parts("insult", params)], split.test_texts,
                [int(y == 1) for y in split.test_labels], list(meta.get("training_data", [])))
    if name == "hate_speech":
        davidson = data.davidson()
        mlma = [data.mlma(language) for language in ("en", "fr")]
        weight = float(params.get("mlma_weight", 0.3))
        parts = [(davidson.train_texts, davidson.train_labels, 1.0)] + [(s.train_texts, s.train_labels, weight)
                                                                        for s in mlma] + _issue11_parts("hate", params)
        test_texts = davidson.test_texts + [t for s in mlma for t in s.test_texts]
        test_bad = [int(y == data.HATE) for y in davidson.test_labels] + [int(y == data.HATE) for s in mlma
                                                                           for y in s.test_labels]
        return parts, test_texts, test_bad, list(meta.get("training_data", []))
    raise ValueError(f"no trainable model {name!r}")


def _issue11_parts(field: str, params: dict[str, Any]) -> list[tuple[list[str], list[int], float]]:
    """The public sets and help-center train rows a 3.x model was trained on, with its recorded weights
    (none for a model whose hyper-parameters name no such weight)."""
    parts = []
    if "public_weight" in params:
        for make in public.TRAINING_SETS:
            split = make()
            rows = [i for i, tag in enumerate(split.train_tags) if getattr(tag, field) is not None]
            parts.append(([split.train_texts[i] for i in rows], [getattr(split.train_tags[i], field) for i in rows],
                          float(params["public_weight"])))
    if "helpcenter_weight" in params:
        texts, tags = data.helpcenter("train")
        parts.append((texts, [getattr(tag, field) for tag in tags], float(params["helpcenter_weight"])))
    return parts


def _class_weight(name: str, params: dict[str, Any]) -> dict[int, float]:
    if name == "promotion":
        return {0: 1.0, 1: float(params.get("spam_weight", 1.0))}
    if name == "insults":
        return {0: 1.0, 1: float(params.get("insult_weight", 1.0))}
    return {data.HATE: float(params.get("hate_weight", 3.0)), data.OFFENSIVE: 1.0, data.NEITHER: 1.0}


def _features(name: str, texts: Sequence[str]):
    """What the model reads: the promotion model adds its markers (links, handles) to the shared features."""
    if name == "promotion":
        return promotion_matrix([("", text) for text in texts])
    return common.features(texts)


def _bad_scores(model, bad_class: int, texts: Sequence[str], name: str = "") -> np.ndarray:
    if not texts:
        return np.zeros(0)
    classes = [int(c) for c in model.steps[-1][1].classes_]
    return model.predict_proba(_features(name, texts))[:, classes.index(bad_class)]


def _quality(scores: np.ndarray, labels: Sequence[int]) -> dict[str, float | int | None]:
    y = np.asarray(labels, dtype=bool)
    flagged = scores >= OPERATING_POINT
    tp, fp, fn = int((flagged & y).sum()), int((flagged & ~y).sum()), int((~flagged & y).sum())
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return {"rows": int(len(y)), "positives": int(y.sum()), "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}


def train_with_extra(category: str, extra: Sequence[dict[str, Any]], output: Path, extra_weight: float = 1.0,
                     community_test_size: float = 0.2, source: str = "") -> dict[str, Any]:
    """Fit the category's model on public + community rows; write the candidate, card and quality table."""
    if category not in MODELS:
        raise ValueError(f"{category!r} has no trainable classifier (trainable: {', '.join(sorted(MODELS))})")
    name = MODELS[category]
    shipped_meta = _artifacts.read_metadata(name)
    params = {k: v for k, v in shipped_meta.get("hyperparameters", {}).items() if k != "selected_on"}
    bad_class = int(shipped_meta["bad_class"])
    community = community_rows(name, category, extra)
    rows = np.arange(len(community.texts))
    train_rows, test_rows = rows, np.array([], dtype=int)
    if len(rows) >= 10 and len(set(community.positive)) == 2 and min(np.bincount(community.positive)) >= 2:
        train_rows, test_rows = train_test_split(rows, test_size=community_test_size, random_state=SEED,
                                                 stratify=community.positive)
    parts, public_test, public_bad, public_data = _public(name)
    texts, classes, weights = [], [], []
    for part_texts, part_classes, weight in parts:
        texts += part_texts
        classes += list(part_classes)
        weights += [weight] * len(part_texts)
    texts += [community.texts[i] for i in train_rows]
    classes += [community.classes[i] for i in train_rows]
    weights += [extra_weight] * len(train_rows)
    X = _features(name, texts)
    fit_options = {"class_weight": _class_weight(name, params), "sample_weight": np.asarray(weights, dtype=float)}
    if "C" in params and hasattr(common, "fit_lr"):  # the shipped model is a logistic regression
        model = common.fit_lr(X, classes, C=float(params["C"]), **fit_options)
    else:
        model = common.fit(X, classes, alpha=float(params.get("alpha", 1e-5)), **fit_options)
    shipped = _artifacts.load(name).model
    community_test = [community.texts[i] for i in test_rows]
    community_bad = [community.positive[i] for i in test_rows]
    quality = {
        "operating_point": OPERATING_POINT,
        "public_test": {"shipped": _quality(_bad_scores(shipped, bad_class, public_test, name), public_bad),
                        "candidate": _quality(_bad_scores(model, bad_class, public_test, name), public_bad)},
        "community_test": {"shipped": _quality(_bad_scores(shipped, bad_class, community_test, name), community_bad),
                           "candidate": _quality(_bad_scores(model, bad_class, community_test, name), community_bad)},
    }
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M")
    version = f"{shipped_meta['model_version']}+community.{stamp}"
    output.mkdir(parents=True, exist_ok=True)
    metadata = {
        **{k: v for k, v in shipped_meta.items() if k in ("task", "classes", "bad_class", "extra_features_version")},
        "model_version": version,
        "candidate": True,
        "based_on": f"{name} {shipped_meta['model_version']}",
        "training_data": public_data + [
            f"community moderator decisions {source or '(extra data)'}: {len(train_rows)} posts "
            f"({sum(community.positive[i] for i in train_rows)} positive for {category}), weight {extra_weight}"],
        "split": {"community": f"stratified {community_test_size:.0%} held out, seed {SEED} "
                               f"({len(test_rows)} posts)" if len(test_rows) else "too few rows to hold any out"},
        "seed": data.SEED,
        "hyperparameters": {**params, "selected_on": "reused from the shipped model (not re-tuned)"},
        "metrics": quality,
        "rebuild_command": f".venv/bin/modscreen train {category} --extra-data {source or 'FILE'}",
    }
    _artifacts.save(name, model, metadata, directory=output)
    (output / f"{name}.md").write_text(model_card(name, category, metadata, community, train_rows, test_rows),
                                       encoding="utf-8")
    (output / "quality.json").write_text(json.dumps(quality, indent=2) + "\n", encoding="utf-8")
    (output / "quality.md").write_text(quality_table(quality), encoding="utf-8")
    return metadata


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def quality_table(quality: dict[str, Any]) -> str:
    lines = ["| data | model | rows | positives | precision | recall | F1 |", "|---|---|---|---|---|---|---|"]
    for dataset in ("public_test", "community_test"):
        for which in ("shipped", "candidate"):
            q = quality[dataset][which]
            lines.append(f"| {dataset} | {which} | {q['rows']} | {q['positives']} | {_pct(q['precision'])} | "
                         f"{_pct(q['recall'])} | {_pct(q['f1'])} |")
    return (f"Operating point: score >= {quality['operating_point']}.\n\n" + "\n".join(lines) + "\n")


def model_card(name: str, category: str, metadata: dict[str, Any], community: CommunityRows,
               train_rows: np.ndarray, test_rows: np.ndarray) -> str:
    languages: dict[str, int] = {}
    for i in train_rows:
        languages[community.languages[i] or "unknown"] = languages.get(community.languages[i] or "unknown", 0) + 1
    return "\n".join([
        f"# {name} model {metadata['model_version']} (candidate)",
        "",
        f"Category `{category}`. Based on {metadata['based_on']}; same features and hyper-parameters, more data.",
        "",
        "## Data",
        *[f"- {line}" for line in metadata["training_data"]],
        f"- community posts by language (training part): {languages}",
        "- community labels come from moderator decisions: a reject with reason C is positive for C and",
        "  negative for the other scored categories; an approve is negative for all; escalations are dropped.",
        "",
        "## Split",
        f"- public data: as the shipped model ({', '.join(metadata.get('split', {}).keys())})",
        f"- community: {metadata['split']['community']}",
        "",
        "## Quality (held-out parts only)",
        quality_table(metadata["metrics"]),
        "## Promotion",
        "Not active until promoted: `modscreen train promote <this folder>` copies it over the shipped",
        "artifact (after checking it loads); then restart the workers and re-screen",
        "(`modscreen rescreen --since ... --queue bulk`). Keep the old artifact in version control to roll back.",
        "",
        "## Limitations",
        "- Moderator decisions are labels of a moderation queue, not of a random sample: flagged posts are",
        "  over-represented; the held-out community figures inherit that bias.",
        "- Few community rows move a model trained on thousands of public rows only a little; the weight",
        "  of community rows is recorded above.",
        "",
    ])


def promote(candidate_dir: Path, artifacts: Path = _artifacts.ARTIFACTS) -> list[Path]:
    """Copy a checked candidate over the shipped artifact; returns the files written."""
    import shutil

    names = [p.stem for p in candidate_dir.glob("*.skops")]
    if len(names) != 1:
        raise ValueError(f"{candidate_dir}: expected one <model>.skops, found {len(names)}")
    name = names[0]
    _artifacts.load(name, candidate_dir)  # refuses a wrong library version, featurizer or untrusted type
    written = []
    for suffix in (".skops", ".json", ".md"):
        source = candidate_dir / f"{name}{suffix}"
        if source.exists():
            shutil.copy2(source, artifacts / f"{name}{suffix}")
            written.append(artifacts / f"{name}{suffix}")
    return written


__all__ = ["MODELS", "community_rows", "model_card", "promote", "quality_table", "train_with_extra"]
