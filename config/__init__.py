"""Reviewed data: the screening policy, each check's word lists (config/checks/<name>.toml) and the
community profile (config/community.toml: the vendor's names, domains, addresses, phones, languages)."""

from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_POLICY = CONFIG_DIR / "policy.toml"
COMMUNITY_PROFILE = CONFIG_DIR / "community.toml"
