"""Settings a deployment gives the product outside the database: the environment first, then `.streamlit/secrets.toml`.

Secrets (the SMTP password) are never stored in the database: they come from the environment or from the secrets
file Streamlit also reads (env BSC_SECRETS names another file; otherwise `.streamlit/secrets.toml` of the working
folder, then of the home folder). docs/operations/configuration.md lists every setting.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path


def secrets_files() -> list[Path]:
    if os.environ.get("BSC_SECRETS"):
        return [Path(os.environ["BSC_SECRETS"])]
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def secrets_section(section: str) -> dict:
    """The `[section]` table of the first secrets file that has it ({} when none does, or a file is unreadable)."""
    for path in secrets_files():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get(section)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(table, dict):
            return table
    return {}


def setting(env: str, section: str, key: str, default: str | None = None) -> str | None:
    """Env `env` when set (non-empty), else `key` of `[section]` in the secrets file, else `default`."""
    value = os.environ.get(env)
    if value:
        return value
    found = secrets_section(section).get(key)
    return default if found is None else str(found)


def megabytes(env: str, default: int) -> int:
    """A size setting in MB (env `env`, a positive whole number) as bytes; the default when unset or not one."""
    text = os.environ.get(env, "")
    return (int(text) if text.isdigit() and int(text) > 0 else default) * 1024 * 1024
