"""The shipped examples, screened end to end: every category shows up, in English and French.

Changing a verdict here means the engine's behaviour changed: edit the table on purpose.
"""

import io

import pytest

from tests.conftest import POLICY_PATH, REPO
from worker.assembly import build_engine
from worker.stream import read_lines, screen_lines

EXPECTED = {
    # post id: (decision, categories among the reasons)
    "en-clean-1": ("approve", set()), "fr-clean-1": ("approve", set()),
    "en-multi-1": ("review", {"multiple_questions"}), "fr-multi-1": ("review", {"multiple_questions"}),
    "en-bold-1": ("review", {"formatting"}), "fr-bold-1": ("review", {"formatting"}),
    "en-code-not-bold": ("approve", set()),
    "en-sms-1": ("review", {"sms_language"}), "fr-sms-1": ("review", {"sms_language"}),
    # fr-ad-1 (-40 %, 99 €, "contactez-moi en MP", a promo code) is rejected since the promotion model
    # learned French help-center ads (P 0.99 >= advertising.reject_at 0.9)
    "en-ad-1": ("review", {"advertising", "links"}), "fr-ad-1": ("reject", {"advertising"}),
    "en-title-1": ("review", {"unclear_title"}), "fr-title-1": ("review", {"unclear_title"}),
    "en-reply-ok": ("approve", set()), "fr-reply-thanks": ("approve", set()),
    "en-reply-newq": ("review", {"question_in_existing_topic"}),
    "fr-reply-offtopic": ("review", {"off_topic", "question_in_existing_topic"}),
    "en-links-1": ("reject", {"links"}), "en-links-ok": ("approve", set()),
    "en-pii-1": ("review", {"personal_data"}), "fr-pii-1": ("review", {"personal_data"}),
    "fr-pii-ok": ("approve", set()),
    # Offensive is decided on the combined category score (policy [scoring.offensive]); with insults model
    # 3.0.0 (trained on French and help-center posts too) both insulting examples score above reject_at.
    "en-offensive-1": ("reject", {"offensive", "unclear_title"}), "fr-offensive-1": ("reject", {"offensive", "unclear_title"}),
    "en-hate-1": ("review", {"hate_speech"}), "fr-hate-1": ("review", {"hate_speech"}),
    "en-threat-1": ("review", {"threats"}), "fr-threat-1": ("review", {"threats"}),
    "en-kill-ok": ("approve", set()),
    "de-1": ("review", {"language"}),
}


@pytest.fixture(scope="module")
def records():
    engine = build_engine(POLICY_PATH)
    engine.load()
    data = (REPO / "examples" / "posts.jsonl").read_bytes()
    return list(screen_lines(engine, read_lines(io.BytesIO(data))))


def test_when_examples_are_screened_then_each_gets_its_expected_decision_and_reasons(records):
    verdicts = {record["post_id"]: record for record in records if "decision" in record}
    assert set(verdicts) == set(EXPECTED)
    for post_id, (decision, categories) in EXPECTED.items():
        got = verdicts[post_id]
        assert (got["decision"], {r["category"] for r in got["reasons"]}) == (decision, categories), post_id


def test_when_examples_include_bad_records_then_each_is_one_error_line(records):
    lines = (REPO / "examples" / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(records) == len(lines)
    assert [record["line"] for record in records if "error" in record] == [31, 32, 33]


def test_every_category_is_shown_by_an_example_and_both_languages_are_there():
    from worker.types import Category

    assert set().union(*(categories for _, categories in EXPECTED.values())) == {c.value for c in Category}
    by_language = {language: [post_id for post_id in EXPECTED if post_id.startswith(f"{language}-")]
                   for language in ("en", "fr")}
    assert all(len(post_ids) >= 10 for post_ids in by_language.values())
