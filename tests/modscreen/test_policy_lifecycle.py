"""The policy lifecycle (modscreen/policy_lifecycle.py): the CLI and the pages refuse the same things and
write the same audit rows, because both go through it."""

from __future__ import annotations

import pytest

from config.settings import settings
from models.db import make_engine, upgrade
from models.policy_store import PolicyStore
from modscreen.policy_lifecycle import PolicyLifecycle, PolicyRefused, UnknownVersion
from modscreen.tune.policies import apply_edits, parse_edit
from tests.conftest import FILE_POLICY_VERSION, POLICY_PATH
from tests.modscreen.review.test_analytics_pages import env, policy_file, propose  # noqa: F401 (env, policy_file: fixtures)
from tests.models.test_policy_versions import command_runner
from tests.modscreen.review.test_review_app import csrf

BASE = POLICY_PATH.read_text()


@pytest.fixture
def lifecycle(database_url):
    engine = make_engine(database_url)
    yield PolicyLifecycle(PolicyStore(engine), POLICY_PATH)
    engine.dispose()


def edited(spec: str, version: str) -> str:
    return apply_edits(BASE, [parse_edit(spec)], version=version)


def audit_trail(policies: PolicyStore) -> list[tuple]:
    return [(e["actor"], e["action"], e["subject"], e["before"], e["after"]) for e in policies.audit_events()]


def run_cli(database_url: str, policy_path, monkeypatch, *args: str):
    monkeypatch.setenv("MODSCREEN_DATABASE_URL", database_url)
    monkeypatch.setenv("MODSCREEN_POLICY_PATH", str(policy_path))
    settings.cache_clear()
    try:
        return command_runner()(*args)
    finally:
        settings.cache_clear()


def test_activating_from_the_cli_and_from_the_page_write_the_same_audit_rows(env, policy_file, tmp_path, monkeypatch):
    page_store = PolicyStore(env["store"].engine)
    assert propose(env["ann"], review_at="0.3").status_code == 303
    [proposed] = page_store.versions()
    page = env["ada"].get(f"/review/policies/{proposed.version}")
    answer = env["ada"].post("/review/policies/activate", data={"csrf_token": csrf(page.text),
                                                                "version": proposed.version, "message": "agreed"})
    assert answer.status_code == 200 and page_store.live().version == proposed.version

    cli_url = f"sqlite:///{tmp_path / 'cli.db'}"  # the same steps on another database, through the commands
    upgrade(cli_url)
    (tmp_path / "proposed.toml").write_text(proposed.content)
    proposing = run_cli(cli_url, policy_file, monkeypatch, "policy", "propose", str(tmp_path / "proposed.toml"),
                        "--author", "ann", "-m", proposed.message)
    assert proposing.exit_code == 0, proposing.output
    activating = run_cli(cli_url, policy_file, monkeypatch, "policy", "activate", proposed.version,
                         "--author", "ada", "-m", "agreed")
    assert activating.exit_code == 0 and f"{proposed.version} is live" in activating.output

    cli_engine = make_engine(cli_url)
    try:
        assert audit_trail(PolicyStore(cli_engine)) == audit_trail(page_store)
    finally:
        cli_engine.dispose()
    assert [action for _, action, *_ in audit_trail(page_store)] == [
        "policy.record", "policy.record", "policy.activate", "policy.activate"]  # the proposal, the baseline, both live


def test_when_the_live_version_is_activated_again_then_nothing_is_written(lifecycle):
    first = lifecycle.apply(edited("hate_speech.review_at=0.6", "v2"), "v2.toml", "ana", "catch more hate")
    assert first.changed and first.replaced == FILE_POLICY_VERSION  # the policy file became the baseline
    trail = audit_trail(lifecycle.store)
    again = lifecycle.activate("v2", "ada", "again")
    assert (again.changed, again.version.version) == (False, "v2")
    assert audit_trail(lifecycle.store) == trail


def test_when_a_stored_version_no_longer_validates_then_it_is_not_made_live_nor_shadowed(lifecycle):
    broken = edited("hate_speech.review_at=0.6", "old-1") + "\n[categories.spam]\nreview_at = 0.5\n"
    lifecycle.store.record("old-1", broken, "ana", "stored before the spam category was removed")
    for step in (lambda: lifecycle.activate("old-1", "ada", "m"), lambda: lifecycle.shadow("old-1", "ada", "m"),
                 lambda: lifecycle.rollback("old-1", "ada", "m")):
        with pytest.raises(PolicyRefused, match="old-1 no longer validates, nothing changed: .*unknown category"):
            step()
    assert lifecycle.store.live() is None and lifecycle.store.shadow() is None
    assert [e["action"] for e in lifecycle.store.audit_events()] == ["policy.record"]


def test_when_an_invalid_text_is_proposed_then_nothing_is_stored(lifecycle):
    above = edited("hate_speech.review_at=0.95", "v9")  # above the shipped reject_at 0.9
    with pytest.raises(PolicyRefused, match="invalid policy, nothing stored: v9.toml: categories.hate_speech"):
        lifecycle.propose(above, "v9.toml", "ana", "too strict")
    with pytest.raises(PolicyRefused, match="invalid policy, nothing changed: v9.toml: categories.hate_speech"):
        lifecycle.apply(above, "v9.toml", "ana", "too strict")
    assert lifecycle.store.versions() == []


def test_when_the_same_text_is_proposed_twice_then_the_stored_candidate_is_returned(lifecycle):
    text = edited("links.reject_at=0.9", "v2")
    first = lifecycle.propose(text, "v2.toml", "ana", "fewer links")
    second = lifecycle.propose(text, "v2.toml", "ben", "fewer links")
    assert (first.created, second.created) == (True, False) and second.version == first.version
    with pytest.raises(PolicyRefused, match="new `version`"):
        lifecycle.propose(edited("links.reject_at=0.8", "v2"), "other.toml", "ana", "same name, other text")


def test_a_shadow_runs_beside_the_live_version_and_is_never_the_live_one(lifecycle):
    lifecycle.apply(edited("hate_speech.review_at=0.6", "v2"), "v2.toml", "ana", "live")
    with pytest.raises(PolicyRefused, match="v2 is the live policy"):
        lifecycle.shadow("v2", "ana", "m")
    lifecycle.propose(edited("hate_speech.review_at=0.3", "s1"), "s1.toml", "ana", "try lower")
    assert lifecycle.shadow("s1", "ana", "m").status == "shadow"
    assert (lifecycle.store.live().version, lifecycle.store.shadow().version) == ("v2", "s1")
    assert lifecycle.stop_shadow("ana", "enough").version == "s1" and lifecycle.store.shadow() is None
    with pytest.raises(PolicyRefused, match="no shadow policy is running"):
        lifecycle.stop_shadow("ana", "again")


def test_when_a_version_is_unknown_then_each_step_says_so(lifecycle):
    for step in (lambda: lifecycle.activate("nope", "ada", "m"), lambda: lifecycle.shadow("nope", "ada", "m")):
        with pytest.raises(UnknownVersion, match="no policy version 'nope' is stored"):
            step()
    with pytest.raises(UnknownVersion, match="no previous live version to roll back to"):
        lifecycle.rollback(None, "ada", "m")
