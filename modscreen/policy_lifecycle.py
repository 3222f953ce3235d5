"""The policy lifecycle: record, propose, apply, activate, shadow, roll back.

The one place that decides what may be stored and made live; the ``modscreen policy`` commands,
``modscreen tune whatif --propose`` and the analysts' pages all go through it, so they refuse
the same things with the same words and write the same audit rows (PolicyStore writes them).

A policy text is validated exactly as a worker validates one before it is stored; a stored
version is validated again before it goes live or into shadow (the checks may have changed
since it was stored). Before the first version goes live, the policy file is recorded as the
live baseline, so there is always a version to roll back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models.policy_store import PolicyStore, PolicyStoreError, PolicyVersion
from worker.assembly import load_policy_text
from worker.errors import ConfigurationError
from worker.policy import Policy


class PolicyRefused(ValueError):
    """A lifecycle step that cannot be done; nothing changed, and the message says why."""


class UnknownVersion(PolicyRefused):
    """No stored policy version has the name asked for."""


@dataclass(frozen=True, slots=True)
class Proposal:
    version: PolicyVersion
    created: bool
    """False when the same version with the same text was already stored (the stored one is returned)."""


@dataclass(frozen=True, slots=True)
class Activation:
    version: PolicyVersion
    replaced: str | None
    """The version that was live just before (None when the workers were using the policy file)."""
    changed: bool
    """False when the version was live already (nothing was written)."""


class PolicyLifecycle:
    def __init__(self, store: PolicyStore, policy_path: Path) -> None:
        self.store = store
        self.policy_path = Path(policy_path)

    def validate(self, text: str, source: str, refusal: str = "invalid policy, nothing changed") -> Policy:
        """The policy in ``text``, validated as workers validate it; refused naming ``source`` and the key."""
        try:
            return load_policy_text(text, source)
        except ConfigurationError as error:
            raise PolicyRefused(f"{refusal}: {error}") from None

    def propose(self, text: str, source: str, author: str, message: str) -> Proposal:
        """Validate ``text`` and store it as a candidate (not live)."""
        policy = self.validate(text, source, "invalid policy, nothing stored")
        existed = self.store.get(policy.version) is not None
        return Proposal(self._record(policy.version, text, author, message), not existed)

    def apply(self, text: str, source: str, author: str, message: str) -> Activation:
        """Validate ``text``, store it and make it live (the previous live version is retired)."""
        policy = self.validate(text, source)
        self._ensure_baseline(author)
        live = self.store.live()
        if live is not None and live.version == policy.version:
            if live.content.strip() != text.strip():
                raise PolicyRefused(f"version {policy.version!r} is live with different content: give the new "
                                    "policy a new `version`")
            return Activation(live, live.version, changed=False)
        self._record(policy.version, text, author, message)
        return self._make_live(policy.version, author, message)

    def activate(self, version: str, actor: str, message: str) -> Activation:
        """Make a stored version live, once it validates again."""
        stored = self._stored(version)
        if stored.status == "live":
            return Activation(stored, stored.version, changed=False)
        self._validate_stored(stored)
        return self._make_live(version, actor, message)

    def rollback(self, version: str | None, actor: str, message: str) -> Activation:
        """Make ``version``, or else the version live before the current one, live again."""
        target = self.store.get(version) if version else self.store.previous_live()
        if target is None:
            raise UnknownVersion(f"no version {version!r} to roll back to" if version
                                 else "no previous live version to roll back to")
        self._validate_stored(target)
        return self._make_live(target.version, actor, message)

    def shadow(self, version: str, actor: str, message: str) -> PolicyVersion:
        """Run a stored version in shadow beside the live one (the previous shadow is retired)."""
        stored = self._stored(version)
        if stored.status == "live":
            raise PolicyRefused(f"{version} is the live policy")
        self._validate_stored(stored)
        return self._set_status(version, "shadow", actor, message)

    def stop_shadow(self, actor: str, message: str) -> PolicyVersion:
        current = self.store.shadow()
        if current is None:
            raise PolicyRefused("no shadow policy is running")
        return self._set_status(current.version, "retired", actor, message)

    # ---- the steps every operation shares --------------------------------------------------
    def _stored(self, version: str) -> PolicyVersion:
        stored = self.store.get(version)
        if stored is None:
            raise UnknownVersion(f"no policy version {version[:80]!r} is stored")
        return stored

    def _validate_stored(self, stored: PolicyVersion) -> None:
        try:
            load_policy_text(stored.content, stored.version)
        except ConfigurationError as error:
            raise PolicyRefused(f"{stored.version} no longer validates, nothing changed: {error}") from None

    def _make_live(self, version: str, actor: str, message: str) -> Activation:
        self._ensure_baseline(actor)
        replaced = self.store.live()
        activated = self._set_status(version, "live", actor, message)
        return Activation(activated, replaced.version if replaced else None, changed=True)

    def _ensure_baseline(self, actor: str) -> None:
        """Before the first version goes live, record the policy file as the live version (a rollback target)."""
        if self.store.live() is not None:
            return
        text = self.policy_path.read_text(encoding="utf-8")
        baseline = self.validate(text, str(self.policy_path))
        if self.store.get(baseline.version) is None:
            self._record(baseline.version, text, actor, f"baseline: {self.policy_path} before the first activation")
        self._set_status(baseline.version, "live", actor, "baseline from the policy file")

    def _record(self, version: str, text: str, author: str, message: str) -> PolicyVersion:
        try:
            return self.store.record(version, text, author, message, "candidate")
        except PolicyStoreError as error:
            raise PolicyRefused(str(error)) from None

    def _set_status(self, version: str, status: str, actor: str, message: str) -> PolicyVersion:
        try:
            return self.store.set_status(version, status, actor, message)
        except PolicyStoreError as error:
            raise PolicyRefused(str(error)) from None
