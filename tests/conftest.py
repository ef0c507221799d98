"""Shared fixtures: databases built through the same CLI code paths a user runs. Helpers that test files import
live in tests/support.py (and the other *_support.py modules), never here."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines import audit, auth
from tests.support import SAMPLES, run_cli

DEMO_PROGRESS = "demo_progress.txt"  # beside the demo template: what `demo` wrote to stderr while building it


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt at cost 4 instead of 12, for tests that hash passwords; opt in with
    `pytestmark = pytest.mark.usefixtures("fast_hashing")`."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


# Each database is built once per test run through the CLI, then its folder (database, archived uploads,
# analyst snapshot) is copied for every test that asks for it, so a test may change its copy freely. Under
# pytest-xdist (`make test` runs `-n auto`) the workers share one build: the first to ask builds it in the run's
# common temporary folder while the others wait on a lock, so the demo is built once, not once per worker.


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder `build` filled, made once per test run (once for all xdist workers); treat it as read-only."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:  # one process: its own temporary folder
        root = tmp_path_factory.mktemp(name)
        build(root)
        return root
    shared = tmp_path_factory.getbasetemp().parent  # pytest-N/, the parent of every worker's popen-gwK/
    root, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # what a failed build left
            root.mkdir()
            build(root)
            done.touch()
    return root


def _build_empty_catalogue(root: Path) -> None:
    db = root / "bsc.duckdb"
    assert run_cli(db, "orgs", str(SAMPLES / "orgs_th.csv")) == 0
    assert run_cli(db, "catalogue", str(SAMPLES / "catalogue_2568_th.csv")) == 0


@pytest.fixture(scope="session")
def _empty_catalogue_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "empty_catalogue_db", _build_empty_catalogue)


@pytest.fixture(scope="session")
def _sample_once(_empty_catalogue_once: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(root: Path) -> None:
        shutil.copytree(_empty_catalogue_once, root, dirs_exist_ok=True)
        assert run_cli(
            root / "bsc.duckdb", "ingest",
            str(SAMPLES / "submission_plan_q2_libreoffice.xlsx"),
            str(SAMPLES / "submission_law_q2_cp874.csv"),
            str(SAMPLES / "submission_plan_q1_bom.csv"),
            "--by", "tester",
        ) == 0

    return built_once(tmp_path_factory, "sample_db", build)


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
    """The demo database, built once per test run; copy it before writing (see `demo_db`)."""
    def build(root: Path) -> None:
        with contextlib.redirect_stderr(io.StringIO()) as progress_line, pytest.MonkeyPatch.context() as patch:
            patch.setattr(auth, "BCRYPT_ROUNDS", 4)  # the demo accounts' hashes: every sign-in to them is quick
            status = run_cli(root / "bsc.duckdb", "demo", "--demo-dir", str(root / "demo"))
            assert status == 0, progress_line.getvalue()
        (root / DEMO_PROGRESS).write_text(progress_line.getvalue(), encoding="utf-8")

    return built_once(tmp_path_factory, "demo", build) / "bsc.duckdb"


@pytest.fixture(scope="session")
def demo_progress(demo_db_template: Path) -> list[tuple[int, int, str]]:
    """(done, total, file) of each step the demo command's progress line showed while it built the template."""
    text = (demo_db_template.parent / DEMO_PROGRESS).read_text(encoding="utf-8")
    return [(int(done), int(total), label.rstrip())
            for done, total, label in re.findall(r"demo \[(\d+)/(\d+)\] ([^\r\n]*)", text)]


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database that a test may change."""
    db = tmp_path / "bsc.duckdb"
    shutil.copy(demo_db_template, db)
    return db


@pytest.fixture
def audit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit row of a change cannot be written (a full disk, an I/O error); rejections are still recorded."""
    real = audit.record

    def record(con, actor, action, outcome, **kwargs) -> None:
        if outcome == "success":
            raise OSError(5, "Input/output error")
        real(con, actor, action, outcome, **kwargs)

    monkeypatch.setattr(audit, "record", record)
