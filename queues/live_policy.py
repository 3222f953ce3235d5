"""What a worker screens with: the database's live policy when there is one, else the policy file;
and the shadow policy, when one runs, whose verdicts are stored beside the live ones.

When a live row exists in ``policy_versions`` (``modscreen policy apply``), workers screen with
it instead of the policy file. The database is polled at most every ``refresh_seconds``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.policy_store import PolicyStore
from worker.assembly import build_engine_from_text, load_policy_text
from worker.engine import Engine
from worker.policy import Policy

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ActivePolicies:
    engine: Engine
    """Screens with the live policy: its verdicts act."""
    shadow: Policy | None
    """A candidate policy re-deciding the live verdicts' findings (stored, never acted on); None without one."""


class LivePolicyFollower:
    """The live and shadow policies, looked up at most every ``refresh_seconds`` (one small query).

    A new live version builds a new engine, reusing the loaded checks when the set of checks is
    unchanged. If the database cannot be read, or a new version does not load, what is in hand is kept.
    """

    def __init__(self, policies: PolicyStore | None, policy_path: Path, refresh_seconds: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policies = policies
        self.policy_path = policy_path
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._active: ActivePolicies | None = None
        self._key: tuple[str | None, str | None] | None = None
        self._next = 0.0

    def active(self) -> ActivePolicies:
        if self._active is None or self.clock() >= self._next:
            self._refresh()
        assert self._active is not None  # _refresh raises rather than leave a first call without one
        return self._active

    def _refresh(self) -> None:
        self._next = self.clock() + self.refresh_seconds
        in_hand = self._active.engine if self._active else None
        live = shadow = None
        if self.policies is not None:
            try:
                live, shadow = self.policies.active()
            except Exception as error:  # noqa: BLE001 (a worker keeps screening with what it has)
                if in_hand is None:
                    raise
                logger.warning("cannot read the live policy, keeping %s: %s", in_hand.policy.version, error)
                return
        key = (live.version if live else None, shadow.version if shadow else None)
        if key == self._key and in_hand is not None:
            return
        text = live.content if live else self.policy_path.read_text(encoding="utf-8")
        try:
            engine = build_engine_from_text(text, self.policy_path.parent / "checks", reuse=in_hand)
            engine.load()
            shadow_policy = load_policy_text(shadow.content, f"shadow {shadow.version}") if shadow else None
        except Exception:
            if in_hand is None:
                raise
            logger.exception("the live policy %s does not load; keeping %s", key, in_hand.policy.version)
            return
        if in_hand is not None:
            logger.info("policy changed", extra={"from": in_hand.policy.version, "to": engine.policy.version})
        self._active, self._key = ActivePolicies(engine, shadow_policy), key
