import time

import pytest

from worker.checks import Check, CheckSettings
from worker.engine import Engine
from worker.policy import Policy, Thresholds
from worker.types import Decision, Hit, Post, Span


class _Fake(Check):
    category = "advertising"
    version = "0.0.1"
    codes = frozenset({"advertising.fake"})

    def __init__(self, behaviour):
        super().__init__(CheckSettings())
        self.behaviour = behaviour
        self.batch_calls = 0

    def check_batch(self, docs):
        self.batch_calls += 1
        return [self.behaviour(doc) for doc in docs]


def engine_with(behaviour, name="fake", seconds_per_post=2.0):
    fake = type("Fake", (_Fake,), {"name": name})(behaviour)
    policy = Policy(
        version="test-1",
        categories={"advertising": Thresholds(review_at=0.5, reject_at=0.9)},
        limits={"check_seconds_per_post": seconds_per_post},
    )
    return Engine([fake], policy), fake


def post(body="Buy cheap licences now", post_id="p1"):
    return Post(id=post_id, body=body)


def test_when_score_reaches_reject_at_then_post_is_rejected_with_evidence_offsets():
    engine, _ = engine_with(lambda doc: [Hit("advertising.fake", 0.95, "Ad.", (Span("body", 4, 9),))])
    verdict = engine.screen(post())
    assert verdict.decision is Decision.REJECT
    [reason] = verdict.reasons
    assert (reason.action, reason.threshold, reason.score) == (Decision.REJECT, 0.9, 0.95)
    assert [(e.start, e.end, e.text) for e in reason.evidence] == [(4, 9, "cheap")]
    assert verdict.scores == {"advertising": 0.95}
    assert verdict.checks == {"fake": "0.0.1"}


def test_when_score_is_between_thresholds_then_post_goes_to_review():
    engine, _ = engine_with(lambda doc: [Hit("advertising.fake", 0.6, "Ad.")])
    assert engine.screen(post()).decision is Decision.REVIEW


def test_when_check_finds_nothing_then_post_is_approved_and_category_scores_zero():
    engine, _ = engine_with(lambda doc: [])
    verdict = engine.screen(post())
    assert (verdict.decision, verdict.scores, verdict.reasons) == (Decision.APPROVE, {"advertising": 0.0}, ())


def test_when_check_raises_on_one_post_then_only_that_post_fails_and_goes_to_review():
    def behaviour(doc):
        if "boom" in doc.body.text:
            raise RuntimeError("model exploded")
        return []

    engine, fake = engine_with(behaviour)
    verdicts = engine.screen_many([post("fine", "a"), post("boom", "b"), post("fine too", "c")])
    assert [v.decision for v in verdicts] == [Decision.APPROVE, Decision.REVIEW, Decision.APPROVE]
    assert verdicts[1].failures[0].check == "fake"
    assert "model exploded" in verdicts[1].failures[0].error
    assert "advertising" not in verdicts[1].scores  # a failed check did not run
    assert fake.batch_calls == 4  # the batch, then each post alone to isolate the culprit


def test_when_check_overruns_its_budget_then_it_is_a_failure_not_an_approval():
    def slow(doc):
        time.sleep(0.3)
        return []

    engine, _ = engine_with(slow, seconds_per_post=0.05)
    verdict = engine.screen(post())
    assert verdict.decision is Decision.REVIEW
    assert "CheckTimeout" in verdict.failures[0].error


@pytest.mark.parametrize(
    "bad_hit",
    [
        Hit("advertising.fake", 1.5, "score above one"),
        Hit("advertising.fake", float("nan"), "not a number"),
        Hit("advertising.undeclared", 0.2, "undeclared code"),
        Hit("advertising.fake", 0.2, "span past the end", (Span("body", 0, 10_000),)),
        Hit("advertising.fake", 0.2, "span on a missing title", (Span("title", 0, 1),)),
    ],
)
def test_when_check_breaks_its_contract_then_post_goes_to_review(bad_hit):
    engine, _ = engine_with(lambda doc: [bad_hit])
    verdict = engine.screen(post())
    assert verdict.decision is Decision.REVIEW
    assert verdict.failures[0].error.startswith("CheckContractError")


def test_when_body_exceeds_the_cap_then_it_is_screened_truncated_and_says_so():
    seen = []
    engine, _ = engine_with(lambda doc: seen.append(len(doc.body.text)) or [])
    verdict = engine.screen(post("word " * 30_000))
    assert verdict.truncated and seen == [100_000]


def test_when_same_content_is_screened_twice_then_content_hash_is_stable_and_edits_change_it():
    engine, _ = engine_with(lambda doc: [])
    first, again = engine.screen(post("Hello")), engine.screen(post("Hello"))
    edited = engine.screen(post("Hello!"))
    assert first.content_hash == again.content_hash != edited.content_hash


def _offensive_check(name, score, word):
    class _Offensive(_Fake):
        category = "offensive"
        codes = frozenset({f"offensive.{name}"})

        def __init__(self):
            super().__init__(lambda doc: [Hit(f"offensive.{name}", score, f"{name} found",
                                              (Span("body", doc.body.text.index(word), doc.body.text.index(word) + len(word)),))]
                             if word in doc.body.text else [])

    return type(name.title(), (_Offensive,), {"name": name})()


def test_when_a_category_has_a_scoring_table_then_verdict_scores_and_reasons_use_the_combined_score():
    from worker.category_scores import CategoryScoring

    checks = [_offensive_check("wordlist", 0.9, "damn"), _offensive_check("model", 0.8, "idiot")]
    scoring = CategoryScoring.model_validate({"combine": "logistic", "bias": -1.0, "checks": {
        "wordlist": {"weight": 0.0, "present": 0.5}, "model": {"weight": 1.0, "present": 0.0}}})
    policy = Policy(version="test-1", categories={"offensive": Thresholds(review_at=0.5, reject_at=0.95)},
                    scoring={"offensive": scoring})
    engine = Engine(checks, policy)
    swearing, insult, both = engine.screen_many([post("damn this update"), post("you idiot"), post("damn you idiot")])
    # under the highest-score rule the lone swear word (0.9) would outrank the insult (0.8)
    assert swearing.scores["offensive"] < 0.5 <= insult.scores["offensive"] < both.scores["offensive"]
    assert swearing.decision is Decision.APPROVE and insult.decision is Decision.REVIEW
    (reason,) = both.reasons
    assert reason.score == both.scores["offensive"]
    assert [e.text for e in reason.evidence] == ["idiot", "damn"]  # the model pushed most, then the word list
