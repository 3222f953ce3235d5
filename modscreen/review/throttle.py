"""Sign-in throttling: a slowdown per username and per source address that nobody can turn into a lockout.

Failed sign-ins are counted in buckets, one row each in `signin_throttles`:

- `address:<ip>` (an IPv6 address counts as its /64): every attempt from that address, any username;
- `account:<sha256 of the username>`: attempts from browsers that never signed in to that username,
  counted whether the username exists or not, so that the answers never tell which names exist;
- `device:<id>`: attempts from a browser holding a signed "known browser" cookie for that username
  (given at a successful sign-in). Strangers filling the account's bucket never hold the owner's own
  browsers, and a stolen cookie buys no more guesses than the account's bucket.

An attempt is charged to its address bucket, then to its account (or device) bucket, *before* its
password is checked, each by one conditional UPDATE (models/throttle_store.py: `... WHERE
blocked_until IS NULL OR blocked_until <= now`). The database's row lock serialises a burst of concurrent attempts, so only
those the budget allows are ever checked: a correct password arriving in a burst of wrong ones is
refused like them. A success gives the attempt back to the address and empties the account (or
device) bucket.

A bucket gives `free` failures, then waits `first_delay`, doubled at each further failure up to its
cap: five minutes for a username (a slowdown that ends), an hour for an address. Attempts refused
by the username's bucket still count against the address, so hammering a slowed account from one
address soon slows that address to one attempt an hour.
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from models.db import now
from models.throttle_store import ThrottleStore

if TYPE_CHECKING:
    from sqlalchemy import Engine  # the engine is passed through to the stores, never used here

FORGET_SHARE = 0.01
"""One attempt in a hundred also drops forgotten buckets: names sprayed by an attacker do not pile up."""


@dataclass(frozen=True)
class ThrottlePolicy:
    free_per_account: int = 5
    free_per_address: int = 20
    first_delay: float = 1.0
    max_account_delay: float = 300.0
    max_address_delay: float = 3600.0
    forget_after: float = 86_400.0

    @classmethod
    def from_settings(cls, config: Any) -> ThrottlePolicy:
        return cls(free_per_account=config.signin_free_failures_per_account,
                   free_per_address=config.signin_free_failures_per_address,
                   first_delay=config.signin_first_delay_seconds,
                   max_account_delay=config.signin_max_account_delay_seconds,
                   max_address_delay=config.signin_max_address_delay_seconds,
                   forget_after=config.signin_forget_after_seconds)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str  # what the audit log names (never a password, never a hash)
    free: int
    first_delay: float
    cap: float

    def delay(self, failures: int) -> float:
        """Seconds to wait after the `failures`-th failure in a row."""
        if failures < self.free:
            return 0.0
        return min(self.cap, self.first_delay * 2.0 ** min(failures - self.free, 60))


class Throttled(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after:.3f} s")
        self.retry_after = retry_after


def address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:  # not an IP (a test client, a unix socket): counted as given
        return "address:" + address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"address:{ip.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{ip}/64', strict=False)}"  # one subscriber holds a whole /64
    return f"address:{ip}"


def account_key(username: str) -> str:
    return "account:" + hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()


class SigninThrottle:
    def __init__(self, engine: Engine, policy: ThrottlePolicy | None = None) -> None:
        self.engine = engine
        self.policy = policy or ThrottlePolicy()
        self.store = ThrottleStore(engine)

    def buckets(self, username: str, address: str, device: str | None) -> tuple[Bucket, Bucket]:
        """The address's bucket, then the known browser's (when `device` is one) or the username's."""
        policy = self.policy
        by_address = Bucket(address_key(address), address_key(address), policy.free_per_address, policy.first_delay,
                            policy.max_address_delay)
        name = username[:128]
        if device:
            own = Bucket(f"device:{device}"[:100], f"user:{name} (known browser)", policy.free_per_account,
                         policy.first_delay, policy.max_account_delay)
        else:
            own = Bucket(account_key(username), f"user:{name}", policy.free_per_account, policy.first_delay,
                         policy.max_account_delay)
        return by_address, own

    def charge(self, buckets: tuple[Bucket, ...]) -> None:
        """Count this attempt as a failure in each bucket, in order; Throttled if one is waiting.

        A bucket that refuses is not charged, nor are those after it; those before it keep the charge.
        """
        refused = self.store.charge(buckets, now(), self.policy.forget_after)
        if random.random() < FORGET_SHARE:  # noqa: S311 — housekeeping, not security
            self.forget_old()
        if refused is not None:
            raise Throttled(refused)

    def forget_old(self) -> int:
        """Drop buckets nobody failed in for `forget_after` (they would start from zero anyway)."""
        return self.store.forget_idle(now(), self.policy.forget_after)

    def succeeded(self, buckets: tuple[Bucket, Bucket]) -> None:
        """The password was right: the attempt was no failure, and the owner's bucket starts again."""
        by_address, own = buckets
        self.store.give_back(by_address.key, own.key)

    def reset(self, username: str) -> None:
        """An admin lifts the username's slowdown (the addresses' buckets stay)."""
        self.store.drop(account_key(username))

    def waiting_until(self, usernames: list[str]) -> dict[str, datetime]:
        """For the users page: which of these usernames are slowed down now, and until when."""
        keys = {account_key(name): name for name in usernames}
        moment = now()
        return {keys[key]: until for key, until in self.store.blocked_until(list(keys)).items() if until > moment}
