"""The category catalogue: one entry per category, read by the contract, the policy and the review app."""

import re

import pytest

from tests.conftest import REPO
from worker.categories import (
    BY_NAME, CATALOGUE, NAMES, by_severity, category_of_reason, label, reject_reason, severity_rank,
)
from worker.types import Category


def test_when_the_contract_lists_categories_then_it_lists_exactly_the_catalogue_in_its_order():
    assert [c.value for c in Category] == list(NAMES)
    assert len(set(NAMES)) == len(NAMES)


def test_when_a_category_is_unknown_then_it_ranks_last_instead_of_raising():
    assert severity_rank("threats") == 0
    assert severity_rank("no_such_category") == len(CATALOGUE)
    assert by_severity(["formatting", "made_up", "threats", "hate_speech"]) == [
        "threats", "hate_speech", "formatting", "made_up"]


def test_when_categories_are_ranked_then_threats_and_hate_come_before_style():
    assert severity_rank("threats") < severity_rank("hate_speech") < severity_rank("offensive")
    assert severity_rank("hate_speech") < severity_rank("formatting")


def test_when_a_reason_is_cited_then_it_maps_back_to_its_category():
    for info in CATALOGUE:
        if info.reject_reason:
            assert category_of_reason(info.reject_reason) == info.name
    assert reject_reason("links") == "dangerous_link" and category_of_reason("dangerous_link") == "links"
    assert reject_reason("language") == "other" and reject_reason("made_up") == "other"
    assert category_of_reason("other") is None


def test_when_a_label_is_asked_then_known_names_read_as_words_and_unknown_ones_are_spelled_out():
    assert label("threats") == "threats" and label("sms_language") == "SMS language"
    assert label("some_new_thing") == "some new thing"


@pytest.mark.parametrize("info", CATALOGUE, ids=lambda info: info.name)
def test_when_an_entry_is_read_then_its_colours_are_css_hex_and_its_texts_are_set(info):
    assert re.fullmatch(r"#[0-9a-f]{6}", info.background) and re.fullmatch(r"#[0-9a-f]{6}", info.border)
    assert info.label and info.reject_label
    assert BY_NAME[info.name] is info


def test_when_the_policy_is_shipped_then_every_catalogue_category_has_a_section():
    text = (REPO / "config" / "policy.toml").read_text(encoding="utf-8")
    assert all(f"[categories.{name}]" in text for name in NAMES)


def test_when_review_app_and_tuning_tools_list_categories_then_they_read_the_catalogue():
    from modscreen.review.render import CATEGORY_LABELS, REJECT_REASONS, category_stylesheet
    from modscreen.tune.labels import REASON_CODES, reason_category

    assert set(CATEGORY_LABELS) == set(NAMES)
    assert {reason_category(code) for code in REJECT_REASONS} - {None} <= set(NAMES)
    assert "threats" in REJECT_REASONS and "threats" in REASON_CODES
    assert all(f".cat-{name} " in category_stylesheet() for name in NAMES)
