"""Versioned policies: apply validates before it activates, diff, rollback, shadow, audit; workers follow the live one."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from config.settings import settings
from models.db import make_engine
from models.policy_store import PolicyStore
from modscreen.tune.cli import register
from modscreen.tune.policies import apply_edits, parse_edit
from tests.conftest import FILE_POLICY_VERSION, POLICY_PATH
from worker.assembly import load_policy_text

BASE = POLICY_PATH.read_text()


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("MODSCREEN_DATABASE_URL", database_url)
    monkeypatch.setenv("MODSCREEN_ACTOR", "ana")
    settings.cache_clear()
    yield command_runner()
    settings.cache_clear()


def command_runner():
    """run(*args): the `modscreen policy`, `tune` and `rescreen` commands, on the database in the settings."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        pass

    register(app)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def policies(database_url):
    engine = make_engine(database_url)
    yield PolicyStore(engine)
    engine.dispose()


def candidate(tmp_path: Path, spec: str, version: str, name: str = "candidate.toml") -> Path:
    path = tmp_path / name
    path.write_text(apply_edits(BASE, [parse_edit(spec)], version=version))
    return path


def test_when_policy_is_applied_then_it_is_stored_live_with_author_message_and_audit(cli, policies, tmp_path):
    result = cli("policy", "apply", str(candidate(tmp_path, "hate_speech.review_at=0.6", "v2")), "-m", "catch more hate")
    assert result.exit_code == 0, result.output
    versions = {v.version: v for v in policies.versions()}
    assert versions["v2"].status == "live" and versions["v2"].author == "ana"
    assert versions["v2"].message == "catch more hate" and versions["v2"].activated_at is not None
    assert versions[FILE_POLICY_VERSION].status == "retired"  # the policy file, recorded as the baseline
    actions = [e["action"] for e in policies.audit_events("v2")]
    assert actions == ["policy.record", "policy.activate"]


def test_when_policy_is_invalid_then_apply_names_the_key_and_changes_nothing(cli, policies, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(apply_edits(BASE, [parse_edit("hate_speech.review_at=0.95")]))  # above its reject_at 0.9
    result = cli("policy", "apply", str(bad), "-m", "oops")
    assert result.exit_code == 2
    assert "categories.hate_speech" in result.output and "review_at" in result.output
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(BASE + "\n[categories.spam]\nreview_at = 0.5\n")
    assert "unknown category" in cli("policy", "apply", str(unknown), "-m", "x").output
    assert policies.versions() == []


def test_when_version_is_reused_with_other_content_then_apply_refuses(cli, tmp_path):
    assert cli("policy", "apply", str(candidate(tmp_path, "hate_speech.review_at=0.6", "v2")), "-m", "a").exit_code == 0
    other = candidate(tmp_path, "hate_speech.review_at=0.7", "v2", "other.toml")
    result = cli("policy", "apply", str(other), "-m", "b")
    assert result.exit_code == 2 and "new `version`" in result.output


def test_when_two_versions_are_diffed_then_text_and_threshold_table_show(cli, tmp_path):
    cli("policy", "apply", str(candidate(tmp_path, "hate_speech.review_at=0.6", "v2")), "-m", "a")
    result = cli("policy", "diff", FILE_POLICY_VERSION, "v2")
    assert result.exit_code == 0
    shipped = load_policy_text(BASE).thresholds("hate_speech", None).review_at
    assert f"-review_at = {shipped}" in result.output and "+review_at = 0.6" in result.output
    assert "hate_speech" in result.output and str(shipped) in result.output and "0.6" in result.output


def test_when_rolled_back_then_the_previous_live_version_is_live_again(cli, policies, tmp_path):
    cli("policy", "apply", str(candidate(tmp_path, "hate_speech.review_at=0.6", "v2")), "-m", "a")
    cli("policy", "apply", str(candidate(tmp_path, "hate_speech.review_at=0.4", "v3", "c3.toml")), "-m", "b")
    assert policies.live().version == "v3"
    assert cli("policy", "rollback").exit_code == 0
    assert policies.live().version == "v2"
    assert cli("policy", "rollback", FILE_POLICY_VERSION).exit_code == 0
    assert policies.live().version == FILE_POLICY_VERSION
    assert [e["action"] for e in policies.audit_events(FILE_POLICY_VERSION)][-1] == "policy.activate"


def test_when_proposed_then_it_waits_as_candidate_until_activated(cli, policies, tmp_path):
    assert cli("policy", "propose", str(candidate(tmp_path, "links.reject_at=0.9", "v2")), "-m", "p").exit_code == 0
    assert policies.get("v2").status == "candidate" and policies.live() is None
    assert cli("policy", "activate", "v2").exit_code == 0
    assert policies.live().version == "v2"


def test_when_whatif_set_is_proposed_then_the_candidate_is_stored(cli, policies, tmp_path):
    saved = tmp_path / "c.toml"
    result = cli("tune", "whatif", "--set", "hate_speech.review_at=0.6", "--save", str(saved), "--propose", "--message", "why")
    assert result.exit_code == 0, result.output
    assert "review queue" in result.output
    [stored] = [v for v in policies.versions() if v.status == "candidate"]
    assert "review_at = 0.6" in stored.content and saved.read_text() == stored.content


def test_when_an_analyst_uses_the_commands_then_each_answers_from_the_store(cli, store, tmp_path, monkeypatch):
    import json
    import shutil

    from tests.modscreen.tune.test_tune_figures import FIGURES_POLICY, seed

    pinned = tmp_path / "config"  # the figures below were worked out for hate_speech at 0.5 / 0.9
    shutil.copytree(POLICY_PATH.parent / "checks", pinned / "checks")
    shutil.copy(POLICY_PATH.parent / "community.toml", pinned / "community.toml")
    (pinned / "policy.toml").write_text(FIGURES_POLICY)
    monkeypatch.setenv("MODSCREEN_POLICY_PATH", str(pinned / "policy.toml"))
    settings.cache_clear()
    seed(store)
    report = cli("tune", "report", "--category", "hate_speech", "--json")
    assert report.exit_code == 0, report.output
    assert json.loads(report.output)["rows"][0]["acting"]["precision"]["value"] == 0.5
    sweep = cli("tune", "sweep", "hate_speech", "--review-recall", "0.9", "--reject-precision", "0.95",
                "-o", str(tmp_path / "sw"))
    assert sweep.exit_code == 0, sweep.output
    assert "recommended: review_at 0.3" in sweep.output and "reject_at 0.93" in sweep.output
    assert (tmp_path / "sw.png").stat().st_size > 10_000 and (tmp_path / "sw.csv").read_text().count("\n") == 102
    whatif = cli("tune", "whatif", "--set", "hate_speech.review_at=0.3")
    assert whatif.exit_code == 0, whatif.output
    assert "review queue: 2.0 -> 3.5 posts/day (+1.5/day)" in whatif.output
    assert "approve->review 3" in whatif.output
    slider = json.loads(cli("tune", "slider", "hate_speech", "0.3").output)
    assert slider["at_threshold"]["review_per_day"] == 3.5
    out = tmp_path / "labels.csv"
    assert cli("tune", "export", "--format", "csv", "-o", str(out)).exit_code == 0
    import csv

    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 16  # texts hold newlines: CSV quotes them
    shadow = cli("tune", "shadow-report")
    assert shadow.exit_code == 0 and "no shadow screenings" in shadow.output
    assert "12 posts would be screened again" in cli("rescreen", "--since", "2026-01-01", "--dry-run").output
    assert cli("tune", "whatif").exit_code == 2
    assert "unknown category" in cli("tune", "whatif", "--set", "hate.review_at=0.3").output
