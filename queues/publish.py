"""Outcomes out: a Redis stream that backends read with a consumer group (and, optionally, a webhook).

Publishing is idempotent per screening: a Lua script adds the stream entry only if the
screening's marker key is new, so a worker that dies between publishing and recording it
cannot publish the same outcome twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import redis

_PUBLISH_ONCE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'event_id', ARGV[3], 'kind', ARGV[4],
                    'post_id', ARGV[5], 'outcome', ARGV[6])
end
return false
"""
MARKER_TTL_SECONDS = 14 * 24 * 3600


class OutcomePublisher:
    def __init__(self, client: redis.Redis, stream: str, maxlen: int) -> None:
        self.client = client
        self.stream = stream
        self.maxlen = maxlen
        self._script = client.register_script(_PUBLISH_ONCE)

    def publish(self, outcomes: Sequence[dict[str, Any]], kind: str = "screening") -> int:
        """Publish each outcome once; return how many were new. Raises redis errors (transient)."""
        if not outcomes:
            return 0
        pipeline = self.client.pipeline(transaction=False)
        for outcome in outcomes:
            event_id = event_id_of(outcome, kind)
            self._script(
                keys=[f"{self.stream}:published:{event_id}", self.stream],
                args=[MARKER_TTL_SECONDS, self.maxlen, event_id, kind, outcome["post_id"],
                      json.dumps(outcome, ensure_ascii=False, separators=(",", ":"))],
                client=pipeline,
            )
        return sum(1 for result in pipeline.execute() if result)


def event_id_of(outcome: dict[str, Any], kind: str) -> str:
    key = outcome["screening_id"] if kind == "screening" else outcome["decision_id"]
    return f"{kind}-{key}"
