"""The HTTP API against real services: each test runs on SQLite and PostgreSQL, with a private Redis."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer import Typer
from typer.testing import CliRunner

from config import DEFAULT_POLICY
from config.settings import load_settings
from models.store import Store
from models.tables import ApiClientRow, RevisionRow
from modscreen import api_cli
from modscreen._api_clients import ApiClients
from modscreen.api import create_app
from queues.app import app as celery_app
from queues.app import use_broker
from queues.handlers import screen_revisions
from queues.publish import OutcomePublisher
from worker.assembly import build_engine

MAX_BODY_BYTES = 2_000
"""Small, so oversized posts are cheap to build; the setting's floor is 1,000."""


@pytest.fixture(scope="module")
def screening_engine():
    engine = build_engine(DEFAULT_POLICY)
    engine.load()
    return engine


@pytest.fixture
def broker(redis_server):
    """The Celery producer pointed at the private Redis, and back afterwards."""
    previous = celery_app.conf.broker_url
    use_broker(redis_server.url)
    yield redis_server
    use_broker(previous)


@pytest.fixture
def clients(store: Store) -> ApiClients:
    return ApiClients(store.engine)


@pytest.fixture
def token(clients: ApiClients) -> str:
    return clients.add("forum-test")


def make_client(store: Store, broker, **options) -> TestClient:
    app = create_app(store, settings=load_settings(max_body_bytes=MAX_BODY_BYTES), broker=broker.client(), **options)
    return TestClient(app)


@pytest.fixture
def http(store: Store, broker, token: str) -> Iterator[TestClient]:
    with make_client(store, broker) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def post(post_id: str = "p1", revision: int = 1, body: str = "How do I export the call log to CSV?") -> dict:
    return {"id": post_id, "revision": revision, "body": body, "title": "Export CSV", "language": "en"}


def revisions(store: Store, post_id: str) -> list:
    with store.engine.connect() as db:
        return db.execute(select(RevisionRow.__table__).where(RevisionRow.post_id == post_id).order_by(RevisionRow.id)).all()


# ---- submitting -----------------------------------------------------------------------------

def test_when_one_post_is_submitted_then_it_is_recorded_for_its_client_and_enqueued(http, store, broker):
    response = http.post("/v1/posts", json=post())
    assert response.status_code == 202
    assert response.json() == {"accepted": [{"id": "p1", "revision": 1, "status": "accepted"}]}
    [row] = revisions(store, "p1")
    assert row.client == "forum-test"
    assert row.enqueued_at is not None
    assert broker.client().llen("screening") > 0  # the Celery message really is in the private Redis
    assert http.get("/v1/posts/p1").json() == {"post_id": "p1", "revision": 1, "status": "pending", "outcome": None}


def test_when_a_batch_is_submitted_then_each_post_gets_its_status_in_order(http, store, broker):
    first = http.post("/v1/posts", json={"posts": [post("a"), post("b", revision=3), post("a")]})
    assert first.status_code == 202
    assert [(a["id"], a["status"]) for a in first.json()["accepted"]] == [
        ("a", "accepted"), ("b", "accepted"), ("a", "duplicate")]
    again = http.post("/v1/posts", json={"posts": [post("a"), post("b", revision=2, body="An older edit")]})
    assert [a["status"] for a in again.json()["accepted"]] == ["duplicate", "stale"]
    assert store.counts() == {"pending": 2, "superseded": 1}
    assert broker.client().llen("screening") > 0


def test_when_any_post_is_invalid_then_nothing_is_accepted_and_each_field_is_named(http, store):
    batch = {"posts": [post("ok"), {"body": "no id"}, post("c") | {"body": 5}, post("d") | {"revision": "2"}]}
    response = http.post("/v1/posts", json=batch)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert "posts[1].id: is required" in problems
    assert "posts[2].body: input should be a valid string" in problems
    assert any(p.startswith("posts[3].revision: ") for p in problems)
    assert not any(p.startswith("posts[0]") for p in problems)
    assert store.counts() == {}
    single = http.post("/v1/posts", json={"id": "x", "body": 5})
    assert single.status_code == 422 and single.json()["problems"] == ["body: input should be a valid string"]


@pytest.mark.parametrize(("document", "expected"), [
    ({"posts": []}, "posts: must hold 1 to 1,000 posts, got 0"),
    ({"posts": [post(str(n)) for n in range(1_001)]}, "posts: must hold 1 to 1,000 posts, got 1,001"),
    ({"posts": {"id": "x"}}, "posts: expected an array, got object"),
    ([post()], "request: expected an object, got array"),
    ({"posts": ["text"]}, "posts[0]: expected an object, got string"),
])
def test_when_the_batch_itself_is_malformed_then_422_says_how(http, store, document, expected):
    response = http.post("/v1/posts", json=document)
    assert response.status_code == 422
    assert response.json()["problems"] == [expected]
    assert store.counts() == {}


@pytest.mark.parametrize(("raw", "message"), [
    (b'{"id": "p1", "body": ', "invalid JSON: "),
    (b'{"id": "p1", "body": "caf\xe9"}', "invalid UTF-8 at byte "),
    (b"  ", "empty request body"),
    (b'{"id": "p1", "body": "x", "revision": ' + b"9" * 5_000 + b"}", "invalid JSON: "),
])
def test_when_the_body_is_not_json_then_400_says_why(http, raw, message):
    response = http.post("/v1/posts", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_when_a_post_body_is_over_the_byte_limit_then_413_names_it_and_nothing_is_accepted(http, store):
    # under the limit in characters, over it in UTF-8 bytes: the limit is about bytes
    wide = "é" * (MAX_BODY_BYTES // 2 + 1)
    assert len(wide) < MAX_BODY_BYTES < len(wide.encode("utf-8"))
    response = http.post("/v1/posts", json={"posts": [post("fine"), post("huge", body=wide)]})
    assert response.status_code == 413
    [problem] = response.json()["problems"]
    assert problem.startswith("posts[1] (id 'huge'): body is ")
    assert store.counts() == {}
    single = http.post("/v1/posts", json=post("huge", body="x" * (MAX_BODY_BYTES + 1)))
    assert single.status_code == 413 and "'huge'" in single.json()["problems"][0]
    assert http.post("/v1/posts", json=post("edge", body="x" * MAX_BODY_BYTES)).status_code == 202


def test_when_the_request_is_over_the_hard_cap_then_413_before_reading_it_all(store, broker, token):
    cap = 10_000
    with make_client(store, broker, max_request_bytes=cap) as http:
        http.headers["Authorization"] = f"Bearer {token}"
        whole = json.dumps({"posts": [post(str(n), body="x" * 1_000) for n in range(12)]}).encode()
        assert len(whole) > cap
        assert http.post("/v1/posts", content=whole).status_code == 413
        # a declared length over the cap is refused on the header alone: this small body is never read
        small = json.dumps(post("declared")).encode()
        declared = http.post("/v1/posts", content=small, headers={"Content-Length": str(cap + 1)})
        assert declared.status_code == 413 and "10,001 bytes" in declared.json()["error"]

        def chunked():  # no Content-Length at all: the body is counted as it arrives
            for start in range(0, len(whole), 1_000):
                yield whole[start:start + 1_000]

        response = http.post("/v1/posts", content=chunked())
        assert response.status_code == 413
        assert "over the limit of 10,000 bytes" in response.json()["error"]
        assert store.counts() == {}
        assert http.post("/v1/posts", json={"posts": [post("small")]}).status_code == 202


def test_when_the_broker_is_down_then_posts_are_still_accepted_and_left_for_the_reconciler(http, store, broker):
    broker.stop()
    response = http.post("/v1/posts", json={"posts": [post("a"), post("b")]})
    assert response.status_code == 202
    assert [a["status"] for a in response.json()["accepted"]] == ["accepted", "accepted"]
    single = http.post("/v1/posts", json=post("c"))
    assert single.status_code == 202
    for post_id in ("a", "b", "c"):
        [row] = revisions(store, post_id)
        assert row.status == "pending" and row.enqueued_at is None


# ---- authentication -------------------------------------------------------------------------

def test_when_the_token_is_missing_wrong_or_revoked_then_401_with_a_bearer_challenge(store, broker, clients, token):
    with make_client(store, broker) as http:
        missing = http.post("/v1/posts", json=post())
        assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
        for header in (f"Bearer {token}x", "Bearer ms_nothing", f"Basic {token}", "Bearer " + "a" * 5_000):
            wrong = http.post("/v1/posts", json=post(), headers={"Authorization": header})
            assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
        good = {"Authorization": f"Bearer {token}"}
        assert http.get("/v1/posts/p1", headers=good).status_code == 404
        clients.revoke("forum-test")
        assert http.get("/v1/posts/p1", headers=good).status_code == 401
        assert http.get("/v1/posts/p1").status_code == 401
    assert store.counts() == {}


def test_tokens_are_stored_only_as_their_sha256(store, token):
    with store.engine.connect() as db:
        [row] = db.execute(select(ApiClientRow.__table__)).all()
    assert token.startswith("ms_") and len(token) > 40
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash


def test_clients_commands_add_list_and_revoke(store, broker, clients, monkeypatch):
    monkeypatch.setattr(api_cli, "client_registry", lambda: clients)
    cli = Typer()
    cli.add_typer(api_cli.clients_app, name="clients")
    runner = CliRunner()
    added = runner.invoke(cli, ["clients", "add", "helpdesk"])
    assert added.exit_code == 0
    issued = added.stdout.strip()
    assert issued.startswith("ms_") and "\n" not in issued
    duplicate = runner.invoke(cli, ["clients", "add", "helpdesk"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.stderr
    assert runner.invoke(cli, ["clients", "add", "bad name!"]).exit_code == 1
    listed = runner.invoke(cli, ["clients", "list"]).stdout
    assert listed.startswith("helpdesk\t") and listed.rstrip().endswith("active") and issued not in listed
    with make_client(store, broker) as http:
        headers = {"Authorization": f"Bearer {issued}"}
        assert http.post("/v1/posts", json=post(), headers=headers).status_code == 202
        assert runner.invoke(cli, ["clients", "revoke", "helpdesk"]).exit_code == 0
        assert "revoked" in runner.invoke(cli, ["clients", "list"]).stdout
        assert http.post("/v1/posts", json=post(), headers=headers).status_code == 401
    assert runner.invoke(cli, ["clients", "revoke", "helpdesk"]).exit_code == 1
    assert runner.invoke(cli, ["clients", "revoke", "nobody"]).exit_code == 1
    [row] = revisions(store, "p1")
    assert row.client == "helpdesk"


# ---- reading outcomes -----------------------------------------------------------------------

def test_status_is_404_for_an_unknown_post_then_pending_then_the_published_outcome(http, store, broker,
                                                                                     screening_engine):
    assert http.get("/v1/posts/nope").status_code == 404
    http.post("/v1/posts", json=post("topic/42", body="How do I export calls? Where is the IVR menu?"))
    assert http.get("/v1/posts/topic/42").json()["status"] == "pending"
    publisher = OutcomePublisher(broker.client(), "test:outcomes", 10_000)
    ids = [row.id for row in revisions(store, "topic/42")]
    screen_revisions(ids, engine=screening_engine, store=store, publisher=publisher)

    status = http.get("/v1/posts/topic/42").json()
    [(_, published)] = broker.client().xrange("test:outcomes")
    outcome = json.loads(published[b"outcome"])
    assert status["status"] == "screened" and status["revision"] == 1
    assert status["outcome"]["screening_id"] == outcome["screening_id"]
    assert status["outcome"]["decision"] == outcome["decision"]
    assert [r["code"] for r in status["outcome"]["reasons"]] == [r["code"] for r in outcome["reasons"]]
    assert set(status["outcome"]["scores"]) == set(outcome["scores"]) and status["outcome"]["scores"]


# ---- operations -----------------------------------------------------------------------------

def test_healthz_reports_ok_then_503_naming_redis_when_it_stops(store, broker):
    with make_client(store, broker) as http:
        healthy = http.get("/healthz")
        assert healthy.status_code == 200
        assert healthy.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
        broker.stop()
        down = http.get("/healthz")
        assert down.status_code == 503
        assert down.json()["status"] == "unavailable"
        assert down.json()["checks"]["database"] == "ok" and down.json()["checks"]["redis"].startswith("failed")


def test_when_the_database_is_unreachable_then_healthz_names_it_and_requests_get_503(broker):
    from tests.services import free_port
    from models.db import make_engine

    nowhere = Store(make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/absent"))
    with make_client(nowhere, broker) as http:
        health = http.get("/healthz")
        assert health.status_code == 503
        assert health.json()["checks"]["redis"] == "ok" and health.json()["checks"]["database"].startswith("failed")
        refused = http.post("/v1/posts", json=post(), headers={"Authorization": "Bearer ms_anything"})
        assert refused.status_code == 503 and refused.headers["Retry-After"]
    nowhere.engine.dispose()


def test_metrics_count_requests_posts_and_queue_depth(http, broker, monkeypatch):
    from queues import runtime

    monkeypatch.setattr(runtime, "broker_client", broker.client)  # the queue-depth collector reads the broker
    http.post("/v1/posts", json={"posts": [post("a"), post("a")]})
    http.get("/v1/posts/a")
    http.get("/v1/posts/missing")
    response = http.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'modscreen_api_requests_total{method="POST",route="/v1/posts",status="202"} 1.0' in text
    assert 'modscreen_api_requests_total{method="GET",route="/v1/posts/{post_id:path}",status="404"} 1.0' in text
    assert 'modscreen_api_posts_total{status="accepted"} 1.0' in text
    assert 'modscreen_api_posts_total{status="duplicate"} 1.0' in text
    depth = broker.client().llen("screening")
    assert depth > 0 and f'modscreen_queue_depth{{queue="screening"}} {float(depth)}' in text


def test_openapi_lists_the_paths_with_summaries_and_documented_errors(store, broker):
    with make_client(store, broker) as http:
        schema = http.get("/openapi.json").json()
    assert {"/v1/posts", "/v1/posts/{post_id}", "/healthz", "/metrics"} <= set(schema["paths"])
    submit = schema["paths"]["/v1/posts"]["post"]
    assert submit["summary"] and {"202", "400", "401", "413", "422", "503"} <= set(submit["responses"])
    assert submit["requestBody"]["content"]["application/json"]["schema"]["anyOf"]
    assert {"Post", "PostBatch", "Submission", "ErrorResponse", "PostStatus"} <= set(schema["components"]["schemas"])
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert "404" in schema["paths"]["/v1/posts/{post_id}"]["get"]["responses"]


def test_access_logs_name_route_status_and_client_but_never_the_body(http, caplog):
    caplog.set_level(logging.INFO)
    secret = "PRIVATE-BODY-TEXT-7d1f"
    http.post("/v1/posts", json=post(body=f"My number is {secret}"))
    http.post("/v1/posts", json={"posts": [post("x") | {"body": secret, "revision": "no"}]})
    [ok, refused] = [r for r in caplog.records if r.name == "modscreen.api.access"]
    assert (ok.route, ok.status, ok.client, ok.posts) == ("/v1/posts", 202, "forum-test", 1)
    assert (refused.status, refused.client) == (422, "forum-test")
    assert all(secret not in json.dumps(r.__dict__, default=str) for r in caplog.records)


# ---- post ids and clients (issue 12) ----------------------------------------------------------

def test_when_a_post_id_comes_in_nfc_or_nfd_then_it_is_one_post(http, store):
    composed, decomposed = "caf\u00e9-1", "cafe\u0301-1"
    assert http.post("/v1/posts", json=post(composed)).json()["accepted"][0]["status"] == "accepted"
    again = http.post("/v1/posts", json=post(decomposed)).json()["accepted"][0]
    assert (again["id"], again["status"]) == (composed, "duplicate")
    assert http.get(f"/v1/posts/{decomposed}").json()["post_id"] == composed
    assert [row.post_id for row in revisions(store, composed)] == [composed]


@pytest.mark.parametrize("bad_id", ["line\nbreak", "tab\there", "nul\x00", "file\u202egnp.exe", "zero\u200bwidth",
                                    "para\u2029graph", "\u200e"])
def test_when_a_post_id_holds_control_or_invisible_characters_then_422_names_it(http, store, bad_id):
    response = http.post("/v1/posts", json={"posts": [post("fine"), post(bad_id)]})
    assert response.status_code == 422
    assert response.json()["problems"][0].startswith("posts[1].id: must be printable: U+")
    assert store.counts() == {}  # all or nothing


def test_when_another_client_reads_or_revises_a_post_then_it_is_refused(store, broker, clients, token):
    other = clients.add("other-forum")
    with make_client(store, broker) as mine, make_client(store, broker) as theirs:
        mine.headers["Authorization"] = f"Bearer {token}"
        theirs.headers["Authorization"] = f"Bearer {other}"
        assert mine.post("/v1/posts", json=post("shared-7")).status_code == 202
        assert theirs.get("/v1/posts/shared-7").status_code == 404  # as if it did not exist
        overwrite = theirs.post("/v1/posts", json={"posts": [post("theirs-1"), post("shared-7", revision=2,
                                                                                  body="Overwritten")]})
        assert overwrite.status_code == 409
        assert overwrite.json()["problems"] == ["posts[1].id: 'shared-7' belongs to another client"]
        assert [row.revision for row in revisions(store, "shared-7")] == [1] and revisions(store, "theirs-1") == []
        assert mine.get("/v1/posts/shared-7").json()["revision"] == 1
        assert mine.post("/v1/posts", json=post("shared-7", revision=2, body="My edit")).status_code == 202


def test_when_post_ids_are_shared_by_setting_then_clients_read_and_revise_each_others_posts(store, broker, clients,
                                                                                           token):
    other = clients.add("second-backend")
    app = create_app(store, settings=load_settings(max_body_bytes=MAX_BODY_BYTES, api_shared_post_ids=True),
                     broker=broker.client())
    with TestClient(app) as http:
        http.headers["Authorization"] = f"Bearer {token}"
        assert http.post("/v1/posts", json=post("one-space")).status_code == 202
        http.headers["Authorization"] = f"Bearer {other}"
        assert http.get("/v1/posts/one-space").status_code == 200
        assert http.post("/v1/posts", json=post("one-space", revision=2, body="Edited")).status_code == 202


def test_when_a_body_is_over_the_cap_then_the_outcome_says_truncated(http, store, broker, screening_engine):
    from worker.types import Post

    long_body = "How do I export the call log? " * 3_400  # 102,000 characters: over the 100,000 cap
    [acceptance] = store.accept([Post(id="long-1", body=long_body, language="en")], "forum-test")
    screen_revisions([acceptance.revision_id], engine=screening_engine, store=store,
                     publisher=OutcomePublisher(broker.client(), "test:outcomes", 10_000))
    outcome = http.get("/v1/posts/long-1").json()["outcome"]
    assert outcome["truncated"] is True
    http.post("/v1/posts", json=post("short-1"))
    [short] = revisions(store, "short-1")
    screen_revisions([short.id], engine=screening_engine, store=store,
                     publisher=OutcomePublisher(broker.client(), "test:outcomes", 10_000))
    assert http.get("/v1/posts/short-1").json()["outcome"]["truncated"] is False
