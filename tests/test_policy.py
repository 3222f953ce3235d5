from pathlib import Path

import pytest

from tests.conftest import POLICY_PATH
from worker.assembly import load_registered_policy
from worker.errors import PolicyError
from worker.types import CheckFailure, Decision, Evidence, Finding


def finding(category, score, code=None):
    return Finding("c", category, code or f"{category}.x", score, "why", (Evidence("body", 0, 1, "x"),))


def write_policy(tmp_path: Path, text: str) -> Path:
    base = POLICY_PATH.read_text(encoding="utf-8")
    path = tmp_path / "policy.toml"
    path.write_text(base + "\n" + text, encoding="utf-8")
    return path


def test_when_shipped_policy_is_loaded_then_every_category_has_thresholds(policy):
    from worker.types import Category

    assert set(policy.categories) == {c.value for c in Category}


@pytest.mark.parametrize(
    ("addition", "named_key"),
    [
        ("[categories.bogus]\nreview_at = 0.5", "categories.bogus"),
        ("[languages.fr.categories.hate_spech]\nreview_at = 0.5", "languages.fr.categories.hate_spech"),
        ("[languages.fr.categories.advertising]\nreview_at = 0.95", "languages.fr.categories.advertising"),
        ("unknown_key = 1", "unknown_key"),
    ],
)
def test_when_policy_has_a_bad_key_then_the_error_names_it(tmp_path, addition, named_key):
    with pytest.raises(PolicyError, match=named_key.replace(".", r"\.")):
        load_registered_policy(write_policy(tmp_path, addition))


@pytest.mark.parametrize(
    ("replace", "named_key"),
    [
        ("[categories.formatting]\nreview_at = 0.5", "[categories.formatting]\nreview_at = 1.5"),
        ("[categories.advertising]\nreview_at = 0.5\nreject_at = 0.9", "[categories.advertising]\nreview_at = 0.95\nreject_at = 0.9"),
    ],
)
def test_when_threshold_is_out_of_range_or_inverted_then_policy_is_refused(tmp_path, replace, named_key):
    text = POLICY_PATH.read_text(encoding="utf-8").replace(replace, named_key)
    assert text != POLICY_PATH.read_text(encoding="utf-8")
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="categories"):
        load_registered_policy(path)


def test_when_a_category_is_missing_then_policy_is_refused(tmp_path):
    text = POLICY_PATH.read_text(encoding="utf-8").replace("[categories.links]\nreview_at = 0.5\nreject_at = 0.95", "")
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=r"categories\.links: missing"):
        load_registered_policy(path)


def test_when_policy_file_is_not_toml_then_error_says_so(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("version = [", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_registered_policy(path)


def test_when_language_override_exists_then_it_applies_only_to_that_language(policy):
    data = policy.model_dump(exclude_unset=True) | {"languages": {"fr": {"categories": {"advertising": {"review_at": 0.3}}}}}
    custom = type(policy).model_validate(data)
    assert custom.decide([finding("advertising", 0.4)], [], "fr")[0] is Decision.REVIEW
    assert custom.decide([finding("advertising", 0.4)], [], "en")[0] is Decision.APPROVE
    assert custom.thresholds("advertising", "fr").reject_at == policy.thresholds("advertising", "en").reject_at


def test_when_a_check_failed_then_decision_is_at_least_review(policy):
    assert policy.decide([], [CheckFailure("hate_speech", "boom")], "en")[0] is Decision.REVIEW


def test_when_several_reasons_then_harshest_comes_first(policy):
    decision, reasons = policy.decide(
        [finding("formatting", 1.0), finding("advertising", 0.97), finding("advertising", 0.6, "advertising.y")], [], "en"
    )
    assert decision is Decision.REJECT
    assert [(r.code, r.action) for r in reasons] == [
        ("advertising.x", Decision.REJECT),
        ("formatting.x", Decision.REVIEW),
        ("advertising.y", Decision.REVIEW),
    ]


def test_when_category_has_no_reject_at_then_it_never_rejects(policy):
    assert policy.thresholds("formatting", "en").reject_at is None
    assert policy.decide([finding("formatting", 1.0)], [], "en")[0] is Decision.REVIEW
