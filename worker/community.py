"""The community profile: who the vendor is, set once in config/community.toml.

The vendor's names, sites, public mailboxes, phone numbers and the languages the community
writes in are facts about the community, not about one check: the links rule must not flag its
documentation, personal_data must not flag its support address, advertising must not read its
pricing as an ad. They used to be set in each check's file, so an operator who set the domain in
one still had it flagged by the others. The assembly reads this file once and hands the profile
to every check whose ``Settings`` declare a ``community`` field (worker/checks.py).

The shipped file describes a fictitious vendor (ContactFlow) at names reserved for documentation
(RFC 2606: ``.example``, ``.test``, ``example.com``...). Such a name can never be a real site, so
while any domain or address of the profile is one, the profile is still the placeholder and the
assembly warns at start-up (``placeholders``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from worker.checks import LanguageCode
from worker.errors import ConfigurationError
from worker.serialize import describe_validation_error

# RFC 2606 / RFC 6761: names that never resolve to anyone's site
_RESERVED_SUFFIXES = ("example", "test", "invalid", "localhost", "example.com", "example.net", "example.org")
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def _host(value: str) -> str:
    host = value.strip().lower()
    labels = host.split(".")
    if len(labels) < 2 or not all(0 < len(label) <= 63 and set(label) <= _LABEL_CHARS for label in labels):
        raise ValueError(f"{value!r} is not a host name such as docs.acme-help.com (no scheme, path or port)")
    return host


def _address(value: str) -> str:
    mailbox, at, domain = value.strip().lower().partition("@")
    if not at or not mailbox or any(char.isspace() for char in mailbox):
        raise ValueError(f"{value!r} is not an e-mail address such as support@acme-help.com")
    return f"{mailbox}@{_host(domain)}"


def _phone(value: str) -> str:
    digits = sum(char.isdigit() for char in value)
    if digits < 6 or not set(value) <= set("+0123456789 .-()"):
        raise ValueError(f"{value!r} is not a phone number such as +33 1 23 45 67 89")
    return value.strip()


def _brand(value: str) -> str:
    brand = value.strip().lower()
    if not brand or not set(brand) <= _LABEL_CHARS:
        raise ValueError(f"{value!r} is not part of a host name (letters, digits and hyphens)")
    return brand


def _name(value: str) -> str:
    if not value.strip():
        raise ValueError("a name cannot be blank")
    return " ".join(value.split())


Name = Annotated[str, AfterValidator(_name)]
Brand = Annotated[str, AfterValidator(_brand)]
Domain = Annotated[str, AfterValidator(_host)]
Address = Annotated[str, AfterValidator(_address)]
Phone = Annotated[str, AfterValidator(_phone)]


class CommunityProfile(BaseModel):
    """The vendor's identity and the community's languages, as config/community.toml sets them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    names: tuple[Name, ...] = Field(min_length=1)
    """The vendor and its products as members write them ("ContactFlow", "FlowDesk WFM")."""
    brands: tuple[Brand, ...] = ()
    """The part of the vendor's host names that identifies it: another host wearing one imitates the vendor."""
    domains: tuple[Domain, ...] = Field(min_length=1)
    """The vendor's sites, each with all its subdomains (docs., community., status.)."""
    addresses: tuple[Address, ...] = ()
    """Public mailboxes that are not role names at the vendor's domains (those are public already)."""
    phones: tuple[Phone, ...] = ()
    """Switchboard, hotline and support numbers."""
    languages: tuple[LanguageCode, ...] = Field(min_length=1)
    """The languages members may write in (ISO 639-1)."""

    def owns_host(self, host: str) -> bool:
        """Whether a host is one of the vendor's domains or a subdomain of one."""
        host = host.lower().strip(".")
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Domains and addresses still at names reserved for documentation: the shipped example's."""
        hosts = [*self.domains, *(address.partition("@")[2] for address in self.addresses)]
        values = [*self.domains, *self.addresses]
        return tuple(value for value, host in zip(values, hosts, strict=True) if _reserved(host))


def _reserved(host: str) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix in _RESERVED_SUFFIXES)


def load_community(path: Path) -> CommunityProfile:
    """The profile in ``path``; a missing, malformed or invalid file is a ConfigurationError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: missing; the community profile (the vendor's names, domains, "
                                 "addresses, phones and languages) is read from there") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"{path}: not valid TOML: {error}") from None
    try:
        return CommunityProfile.model_validate(data)
    except ValidationError as error:
        raise ConfigurationError(f"{path}: {describe_validation_error(error)}") from None


def placeholder_warning(profile: CommunityProfile, path: Path) -> str | None:
    """What to tell the operator while the profile is still the shipped example; None once it is filled in."""
    if not profile.placeholders:
        return None
    shown = ", ".join(profile.placeholders[:3]) + (", ..." if len(profile.placeholders) > 3 else "")
    return (f"the community profile is still the shipped placeholder ({shown}): set your vendor's names, "
            f"domains, addresses, phone numbers and languages in {path}; until then, your vendor's own links, "
            "support addresses and pricing are flagged like anyone else's")
