"""Numbers typed into the review app's URLs and forms, read strictly.

`str.isdigit()` accepts "²" and "١٢" (which `int()` then refuses), and `int()` accepts " 12",
"+12" and "1_2"; a number past the column's size overflows the database driver. Every id,
version, age and page the review app reads goes through `whole_number`, which accepts ASCII
digits only, checks the range of the column the number is compared with, and answers a 4xx
`PageError` naming the field otherwise.
"""

from __future__ import annotations

from typing import Any

from modscreen.review.web import PageError

INT32_MAX = 2**31 - 1
"""An INTEGER column on PostgreSQL (screening versions, revisions)."""
INT64_MAX = 2**63 - 1
"""A BIGINT key on PostgreSQL, and any SQLite integer."""
_DIGITS = frozenset("0123456789")


def whole_number(value: Any, name: str, *, maximum: int = INT64_MAX, minimum: int = 0, status: int = 422) -> int:
    """`value` as an int if it is 1-19 ASCII digits within [minimum, maximum]; PageError(status) otherwise."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if not text or len(text) > 19 or not _DIGITS.issuperset(text):
        raise PageError(status, f"{name}: {_shown(text)} is not a whole number written with the digits 0-9.")
    number = int(text)
    if not minimum <= number <= maximum:
        raise PageError(status, f"{name}: {number} is out of range ({minimum} to {maximum}).")
    return number


def optional_number(value: Any, name: str, **limits: Any) -> int | None:
    """None for an absent or empty value, else `whole_number`."""
    return None if value is None or value == "" else whole_number(value, name, **limits)


def item_id(value: Any) -> int:
    """A screening id from a URL: 404 when it cannot name any item (it could never exist)."""
    return whole_number(value, "item", minimum=1, status=404)


def _shown(text: str) -> str:
    return repr(text[:24] + ("…" if len(text) > 24 else ""))
