import json
import shutil

import numpy as np
import pytest

from worker.classifiers import _artifacts
from worker.classifiers._features import featurize, featurize_texts
from worker.errors import ConfigurationError

pytestmark = pytest.mark.slow


def copy_artifact(tmp_path, name="promotion"):
    for suffix in (".skops", ".json"):
        shutil.copy(_artifacts.ARTIFACTS / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    return tmp_path


def test_when_artifact_is_missing_then_loading_raises_configuration_error(tmp_path):
    with pytest.raises(ConfigurationError, match="missing.*python -m training promotion"):
        _artifacts.load("promotion", tmp_path)


def test_when_metadata_is_missing_then_loading_raises_configuration_error(tmp_path):
    copy_artifact(tmp_path)
    (tmp_path / "promotion.json").unlink()
    with pytest.raises(ConfigurationError, match="metadata"):
        _artifacts.load("promotion", tmp_path)


def test_when_recorded_sklearn_version_differs_then_loading_raises_configuration_error(tmp_path):
    copy_artifact(tmp_path)
    meta_path = tmp_path / "promotion.json"
    metadata = json.loads(meta_path.read_text())
    metadata["library_versions"]["scikit-learn"] = "0.24.2"
    meta_path.write_text(json.dumps(metadata))
    with pytest.raises(ConfigurationError, match="scikit-learn 0.24.2"):
        _artifacts.load("promotion", tmp_path)


def test_when_featurizer_version_differs_then_loading_raises_configuration_error(tmp_path):
    copy_artifact(tmp_path)
    meta_path = tmp_path / "promotion.json"
    metadata = json.loads(meta_path.read_text())
    metadata["features_version"] = "0"
    meta_path.write_text(json.dumps(metadata))
    with pytest.raises(ConfigurationError, match="featurizer"):
        _artifacts.load("promotion", tmp_path)


def test_when_file_is_not_a_skops_archive_then_loading_raises_configuration_error(tmp_path):
    copy_artifact(tmp_path)
    (tmp_path / "promotion.skops").write_bytes(b"not a zip")
    with pytest.raises(ConfigurationError, match="cannot be read"):
        _artifacts.load("promotion", tmp_path)


@pytest.mark.parametrize("name", ["hate_speech", "insults", "promotion", "chit_chat"])
def test_when_shipped_artifact_is_loaded_then_it_predicts_probabilities(name):
    artifact = _artifacts.load(name)
    probabilities = artifact.model.predict_proba(featurize_texts(["hello there", "you are an idiot"]))
    assert probabilities.shape[0] == 2
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert artifact.metadata["rebuild_command"].endswith(f"python -m training {name}")
    assert (_artifacts.ARTIFACTS / f"{name}.skops").stat().st_size < 20_000_000


def test_when_same_batch_is_featurized_twice_then_the_cached_result_is_reused():
    batch = [("title", "a body of text"), ("", "another one")]
    assert featurize(batch) is featurize(list(batch))


def test_when_text_has_urls_and_handles_then_they_are_not_features():
    with_noise = featurize_texts(["see https://example.com/idiot and @idiot for help"])
    without = featurize_texts(["see and for help"])
    assert (with_noise != without).nnz == 0
