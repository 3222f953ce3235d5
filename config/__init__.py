"""Reviewed data: the screening policy and each check's word lists (config/checks/<name>.toml)."""

from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_POLICY = CONFIG_DIR / "policy.toml"
