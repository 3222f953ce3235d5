"""API clients in the database: found by token hash, added and revoked once each, audited."""

import pytest

from models.api_clients_store import ApiClientsStore, ClientError
from models.review_store import ReviewStore


@pytest.fixture
def clients(store):
    return ApiClientsStore(store.engine)


def test_when_a_client_is_added_then_its_token_hash_finds_it_and_the_addition_is_audited(store, clients):
    clients.add("forum-fr", "sha256-of-token", "ops")
    owner = clients.by_token_hash("sha256-of-token")
    assert (owner.name, owner.token_hash, owner.revoked) == ("forum-fr", "sha256-of-token", False)
    assert clients.by_token_hash("sha256-of-another") is None
    [event] = ReviewStore(store.engine).events(action="api_client")
    assert (event.actor, event.action, event.subject, event.after) == ("ops", "api_client.add", "api_client:forum-fr",
                                                                       {"name": "forum-fr"})


def test_when_a_client_is_revoked_then_its_token_is_marked_revoked_and_its_name_stays_taken(clients):
    clients.add("help-center-en", "hash-1", "ops")
    clients.revoke("help-center-en", "ops")
    assert clients.by_token_hash("hash-1").revoked
    with pytest.raises(ClientError, match=r"client 'help-center-en' is already revoked"):
        clients.revoke("help-center-en", "ops")
    with pytest.raises(ClientError, match=r"already exists \(revoked clients keep their name\)"):
        clients.add("help-center-en", "hash-2", "ops")
    with pytest.raises(ClientError, match=r"no client named 'nobody'"):
        clients.revoke("nobody", "ops")
    [listed] = clients.all()
    assert listed.name == "help-center-en" and listed.revoked_at is not None
