"""Validate quarterly submission files, archive them, and write each as a new version in one transaction.

Two steps so the upload page can show a preview before anything is written: `prepare_files` reads and
validates (no writes), `commit_files` stores. The CLI runs both; the page asks the user in between.
Validation needs no connection once `validation_inputs` has read the units and KPIs the files name, so the command line
validates with the database closed and holds the write lock only to commit (pipelines.uploads.commit_uploads).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import duckdb

from pipelines import approval, queries, results, scoring
from pipelines.catalogue import KpiDef, catalogue_part
from pipelines.db import bump_generation, insert_rows, make_private_dir, transaction
from pipelines.problems import Problem
from pipelines.validate import (
    Period,
    SubmissionRead,
    ValidSubmission,
    named_in_submission,
    read_submission,
    validate_submission,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
Progress = Callable[[int, int, str], None]


@dataclass
class PreparedFile:
    file_name: str
    data: bytes
    sha256: str
    submission: ValidSubmission | None
    problems: list[Problem]
    scores: dict[str, float | None] = field(default_factory=dict)  # KPI code -> score of this file's value


@dataclass
class IngestOutcome:
    file_name: str
    unit_code: str
    fiscal_year: int
    quarter: int
    version: int
    row_count: int
    not_reported: list[str]
    identical: bool  # same bytes as the latest version: nothing new stored
    submission_id: int
    needs_review: bool = False  # stored while its fiscal year requires approval: waits for a reviewer (approval.py)


@dataclass(frozen=True)
class ValueChange:
    kpi_code: str
    change: str  # new | changed | removed | unchanged
    old_actual: float | None
    new_actual: float | None
    old_score: float | None
    new_score: float | None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unit_spellings(con: duckdb.DuckDBPyConnection, texts: Iterable[str]) -> dict[str, str]:
    """The units one of `texts` may spell, as files write units several ways: each one's code, upper-case code and
    Thai name -> its code (the same as over every unit, for those texts). One filtered read of org_unit (0.5 ms
    over a ministry's 25,000 units), not every unit into Python."""
    spellings: dict[str, str] = {}
    for code, name_th in con.execute(queries.UNITS_SPELLED, [sorted(set(texts))]).fetchall():
        spellings[name_th] = code
        spellings[code.upper()] = code
        spellings[code] = code
    return spellings


def too_large_problem(file_name: str, size: int) -> Problem:
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    return Problem(file_name, "", None, "", f"{size / 1024 / 1024:.1f} MB",
                   f"ไฟล์ใหญ่เกิน {limit_mb} MB", f"file larger than the {limit_mb} MB limit")


@dataclass
class ReadFile:
    """A file as uploaded, and as read (validate.read_submission; None when too large to read)."""

    file_name: str
    data: bytes
    read: SubmissionRead | None


def read_files(files: list[tuple[str, bytes]]) -> list[ReadFile]:
    """Read every file (no database needed): what they name decides what validation_inputs reads."""
    return [ReadFile(name, data, None if len(data) > MAX_UPLOAD_BYTES else read_submission(name, data))
            for name, data in files]


def prepare_files(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[str, bytes]],
    given: Period = Period(),
    progress: Progress | None = None,
) -> list[PreparedFile]:
    """Read and validate every file; writes nothing."""
    read = read_files(files)
    return prepare_loaded(validation_inputs(con, read, given), read, given, progress)


ValidationInputs = tuple[dict[str, str], Mapping[int, Mapping[str, KpiDef]]]
"""What validating submissions reads from the database: the spellings of the units they name, and the part of each
fiscal year's catalogue they name that their units and codes need."""


def validation_inputs(
    con: duckdb.DuckDBPyConnection, files: list[ReadFile], given: Period = Period()
) -> ValidationInputs:
    """What validating these files reads, read now, so the connection can be closed before they are validated:
    only the units they name and those units' KPIs (and the KPIs their codes name), not the whole year."""
    named = [named_in_submission(item.file_name, item.read, given) for item in files if item.read is not None]
    units = unit_spellings(con, {text for each in named for text in each.unit_spellings})
    years = {row[0] for row in con.execute(queries.CATALOGUE_YEARS).fetchall()}
    owners = set(units.values())
    codes = {key for each in named for key in each.code_keys}
    wanted = {year for each in named for year in each.fiscal_years} & years
    return units, {year: catalogue_part(con, year, owners, codes) for year in sorted(wanted)}


def prepare_loaded(
    inputs: ValidationInputs,
    files: list[ReadFile],
    given: Period = Period(),
    progress: Progress | None = None,
) -> list[PreparedFile]:
    """Validate every read file against `validation_inputs`; needs no connection."""
    prepared = []
    for done, item in enumerate(files, start=1):
        prepared.append(prepare_file(item, inputs, given))
        if progress:
            progress(done, len(files), item.file_name)
    return prepared


def prepare_file(item: ReadFile, inputs: ValidationInputs, given: Period = Period()) -> PreparedFile:
    """One file validated and, when clean, scored KPI by KPI."""
    file_name, data = item.file_name, item.data
    if item.read is None:
        return PreparedFile(file_name, data, sha256_of(data), None, [too_large_problem(file_name, len(data))])
    units, catalogues = inputs
    submission, problems = validate_submission(file_name, data, units, catalogues, given, item.read)
    scores = {}
    if submission is not None:
        kpis = catalogues[submission.fiscal_year]
        scores = {row.kpi_code: kpis[row.kpi_code].score(row.actual) for row in submission.rows}
    return PreparedFile(file_name, data, sha256_of(data), submission, problems, scores)


def archive_path(archive_dir: Path, file_name: str, sha256: str) -> Path:
    """Where an accepted upload is kept: <sha256><suffix>."""
    return archive_dir / f"{sha256}{PurePath(file_name).suffix.lower()[:8]}"


def archive_file(archive_dir: Path, file_name: str, data: bytes) -> Path:
    """Content-addressed copy of an accepted upload (archive_path), written atomically (synced, then renamed), kept
    forever, 0600 in a 0700 folder. Called before the commit that refers to it: a crash in between leaves an unused
    file, never a version without its file."""
    make_private_dir(archive_dir)
    target = archive_path(archive_dir, file_name, sha256_of(data))
    if not target.exists():
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    return target


def latest_submission(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int):
    """(submission_id, version, sha256, review status or None) of the latest stored version of the unit's quarter, or
    None."""
    return con.execute(queries.LATEST_SUBMISSION, [unit_code, fiscal_year, quarter]).fetchone()


def commit_files(
    con: duckdb.DuckDBPyConnection,
    prepared: list[PreparedFile],
    submitted_by: str | None,
    archive_dir: Path,
    progress: Progress | None = None,
) -> list[IngestOutcome]:
    """Store every prepared file in one transaction (the caller's, when it has one open); refuses if any file still
    has problems."""
    if any(item.problems or item.submission is None for item in prepared):
        raise ValueError("commit_files called with rejected files")
    outcomes = []
    with transaction(con):
        for done, item in enumerate(prepared, start=1):
            archive_file(archive_dir, item.file_name, item.data)
            outcomes.append(_store(con, item, submitted_by))
            if progress:
                progress(done, len(prepared), item.file_name)
    return outcomes


def _store(con: duckdb.DuckDBPyConnection, item: PreparedFile, submitted_by: str | None) -> IngestOutcome:
    sub = item.submission
    key = [sub.unit_code, sub.fiscal_year, sub.quarter]
    latest = latest_submission(con, *key)
    outcome = IngestOutcome(item.file_name, sub.unit_code, sub.fiscal_year, sub.quarter, 0, len(sub.rows),
                            sub.not_reported, False, 0)
    if latest and latest[2] == item.sha256 and latest[3] != "returned":  # a returned file may be sent again
        outcome.submission_id, outcome.version, outcome.identical = latest[0], latest[1], True
        return outcome
    bump_generation(con, period=(sub.unit_code, sub.fiscal_year, sub.quarter))  # publish copies only this quarter
    version = (latest[1] if latest else 0) + 1
    submission_id, _ = con.execute(
        queries.INSERT_SUBMISSION, [*key, version, item.file_name, item.sha256, len(sub.rows), submitted_by]
    ).fetchone()
    rows = [
        (submission_id, row.kpi_code, row.actual, item.scores[row.kpi_code],
         scoring.status_of(item.scores[row.kpi_code]), row.note or None, row.evidence or None, row.source_row)
        for row in sub.rows
    ]
    insert_rows(con, "submission_value", queries.SUBMISSION_VALUE_COLUMNS, rows)
    if latest:  # the evidence of the KPIs still reported comes along (pipelines.evidence)
        con.execute(queries.CARRY_OVER_EVIDENCE, {"new": submission_id, "old": latest[0]})
    outcome.needs_review = approval.open_review(con, submission_id, sub.fiscal_year)  # where the year requires it
    results.refresh_period(con, *key)
    outcome.submission_id, outcome.version = submission_id, version
    return outcome


def diff_against_latest(con: duckdb.DuckDBPyConnection, item: PreparedFile) -> list[ValueChange]:
    """What committing this file would change against the latest stored version, KPI by KPI."""
    sub = item.submission
    latest = latest_submission(con, sub.unit_code, sub.fiscal_year, sub.quarter)
    old = {}
    if latest:
        old = {code: (actual, score) for code, actual, score, _, _ in
               con.execute(queries.LATEST_VALUES, [latest[0]]).fetchall()}
    new = {row.kpi_code: (row.actual, item.scores[row.kpi_code]) for row in sub.rows}
    changes = []
    for code in [*new, *(c for c in old if c not in new)]:
        old_actual, old_score = old.get(code, (None, None))
        new_actual, new_score = new.get(code, (None, None))
        if code not in old or (old_actual is None and new_actual is not None):
            kind = "new" if new_actual is not None else "unchanged"
        elif new_actual is None and old_actual is not None:
            kind = "removed"
        elif old_actual != new_actual:
            kind = "changed"
        else:
            kind = "unchanged"
        changes.append(ValueChange(code, kind, old_actual, new_actual, old_score, new_score))
    return changes
