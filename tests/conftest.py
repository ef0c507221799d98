"""Shared fixtures: databases built through the same CLI code paths a user runs. Helpers that test files import
live in tests/support.py (and the other *_support.py modules), never here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines import auth
from tests.support import SAMPLES, run_cli


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt at cost 4 instead of 12, for tests that hash passwords; opt in with
    `pytestmark = pytest.mark.usefixtures("fast_hashing")`."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


# Each database is built once per session through the CLI, then its folder (database, archived uploads,
# analyst snapshot) is copied for every test that asks for it, so a test may change its copy freely.


@pytest.fixture(scope="session")
def _empty_catalogue_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("empty_catalogue_db")
    db = root / "bsc.duckdb"
    assert run_cli(db, "orgs", str(SAMPLES / "orgs_th.csv")) == 0
    assert run_cli(db, "catalogue", str(SAMPLES / "catalogue_2568_th.csv")) == 0
    return root


@pytest.fixture(scope="session")
def _sample_once(_empty_catalogue_once: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample_db")
    shutil.copytree(_empty_catalogue_once, root, dirs_exist_ok=True)
    assert run_cli(
        root / "bsc.duckdb", "ingest",
        str(SAMPLES / "submission_plan_q2_libreoffice.xlsx"),
        str(SAMPLES / "submission_law_q2_cp874.csv"),
        str(SAMPLES / "submission_plan_q1_bom.csv"),
        "--by", "tester",
    ) == 0
    return root


@pytest.fixture
def sample_db(_sample_once: Path, tmp_path: Path) -> Path:
    """The shared samples: org AG/PLAN/LAW, catalogue 2568, submissions PLAN Q1/Q2 and LAW Q2."""
    shutil.copytree(_sample_once, tmp_path, dirs_exist_ok=True)
    return tmp_path / "bsc.duckdb"


@pytest.fixture
def empty_catalogue_db(_empty_catalogue_once: Path, tmp_path: Path) -> Path:
    """Org units and a catalogue, but no submission at all."""
    shutil.copytree(_empty_catalogue_once, tmp_path, dirs_exist_ok=True)
    return tmp_path / "bsc.duckdb"


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session; copy it before writing (see `demo_db`)."""
    root = tmp_path_factory.mktemp("demo")
    db = root / "bsc.duckdb"
    assert run_cli(db, "demo", "--demo-dir", str(root / "demo")) == 0
    return db


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database that a test may change."""
    db = tmp_path / "bsc.duckdb"
    shutil.copy(demo_db_template, db)
    return db
