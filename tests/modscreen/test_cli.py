import json
import shutil

from typer.testing import CliRunner

from modscreen.cli import app
from tests.conftest import ACME_COMMUNITY, COMMUNITY_PATH, REPO

EXAMPLES = REPO / "examples" / "posts.jsonl"
runner = CliRunner()


def test_when_examples_are_screened_then_every_line_yields_one_record_whose_evidence_matches_the_source(tmp_path):
    output = tmp_path / "verdicts.jsonl"
    result = runner.invoke(app, ["screen", str(EXAMPLES), "--output", str(output)])
    assert result.exit_code == 0, result.output
    inputs = EXAMPLES.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(inputs)
    for line, record in zip(inputs, records, strict=True):
        if "error" in record:
            continue
        post = json.loads(line)
        assert record["post_id"] == post["id"]
        for reason in record["reasons"]:
            for evidence in reason["evidence"]:
                field = post[evidence["field"]]
                assert field[evidence["start"] : evidence["end"]] == evidence["text"]


def test_when_reading_standard_input_then_verdicts_go_to_standard_output():
    result = runner.invoke(app, ["screen", "-"], input='{"id": "a", "body": "Bonjour à tous"}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["post_id"] == "a"


def test_when_pretty_with_output_then_the_report_is_printed_and_the_jsonl_goes_to_the_file(tmp_path):
    # what `make demo` runs: a person reads the report; the machine-readable verdicts are in the file
    output = tmp_path / "verdicts.jsonl"
    result = runner.invoke(app, ["screen", str(EXAMPLES), "--pretty", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "en-multi-1 (revision 1): REVIEW" in result.stdout
    assert "multiple questions 1.00: sends to review at 0.70" in result.stdout
    assert not any(line.startswith("{") for line in result.stdout.splitlines())
    assert len(output.read_text(encoding="utf-8").splitlines()) == len(EXAMPLES.read_text(encoding="utf-8").splitlines())
    assert f"verdicts (JSONL) written to {output}" in result.stderr


def test_when_policy_is_invalid_then_screen_stops_with_an_error_naming_the_key(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text((REPO / "config" / "policy.toml").read_text().replace("review_at = 0.7", "review_at = 7"))
    result = runner.invoke(app, ["screen", str(EXAMPLES), "--policy", str(policy)])
    assert result.exit_code == 2
    assert "categories.multiple_questions.review_at" in result.output


def test_when_explaining_a_post_then_report_shows_decision_reason_and_evidence(tmp_path):
    post = tmp_path / "post.json"
    post.write_text(json.dumps({
        "id": "x1", "title": "Export", "format": "html",
        "body": "<p>How do I export calls? And where is the IVR editor?</p>",
    }, indent=2))
    result = runner.invoke(app, ["explain", str(post)])
    assert result.exit_code == 0, result.output
    assert "REVIEW" in result.stdout
    assert "multiple questions 1.00: sends to review at 0.70" in result.stdout
    assert "How do I export calls?" in result.stdout


def test_when_a_post_carries_terminal_escapes_then_the_report_shows_them_inert(tmp_path):
    post = tmp_path / "post.json"
    post.write_text(json.dumps({"id": "x2", "body": "How? \u001b[2J\u001b]0;pwned\u0007 Why?"}))
    result = runner.invoke(app, ["explain", str(post)])
    assert "\x1b]0;pwned" not in result.stdout and "\x1b[2J" not in result.stdout


def test_when_input_file_is_missing_then_error_is_clear():
    result = runner.invoke(app, ["screen", "/nonexistent/posts.jsonl"])
    assert result.exit_code == 2
    assert "cannot read /nonexistent/posts.jsonl" in result.output


def test_when_the_community_profile_is_the_shipped_placeholder_then_screen_warns_which_file_to_edit():
    result = runner.invoke(app, ["screen", "-"], input='{"id": "a", "body": "Bonjour à tous"}\n')
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("modscreen: warning:")]
    assert "still the shipped placeholder (contactflow.example" in warning and str(COMMUNITY_PATH) in warning
    assert "warning" not in result.stdout


def test_when_the_community_profile_is_filled_in_then_screen_prints_no_warning(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(REPO / "config" / "checks", config / "checks")
    shutil.copy(REPO / "config" / "policy.toml", config / "policy.toml")
    (config / "community.toml").write_text(ACME_COMMUNITY, encoding="utf-8")
    result = runner.invoke(app, ["screen", "-", "--policy", str(config / "policy.toml")],
                           input='{"id": "a", "body": "Bonjour à tous"}\n')
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr and result.stderr.startswith("modscreen: 1 lines:")


def test_when_the_community_profile_is_missing_then_screen_stops_with_an_error_naming_it(tmp_path):
    shutil.copytree(REPO / "config" / "checks", tmp_path / "checks")
    shutil.copy(REPO / "config" / "policy.toml", tmp_path / "policy.toml")
    result = runner.invoke(app, ["screen", str(EXAMPLES), "--policy", str(tmp_path / "policy.toml")])
    assert result.exit_code == 2
    assert f"configuration error: {tmp_path / 'community.toml'}: missing" in result.stderr
