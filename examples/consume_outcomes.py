"""Read modscreen outcomes from the Redis stream with a consumer group (run one per backend process).

    python examples/consume_outcomes.py [--redis redis://127.0.0.1:6379/0] [--stream modscreen:outcomes]

Each entry has `event_id` (unique per outcome: de-duplicate on it), `kind` ("screening" or
"moderator"), `post_id` and `outcome` (the JSON verdict). Entries are acknowledged after they
are applied, so a consumer that dies leaves them pending for another to claim.
"""

import argparse
import json
import socket

import redis


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--stream", default="modscreen:outcomes")
    parser.add_argument("--group", default="community-backend")
    parser.add_argument("--once", action="store_true", help="read what is there, then stop")
    args = parser.parse_args()
    client = redis.Redis.from_url(args.redis, decode_responses=True)
    try:
        client.xgroup_create(args.stream, args.group, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise
    consumer = socket.gethostname()
    # first what this consumer left unacknowledged last time, then new entries
    for start in ("0", ">"):
        while True:
            batches = client.xreadgroup(args.group, consumer, {args.stream: start}, count=100,
                                        block=None if args.once else 5000)
            entries = [entry for _, items in batches or [] for entry in items]
            if not entries:
                if args.once or start == "0":
                    break
                continue
            for entry_id, fields in entries:
                outcome = json.loads(fields["outcome"])
                apply_outcome(fields["event_id"], outcome)
                client.xack(args.stream, args.group, entry_id)


def apply_outcome(event_id: str, outcome: dict) -> None:
    """Where the backend publishes, holds or removes the post (idempotent on event_id)."""
    reasons = ", ".join(reason["code"] for reason in outcome["reasons"]) or "no reason"
    print(f"{event_id}: post {outcome['post_id']} rev {outcome['revision']} -> {outcome['decision']} ({reasons})")


if __name__ == "__main__":
    main()
