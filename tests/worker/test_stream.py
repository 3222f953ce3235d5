import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import POLICY_PATH
from worker.assembly import build_engine
from worker.stream import read_lines, screen_lines


@pytest.fixture(scope="module")
def engine():
    built = build_engine(POLICY_PATH)
    built.load()
    return built


def screen_bytes(engine, data: bytes, **options) -> list[dict]:
    return list(screen_lines(engine, read_lines(io.BytesIO(data), **options), batch_size=3))


def test_when_lines_mix_good_and_bad_records_then_each_line_gets_one_record_in_order(engine):
    lines = [
        b'{"id": "ok-1", "body": "Bonjour, comment exporter les appels ?", "language": "fr"}',
        b"not json at all",
        b'{"body": "no id"}',
        b'{"id": "bad-type", "body": 42}',
        b'["an", "array"]',
        b"",
        b'{"id": "bad-utf8", "body": "caf\xe9"}',
        b'{"id": "ok-2", "body": "", "format": "html"}',
        b'{"id": "bad-format", "body": "x", "format": "pdf"}',
        b'{"id": "' + b"x" * 129 + b'", "body": "x"}',
        b'{"id": "nul", "body": "a\\u0000b \\ud800 c"}',
    ]
    records = screen_bytes(engine, b"\n".join(lines) + b"\n")
    assert len(records) == len(lines)
    assert records[0]["post_id"] == "ok-1" and records[7]["post_id"] == "ok-2"
    assert records[10]["post_id"] == "nul" and records[10]["decision"] in {"approve", "review", "reject"}
    errors = {r["line"]: r["error"] for r in records if "error" in r}
    assert errors[2].startswith("invalid JSON")
    assert errors[3] == "id: is required"
    assert errors[4].startswith("body:") and errors[4 + 1].startswith("expected a JSON object")
    assert errors[6].startswith("empty line")
    assert errors[7].startswith("invalid UTF-8")
    assert errors[9].startswith("format:")
    assert errors[10].startswith("id:")
    assert records[3]["post_id"] == "bad-type"  # an invalid record still names its post


def test_when_a_line_is_longer_than_the_limit_then_it_is_refused_and_the_next_line_still_screens(engine):
    data = b'{"id": "huge", "body": "' + b"a" * 5000 + b'"}\n{"id": "next", "body": "hello"}\n'
    records = screen_bytes(engine, data, max_line_bytes=1000)
    assert records[0]["error"] == "line longer than 1000 bytes"
    assert records[1]["post_id"] == "next"


def test_when_html_is_nested_ten_thousand_levels_deep_then_it_screens(engine):
    body = "<div>" * 10_000 + "How do I export calls? Where is the IVR editor?" + "</div>" * 10_000
    [record] = screen_bytes(engine, json.dumps({"id": "deep", "body": body, "format": "html"}).encode())
    assert record["decision"] == "review" and not record["failures"]
    [reason] = [r for r in record["reasons"] if r["category"] == "multiple_questions"]
    assert [e["text"] for e in reason["evidence"]] == ["How do I export calls?", "Where is the IVR editor?"]


def test_when_json_is_nested_too_deeply_then_the_line_is_an_error(engine):
    [record] = screen_bytes(engine, b"[" * 100_000 + b"]" * 100_000)
    assert "error" in record


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
post_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=140) | json_values,
        "body": st.text(max_size=300) | json_values,
        "title": st.text(max_size=50) | st.none() | json_values,
        "format": st.sampled_from(["text", "html", "markdown", "bbcode", "rtf"]) | json_values,
        "reply_to": st.text(max_size=5) | st.none(),
        "revision": st.integers() | json_values,
        "created_at": st.sampled_from(["2026-11-27T08:00:00Z", "yesterday"]) | json_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(post_like | st.dictionaries(st.text(max_size=8), json_values, max_size=4), min_size=1, max_size=6))
def test_any_json_object_yields_exactly_one_output_line(engine, objects):
    data = b"".join(json.dumps(obj).encode() + b"\n" for obj in objects)
    records = screen_bytes(engine, data)
    assert len(records) == len(objects)
    for number, record in enumerate(records, start=1):
        assert ("error" in record and record["line"] == number) or record["decision"] in {"approve", "review", "reject"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=200).filter(lambda b: b"\n" not in b and b"\r" not in b), min_size=1, max_size=6))
def test_any_bytes_line_yields_exactly_one_output_line(engine, lines):
    records = screen_bytes(engine, b"".join(line + b"\n" for line in lines))
    assert len(records) == len(lines)
