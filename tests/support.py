"""Helpers any test may import: where the sample files are, and the CLI as a user runs it. Fixtures stay in
conftest.py (pytest finds them there; test files never import it)."""

from __future__ import annotations

from pathlib import Path

from pipelines import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "data"  # the sample files and their expected scores: data/README.md


def run_cli(db: Path, *args: str) -> int:
    """`bsc --db DB ARGS...` through pipelines.cli.main, in this process; returns the exit code."""
    return cli.main(["--db", str(db), *args])
