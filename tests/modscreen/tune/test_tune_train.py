"""Labelled data out, models in: retrain the promotion model on public data plus community rows (seconds)."""

from __future__ import annotations

import json

import pytest

from tests.public_sample import sms_collection
from training.extra import promote, train_with_extra


def test_when_retrained_with_extra_data_then_a_candidate_card_and_quality_table_are_written(tmp_path, monkeypatch):
    # the public part is the tests' SMS sample (180 rows) laid out as the datasets folder expects
    datasets = tmp_path / "datasets"
    (datasets / "sms-spam-collection").mkdir(parents=True)
    (datasets / "sms-spam-collection" / "SMSSpamCollection").write_text(sms_collection(), encoding="utf-8")
    monkeypatch.setenv("MODSCREEN_DATASETS", str(datasets))
    from worker.classifiers import _artifacts

    spam = ["Buy cheap licences now, best price, contact me on WhatsApp", "Promo -50% on all PBX licences, click"]
    ham = ["How do I export the call log to CSV?", "The IVR drops calls after the upgrade", "SIP 503 on outbound"]
    rows = [{"text": text, "category": "advertising", "label": 1, "post_id": f"s{i}", "revision_id": i,
             "language": "en"} for i, text in enumerate(spam * 5)]
    rows += [{"text": text, "category": "advertising", "label": 0, "post_id": f"h{i}", "revision_id": 100 + i,
              "language": "en"} for i, text in enumerate(ham * 5)]
    rows += [{"text": "ignored", "category": "offensive", "label": 1, "post_id": "x", "revision_id": 999}]
    out = tmp_path / "candidate"
    shipped_before = (_artifacts.ARTIFACTS / "promotion.skops").read_bytes()
    metadata = train_with_extra("advertising", rows, out, extra_weight=2.0, source="labels.jsonl")
    assert sorted(p.name for p in out.iterdir()) == ["promotion.json", "promotion.md", "promotion.skops",
                                                    "quality.json", "quality.md"]
    assert (_artifacts.ARTIFACTS / "promotion.skops").read_bytes() == shipped_before  # never the shipped one
    assert metadata["candidate"] is True and "+community." in metadata["model_version"]
    assert "20 posts (8 positive for advertising), weight 2.0" in metadata["training_data"][-1]  # 25 - 5 held out
    quality = json.loads((out / "quality.json").read_text())
    assert quality["community_test"]["candidate"]["rows"] == 5  # 20% of 25 held out, stratified
    assert quality["public_test"]["shipped"]["rows"] == quality["public_test"]["candidate"]["rows"] == 36
    assert "| community_test | candidate |" in (out / "quality.md").read_text()
    assert "candidate" in (out / "promotion.md").read_text()
    loaded = _artifacts.load("promotion", out)
    assert loaded.version == metadata["model_version"]
    target = tmp_path / "artifacts"
    target.mkdir()
    written = promote(out, target)
    assert sorted(p.name for p in written) == ["promotion.json", "promotion.md", "promotion.skops"]
    with pytest.raises(ValueError):
        train_with_extra("formatting", rows, tmp_path / "x")
