"""Build a ready engine from a policy file and the check data beside it (the only factory).

The layout beside the policy file: checks/<name>.toml (each check's data) and community.toml
(the community profile, read once and handed to the checks that declare it).
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from worker.checks import Check, registered_checks
from worker.community import CommunityProfile, load_community, placeholder_warning
from worker.engine import Engine, LanguageDetector
from worker.errors import ConfigurationError
from worker.policy import Policy, load_policy, parse_policy
from worker.types import Category

logger = logging.getLogger(__name__)
COMMUNITY_FILE = "community.toml"


def load_registered_policy(policy_path: Path) -> Policy:
    return load_policy(policy_path, {category.value for category in Category}, set(registered_checks()))


def load_policy_text(text: str, source: str = "<policy>") -> Policy:
    """Policy TOML text (e.g. a stored version), validated exactly as a policy file is."""
    return parse_policy(text, source, {category.value for category in Category}, set(registered_checks()))


def build_checks(policy: Policy, checks_dir: Path, community: CommunityProfile) -> list[Check]:
    """Every registered, enabled check, configured from checks_dir/<name>.toml."""
    return [
        build_check(check_class, checks_dir, policy.limits.regex_timeout_seconds, community)
        for name, check_class in registered_checks().items() if name not in policy.disabled_checks
    ]


def build_check(check_class: type[Check], checks_dir: Path, regex_timeout: float, community: CommunityProfile) -> Check:
    """One check from checks_dir/<name>.toml, handed the community profile if its Settings declare one."""
    return check_class.from_data(read_check_data(checks_dir / f"{check_class.name}.toml"), regex_timeout, community)


def build_engine(policy_path: Path) -> Engine:
    """The policy file's folder holds checks/<name>.toml with each check's word lists, and community.toml.

    The check that offers ``detect_languages`` (the language classifier) also sets every
    document's language before the other checks run; without it, the post's hint is used.
    """
    return _engine_for(load_registered_policy(policy_path), policy_path.parent / "checks")


def build_engine_from_text(text: str, checks_dir: Path, reuse: Engine | None = None) -> Engine:
    """An engine for policy text; with ``reuse``, its loaded checks are kept when the check set is unchanged."""
    policy = load_policy_text(text)
    if reuse is not None and reuse.policy.disabled_checks == policy.disabled_checks \
            and reuse.policy.limits.regex_timeout_seconds == policy.limits.regex_timeout_seconds:
        return reuse.with_policy(policy)
    return _engine_for(policy, checks_dir)


def _engine_for(policy: Policy, checks_dir: Path) -> Engine:
    community_path = checks_dir.parent / COMMUNITY_FILE
    community = load_community(community_path)
    warning = placeholder_warning(community, community_path)
    if warning is not None:
        logger.warning(warning)  # once per engine assembled: at start-up, and when a new check set is loaded
    checks = build_checks(policy, checks_dir, community)
    detector: LanguageDetector | None = next(
        (check.detect_languages for check in checks if hasattr(check, "detect_languages")), None
    )
    return Engine(checks, policy, detector)


def read_check_data(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"{path}: not valid TOML: {error}") from None
