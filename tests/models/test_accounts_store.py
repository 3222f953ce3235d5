"""Users and sessions in the database, audited in the same transaction, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from models.accounts_store import AccountsStore, UsernameTaken
from models.db import now
from models.review_store import ReviewStore


@pytest.fixture
def accounts(store):
    return AccountsStore(store.engine)


def audit(store, action):
    return [(e.actor, e.action, e.subject, e.before, e.after) for e in ReviewStore(store.engine).events(action=action)]


def open_session(accounts, username, token_hash="hash-of-a-token", rehashed=None):
    moment = now()
    accounts.open_session(accounts.user(username), token_hash, "csrf-token", moment, moment + timedelta(hours=1),
                          rehashed)


def test_when_a_user_is_added_then_it_is_listed_by_name_and_the_addition_audited(store, accounts):
    accounts.add_user("chloe.martin", "argon2-hash-1", "moderator", "admin")
    accounts.add_user("alice", "argon2-hash-2", "analyst", "admin")
    assert [(u.username, u.role, u.disabled) for u in accounts.users()] == [
        ("alice", "analyst", False), ("chloe.martin", "moderator", False)]
    chloe = accounts.user("chloe.martin")
    assert chloe.password_hash == "argon2-hash-1" and chloe.created_at.tzinfo is not None
    assert accounts.user("nobody") is None
    assert audit(store, "user.add")[-1] == ("admin", "user.add", "user:chloe.martin", None, {"role": "moderator"})


def test_when_a_username_is_taken_then_adding_it_again_raises_and_records_nothing(store, accounts):
    accounts.add_user("alice", "argon2-hash", "analyst", "admin")
    with pytest.raises(UsernameTaken):
        accounts.add_user("alice", "another-hash", "admin", "mallory")
    assert accounts.user("alice").role == "analyst" and len(audit(store, "user.add")) == 1


def test_when_a_password_hash_is_set_then_every_open_session_of_the_user_ends(store, accounts):
    accounts.add_user("alice", "old-hash", "moderator", "admin")
    open_session(accounts, "alice")
    assert accounts.session("hash-of-a-token").username == "alice"
    assert accounts.set_password_hash("alice", "new-hash", "admin") is True
    assert accounts.user("alice").password_hash == "new-hash"
    assert accounts.session("hash-of-a-token") is None
    assert accounts.set_password_hash("nobody", "new-hash", "admin") is False
    assert audit(store, "user.password") == [("admin", "user.password", "user:alice", None, None)]


def test_when_a_user_is_disabled_then_their_sessions_end_and_the_change_is_audited_before_and_after(store, accounts):
    accounts.add_user("bruno", "hash", "moderator", "admin")
    open_session(accounts, "bruno")
    assert accounts.change_user("bruno", "admin", disable=True) is True
    assert accounts.user("bruno").disabled and accounts.session("hash-of-a-token") is None
    assert audit(store, "user.disable") == [("admin", "user.disable", "user:bruno",
                                             {"role": "moderator", "disabled": False},
                                             {"role": "moderator", "disabled": True})]
    assert accounts.change_user("nobody", "admin", role="admin") is False


def test_when_a_role_changes_or_a_user_is_unlocked_then_the_audited_action_says_which(store, accounts):
    accounts.add_user("bruno", "hash", "moderator", "admin")
    accounts.change_user("bruno", "admin", role="analyst")
    accounts.change_user("bruno", "admin", unlock=True)
    assert accounts.user("bruno").role == "analyst"
    assert [(e[1], e[3], e[4]) for e in reversed(audit(store, "user")) if e[1] != "user.add"] == [
        ("user.role", {"role": "moderator", "disabled": False}, {"role": "analyst", "disabled": False}),
        ("user.unlock", {"role": "analyst", "disabled": False}, {"role": "analyst", "disabled": False})]


def test_when_a_session_opens_with_a_stronger_hash_then_it_is_stored_and_the_sign_in_audited(store, accounts):
    accounts.add_user("alice", "weak-hash", "moderator", "admin")
    open_session(accounts, "alice", rehashed="stronger-hash")
    session = accounts.session("hash-of-a-token")
    assert (session.username, session.role, session.csrf_token) == ("alice", "moderator", "csrf-token")
    assert session.expires_at > now()
    assert accounts.user("alice").password_hash == "stronger-hash"
    assert audit(store, "signin") == [("alice", "signin", "user:alice", None, None)]


def test_when_a_session_is_closed_then_it_is_no_longer_found_and_the_sign_out_audited(store, accounts):
    accounts.add_user("alice", "hash", "moderator", "admin")
    open_session(accounts, "alice")
    accounts.close_session("hash-of-a-token", "alice")
    assert accounts.session("hash-of-a-token") is None
    assert audit(store, "signout") == [("alice", "signout", "user:alice", None, None)]
