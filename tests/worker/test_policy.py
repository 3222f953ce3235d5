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


def check_finding(check, category, score, code=None, evidence="x"):
    return Finding(check, category, code or f"{category}.{check}", score, f"why {check}",
                   (Evidence("body", 0, len(evidence), evidence),))


def combined(policy, scoring):
    data = policy.model_dump(exclude_unset=True) | {"scoring": {"offensive": scoring}}
    return type(policy).model_validate(data)


# a near-binary word-list hit (0.9 whenever it fires) and a model's probability, weighted as fitted
OFFENSIVE_SCORING = {"combine": "logistic", "bias": 0.0, "scale": 1.0, "checks": {
    "insults": {"weight": 1.3, "present": 0.0}, "profanity": {"weight": 0.0, "present": 1.5}}}


def test_when_category_has_no_scoring_table_then_its_score_is_the_highest_finding(policy):
    scores = policy.category_scores([finding("advertising", 0.4), finding("advertising", 0.7)], {"advertising", "links"})
    assert scores == {"advertising": 0.7, "links": 0.0}


def test_when_scores_are_combined_then_the_model_still_ranks_posts_that_share_a_word_list_hit(policy):
    custom = combined(policy, OFFENSIVE_SCORING)
    mild = custom.category_scores([check_finding("profanity", "offensive", 0.9), check_finding("insults", "offensive", 0.05)], {"offensive"})
    insult = custom.category_scores([check_finding("insults", "offensive", 0.8)], {"offensive"})
    harsh = custom.category_scores([check_finding("profanity", "offensive", 0.9), check_finding("insults", "offensive", 0.8)], {"offensive"})
    # under "max", the lone swear word (0.9) would outrank the clear insult (0.8)
    assert mild["offensive"] < insult["offensive"] < harsh["offensive"]


def test_when_a_check_is_not_in_the_scoring_table_then_it_joins_by_noisy_or_and_never_lowers_the_category(policy):
    custom = combined(policy, OFFENSIVE_SCORING)
    base = [check_finding("insults", "offensive", 0.3)]
    without = custom.category_scores(base, {"offensive"})["offensive"]
    with_new = custom.category_scores(base + [check_finding("brand_new_rule", "offensive", 0.6)], {"offensive"})["offensive"]
    assert with_new == pytest.approx(1 - (1 - without) * (1 - 0.6))
    assert with_new >= 0.6


def test_when_combined_score_crosses_review_then_one_reason_carries_the_pushing_findings_evidence(policy):
    custom = combined(policy, OFFENSIVE_SCORING)
    found = [check_finding("profanity", "offensive", 0.9, evidence="merde"),
             check_finding("insults", "offensive", 0.9, evidence="idiot"),
             check_finding("insults", "offensive", 0.01, "offensive.other", evidence="the")]
    decision, reasons = custom.decide(found, [], "fr")
    assert decision in (Decision.REVIEW, Decision.REJECT)
    assert len(reasons) == 1
    reason = reasons[0]
    assert reason.score == pytest.approx(custom.category_scores(found, {"offensive"})["offensive"])
    assert reason.code == "offensive.insults"  # the finding that added most to the log-odds comes first
    assert [e.text for e in reason.evidence] == ["idiot", "merde"]


def test_when_combined_score_stays_under_review_then_the_post_is_approved(policy):
    custom = combined(policy, OFFENSIVE_SCORING)
    assert custom.decide([check_finding("insults", "offensive", 0.1)], [], "en") == (Decision.APPROVE, ())


@pytest.mark.parametrize(
    ("addition", "named_key"),
    [
        ("[scoring.offense]\ncombine = 'logistic'", "scoring.offense"),
        ("[scoring.links.checks.linkz]\nweight = 1.0", "scoring.links.checks.linkz"),
        ("[scoring.links.checks.links]\nweight = -1.0", "scoring.links.checks.links.weight"),
        ("[scoring.links]\ncombine = 'mean'", "scoring.links.combine"),
    ],
)
def test_when_scoring_table_is_wrong_then_the_error_names_the_key(tmp_path, addition, named_key):
    with pytest.raises(PolicyError, match=named_key.replace(".", r"\.")):
        load_registered_policy(write_policy(tmp_path, addition))
