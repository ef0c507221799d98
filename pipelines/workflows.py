"""The write workflows, each one function: load org units, load a catalogue, load or edit a strategy, submit files.

Each validates, decides again inside the transaction that stores what may have changed since it was checked (for a
catalogue, the KPIs it drops that submissions or the year's strategy use; for a submission, a closed quarter or a
withdrawn right), writes its audit row in that same transaction, and publishes the analysts' snapshot.
`python -m pipelines`, the demo and the pages only call these and print or draw what they return. The pages'
preview calls check_*; their confirm calls load_* / store_files, which check again on the database as it is then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import duckdb

from pipelines import audit, db, snapshot
from pipelines.auth import User, get_user
from pipelines.catalogue import (
    CatalogueFile,
    load_catalogue,
    referenced_removals,
    save_catalogue,
    validate_catalogue,
)
from pipelines.ingest import (
    IngestOutcome,
    PreparedFile,
    Progress,
    archive_file,
    prepare_loaded,
    read_files,
    sha256_of,
    validation_inputs,
)
from pipelines.orgs import OrgUnit, save_orgs, unit_codes, validate_orgs
from pipelines.problems import Problem
from pipelines.reports import catalogue_years
from pipelines.strategy import (
    StrategyChange,
    StrategyFile,
    check_change,
    edit_file_name,
    save_strategy,
    stored_strategy,
    strategy_kpis_dropped,
    strategy_years,
    validate_strategy,
)
from pipelines.uploads import (
    commit_uploads,
    gate_problems,
    missing_notes,
    prepare_uploads_unlocked,
    record_rejected,
    rejection_detail,
)
from pipelines.validate import Period

if TYPE_CHECKING:  # the form's types; openpyxl (templates) only when a form is saved
    from pipelines.templates import Entry
    from pipelines.web_entry import EntryForm


@dataclass
class OrgsLoad:
    """An org unit file checked, and stored when it has no problem."""

    file_name: str
    units: list[OrgUnit]
    problems: list[Problem]
    existing: set[str]  # unit codes stored before this file
    stored: bool = False
    snapshot_error: Exception | None = None  # stored but the analysts' copy was not republished
    fiscal_year = None  # an org unit file is of no fiscal year


@dataclass
class CatalogueLoad:
    """A catalogue file checked, and stored when it has no problem."""

    file_name: str
    catalogue: CatalogueFile | None
    problems: list[Problem]  # the file's own, or one per dropped KPI that submissions or the strategy use
    removed: list[tuple[str, str]] = field(default_factory=list)  # those (unit, KPI) pairs
    replaces: bool = False  # the fiscal year had a catalogue already
    stored: bool = False
    snapshot_error: Exception | None = None

    @property
    def fiscal_year(self) -> int | None:
        return self.catalogue.fiscal_year if self.catalogue else None


@dataclass
class StrategyLoad:
    """A strategy checked (one workbook, or CSV files one per table), and stored when it has no problem."""

    file_names: list[str]
    strategy: StrategyFile | None
    problems: list[Problem]
    replaces: bool = False  # the fiscal year had a strategy already
    stored: bool = False
    snapshot_error: Exception | None = None

    @property
    def fiscal_year(self) -> int | None:
        return self.strategy.fiscal_year if self.strategy else None

    @property
    def file_name(self) -> str:
        return ", ".join(self.file_names)


Loaded = TypeVar("Loaded", OrgsLoad, CatalogueLoad, StrategyLoad)


@dataclass
class Submission:
    """Submission files checked, and stored when none has a problem (outcomes, one per file)."""

    prepared: list[PreparedFile]
    outcomes: list[IngestOutcome] = field(default_factory=list)
    snapshot_error: Exception | None = None

    @property
    def problems(self) -> list[Problem]:
        return [problem for item in self.prepared for problem in item.problems]

    @property
    def rejected_files(self) -> int:
        return sum(1 for item in self.prepared if item.problems)


# --- org units -----------------------------------------------------------------------------------


def check_orgs_file(con: duckdb.DuckDBPyConnection, file_name: str, data: bytes) -> OrgsLoad:
    """Validate an org unit file against the units stored now; writes nothing."""
    existing = unit_codes(con)
    units, problems = validate_orgs(file_name, data, existing)
    return OrgsLoad(file_name, units, problems, existing)


def load_orgs_file(
    db_path: Path, file_name: str, data: bytes, *, by: str | None = None, channel: str = "cli"
) -> OrgsLoad:
    """Check the file inside the storing transaction; store the units and the audit row there (or audit the
    rejection), then publish the snapshot."""

    def save(con: duckdb.DuckDBPyConnection, checked: OrgsLoad, digest: str) -> str:
        save_orgs(con, checked.units)
        return f"{len(checked.units)} units"

    return _load_file(db_path, "orgs_load", [(file_name, data)], lambda con: check_orgs_file(con, file_name, data),
                      save, by=by, channel=channel)


def _load_file(
    db_path: Path, action: str, files: Sequence[tuple[str, bytes]],
    check: Callable[[duckdb.DuckDBPyConnection], Loaded], save: Callable[[duckdb.DuckDBPyConnection, Loaded, str], str],
    *, by: str | None, channel: str,
) -> Loaded:
    """Every file load (org units, a catalogue, a strategy): in one transaction (run again when it meets a
    concurrent writer), check the files; refuse them with an audit row, or keep the files, save and audit (`save`
    gets their sha256 and returns what the audit detail says was stored). After the commit, publish the snapshot."""
    names = ", ".join(name for name, _ in files)
    digest = (sha256_of(files[0][1]) if len(files) == 1
              else sha256_of(b"".join(sha256_of(data).encode() for _, data in files)))
    with db.open_db(db_path) as con:
        db.migrate(con)

        def store() -> Loaded:
            with db.transaction(con):
                checked = check(con)
                if checked.problems:
                    audit.record(con, by or channel, action, "rejected", fiscal_year=checked.fiscal_year,
                                 channel=channel, detail=rejection_detail(names, checked.problems))
                    return checked
                for name, data in files:
                    archive_file(db.uploads_dir(db_path), name, data)
                stored = save(con, checked, digest)
                audit.record(con, by or channel, action, "success", fiscal_year=checked.fiscal_year, channel=channel,
                             detail=f"{names}: {stored}, sha256 {digest}")
                checked.stored = True
            return checked

        loaded = db.retrying(store)
        if loaded.stored:
            loaded.snapshot_error = snapshot.publish_after_write(con, db_path)
    return loaded


# --- catalogues ----------------------------------------------------------------------------------


def check_catalogue_file(
    con: duckdb.DuckDBPyConnection, file_name: str, data: bytes, fiscal_year: int | None = None
) -> CatalogueLoad:
    """Validate a catalogue file against the units stored now, then find the KPIs it drops that submissions of
    its year reference (they may not go); writes nothing."""
    catalogue, problems = validate_catalogue(file_name, data, unit_codes(con), fiscal_year)
    if catalogue is None:
        return CatalogueLoad(file_name, None, problems)
    removed = referenced_removals(con, catalogue)
    problems = removal_problems(file_name, removed)
    problems += strategy_removal_problems(file_name, catalogue.fiscal_year, strategy_kpis_dropped(con, catalogue))
    return CatalogueLoad(file_name, catalogue, problems, removed,
                         replaces=catalogue.fiscal_year in catalogue_years(con))


def removal_problems(file_name: str, removed: list[tuple[str, str]]) -> list[Problem]:
    return [Problem(file_name, "", None, "kpi_code", f"{unit} {kpi}",
                    "ตัวชี้วัดที่ถูกตัดออกมีผลการดำเนินงานที่ส่งแล้ว", "removed KPI is referenced by a submission",
                    "kpi_code")
            for unit, kpi in removed]


def strategy_removal_problems(file_name: str, fiscal_year: int, dropped: list[tuple[str, str, str]]) -> list[Problem]:
    """One problem per KPI the catalogue drops (or takes from its owner) that measures a key result of the year's
    strategy: remove the KPI from the key result in the strategy first."""
    return [Problem(file_name, "", None, "kpi_code", f"{owner} {kpi}",
                    f"ตัวชี้วัด {kpi} ของ {owner} ถูกตัดออก แต่ยังใช้วัดผลลัพธ์หลัก {kr} ในแผนยุทธศาสตร์ปีงบประมาณ "
                    f"{fiscal_year} (แก้ไขแผนยุทธศาสตร์ก่อน)",
                    f"removed KPI {kpi} of {owner} still measures key result {kr} of the fiscal year {fiscal_year} "
                    f"strategy (change the strategy first)", "kpi_code")
            for kr, owner, kpi in dropped]


def load_catalogue_file(
    db_path: Path, file_name: str, data: bytes, *, fiscal_year: int | None = None, by: str | None = None,
    channel: str = "cli",
) -> CatalogueLoad:
    """Check the file, and the KPIs it drops against the submissions stored, inside the storing transaction: a
    submission stored after a preview is seen. Replace the year's catalogue (re-scoring it) and audit there (or
    audit the rejection), then publish the snapshot."""

    def save(con: duckdb.DuckDBPyConnection, checked: CatalogueLoad, digest: str) -> str:
        save_catalogue(con, checked.catalogue, file_name, digest, by)
        return f"{len(checked.catalogue.kpis)} KPIs"

    return _load_file(db_path, "catalogue_load", [(file_name, data)],
                      lambda con: check_catalogue_file(con, file_name, data, fiscal_year), save, by=by,
                      channel=channel)


def audit_rejected_load(
    con: duckdb.DuckDBPyConnection, action: str, file_name: str, problems: list[Problem], *, by: str | None,
    channel: str,
) -> None:
    """The audit row of an org unit or catalogue file refused before the load was asked for (a page's preview)."""
    audit.record(con, by or channel, action, "rejected", channel=channel, detail=rejection_detail(file_name, problems))


# --- strategies ----------------------------------------------------------------------------------


def check_strategy_file(
    con: duckdb.DuckDBPyConnection, files: Sequence[tuple[str, bytes]], fiscal_year: int | None = None
) -> StrategyLoad:
    """Validate a strategy against the units and the year's KPI catalogue stored now; writes nothing."""
    strategy, problems = validate_strategy(files, unit_codes(con), lambda year: load_catalogue(con, year),
                                           fiscal_year)
    replaces = strategy is not None and strategy.fiscal_year in strategy_years(con)
    return StrategyLoad([name for name, _ in files], strategy, problems, replaces)


def load_strategy_file(
    db_path: Path, files: Sequence[tuple[str, bytes]], *, fiscal_year: int | None = None, by: str | None = None,
    channel: str = "cli",
) -> StrategyLoad:
    """Check the strategy inside the storing transaction (units and the catalogue as they are then), replace the
    year's strategy, add its load history row and audit there (or audit the rejection), then publish."""
    files = list(files)
    names = ", ".join(name for name, _ in files)

    def save(con: duckdb.DuckDBPyConnection, checked: StrategyLoad, digest: str) -> str:
        save_strategy(con, checked.strategy, names, digest, by)
        return ", ".join(f"{count} {part}" for part, count in checked.strategy.counts().items() if count)

    return _load_file(db_path, "strategy_load", files, lambda con: check_strategy_file(con, files, fiscal_year), save,
                      by=by, channel=channel)


@dataclass
class StrategyEdit:
    """One change to a fiscal year's strategy (the admin's strategy editor), checked as the whole strategy's file
    would be, and stored as the year's next version when it has no problem."""

    fiscal_year: int
    change: StrategyChange
    strategy: StrategyFile | None  # the year's strategy with the change made
    problems: list[Problem]
    data: bytes = b""  # that strategy as a workbook: the version archived
    stored: bool = False
    snapshot_error: Exception | None = None


EDIT_NOT_ALLOWED = ("แก้ไขแผนยุทธศาสตร์ได้เฉพาะผู้ดูแลระบบ", "only an administrator may edit the strategy")


def check_strategy_edit(con: duckdb.DuckDBPyConnection, fiscal_year: int, change: StrategyChange) -> StrategyEdit:
    """Make the change to the year's strategy as stored now and check the result against the units and the year's
    catalogue stored now, with the strategy file's checks (pipelines.strategy.check_change); writes nothing."""
    strategy, problems, data = check_change(stored_strategy(con, fiscal_year), change, unit_codes(con),
                                            lambda year: load_catalogue(con, year))
    return StrategyEdit(fiscal_year, change, strategy, problems, data)


def edit_strategy(
    db_path: Path, fiscal_year: int, change: StrategyChange, *, user: User | None, channel: str = "web"
) -> StrategyEdit:
    """In one transaction: refuse a user who is not (or no longer) an enabled admin; make the change to the year's
    strategy as it is then and check it; store the result as the year's next version (its workbook archived, the
    year's rows replaced, a strategy_load row saying what changed) with the audit row, or audit the rejection.
    Then publish the snapshot. `user` None: the command line, run by whoever operates the server."""
    by = user.username if user else "cli"
    with db.open_db(db_path) as con:
        db.migrate(con)

        def store() -> StrategyEdit:
            with db.transaction(con):
                now = get_user(con, user.username) if user else None
                if user is not None and (now is None or now.disabled or now.role != "admin"):
                    audit.record(con, by, "strategy_edit", "refused", fiscal_year=fiscal_year, channel=channel,
                                 detail=f"{change.summary} (role {now.role if now else user.role})")
                    return StrategyEdit(fiscal_year, change, None,
                                        [Problem("", "", None, "", change.code, *EDIT_NOT_ALLOWED)])
                checked = check_strategy_edit(con, fiscal_year, change)
                if checked.problems:
                    audit.record(con, by, "strategy_edit", "rejected", fiscal_year=fiscal_year, channel=channel,
                                 detail=rejection_detail(change.summary, checked.problems))
                    return checked
                name, digest = edit_file_name(fiscal_year), sha256_of(checked.data)
                archive_file(db.uploads_dir(db_path), name, checked.data)
                save_strategy(con, checked.strategy, name, digest, by, edit_summary=change.summary)
                audit.record(con, by, "strategy_edit", "success", fiscal_year=fiscal_year, channel=channel,
                             detail=f"{change.summary}: sha256 {digest}")
                checked.stored = True
            return checked

        edited = db.retrying(store)
        if edited.stored:
            edited.snapshot_error = snapshot.publish_after_write(con, db_path)
    return edited


# --- submissions ---------------------------------------------------------------------------------


def check_files(
    db_path: Path, files: Sequence[tuple[str, bytes]], given: Period = Period(), *, by: str | None,
    user: User | None = None, channel: str = "cli", refused: Sequence[PreparedFile] = (),
    progress: Progress | None = None, source: str = "",
) -> list[PreparedFile]:
    """Validate submission files with the database closed (a large file keeps no writer waiting), then audit each
    file that has a problem; `refused` are files turned away before they were read (too large, wrong type), audited
    with them. `user` None: the command line, run by whoever operates the server."""
    prepared = prepare_uploads_unlocked(lambda: db.open_current(db_path), list(files), given, user=user,
                                        progress=progress) if files else []
    prepared += refused
    if any(item.problems for item in prepared):
        with db.open_db(db_path) as con:
            record_rejected(con, prepared, by=by, given=given, channel=channel, source=source)
    return prepared


def store_files(
    db_path: Path, prepared: list[PreparedFile], *, by: str | None, user: User | None = None, channel: str = "cli",
    progress: Progress | None = None, source: str = "",
) -> Submission:
    """Store checked files, one transaction with their audit rows, after deciding again inside it that no quarter was
    closed and the user may still submit for each unit (else nothing is stored and the refusal is audited); publish
    the snapshot when a new version was stored."""
    with db.open_db(db_path) as con:
        return _store_on(con, db_path, prepared, by=by, user=user, channel=channel, progress=progress, source=source)


def _store_on(
    con: duckdb.DuckDBPyConnection, db_path: Path, prepared: list[PreparedFile], *, by: str | None,
    user: User | None, channel: str, progress: Progress | None, source: str = "",
) -> Submission:
    outcomes = commit_uploads(con, prepared, by=by, user=user, archive_dir=db.uploads_dir(db_path),
                              channel=channel, progress=progress, source=source)
    error = None
    if outcomes and not all(outcome.identical for outcome in outcomes):
        error = snapshot.publish_after_write(con, db_path)
    return Submission(prepared, outcomes, error)


ONE_CONNECTION_BYTES = 256 * 1024
"""submit_files validates files up to this size in all on the one connection that then stores them: one open of the
live file instead of three (each open of a ministry's file costs 20-60 ms, the checkpoint at its close more), where
validating a quarter's file (a 25-row workbook is about 6 KB) takes milliseconds. Larger files are validated with the
database closed (check_files), so that no writer waits while they are."""


def submit_files(
    db_path: Path, files: Sequence[tuple[str, bytes]], given: Period = Period(), *, by: str | None = None,
    channel: str = "cli", refused: Sequence[PreparedFile] = (), validate_progress: Progress | None = None,
    store_progress: Progress | None = None,
) -> Submission:
    """check_files, then store_files when no file has a problem: `python -m pipelines ingest` and the demo. Files of
up to ONE_CONNECTION_BYTES in all are read with the database closed, then validated, gated, audited, stored and
published on one connection (the same steps; the gate is decided once, inside the write lock)."""
    if not files or sum(len(data) for _, data in files) > ONE_CONNECTION_BYTES:
        prepared = check_files(db_path, files, given, by=by, channel=channel, refused=refused,
                               progress=validate_progress)
        if any(item.problems for item in prepared):
            return Submission(prepared)
        return store_files(db_path, prepared, by=by, channel=channel, progress=store_progress)
    read = read_files(list(files))
    with db.open_db(db_path) as con:
        if not db.is_current(con):
            db.migrate(con)
        prepared = prepare_loaded(validation_inputs(con, read, given), read, given, validate_progress)
        for item in prepared:
            item.problems.extend(gate_problems(con, item, given, None))
        prepared += refused
        if any(item.problems for item in prepared):
            record_rejected(con, prepared, by=by, given=given, channel=channel)
            return Submission(prepared)
        return _store_on(con, db_path, prepared, by=by, user=None, channel=channel, progress=store_progress)


def submit_entry(
    db_path: Path, form: EntryForm, entries: Mapping[str, Entry], *, by: str, user: User, lang: str = "th"
) -> Submission:
    """A quarter entered on the upload page's form: the unit's template filled from `entries`
    (templates.workbook_from_rows), then check_files and store_files as any uploaded file (the right to submit for
    the unit and the open quarter decided again inside the transaction), its audit rows saying it came from the
    web form, the generated .xlsx archived as the version's file."""
    from pipelines.templates import workbook_from_rows
    from pipelines.web_entry import WEB_FORM_SOURCE

    data = workbook_from_rows(form.unit, form.fiscal_year, form.quarter, form.kpis, entries, lang)
    given = Period(form.unit["code"], form.fiscal_year, form.quarter)
    prepared = check_files(db_path, [(form.file_name, data)], given, by=by, user=user, channel="web",
                           source=WEB_FORM_SOURCE)
    if any(item.problems for item in prepared):
        return Submission(prepared)
    return store_files(db_path, prepared, by=by, user=user, channel="web", source=WEB_FORM_SOURCE)


def notes_missing(submission: Submission) -> list[tuple[str, str]]:
    """(file name, KPI code) of each KPI that comes out off track or not reported without a note: a warning."""
    return [(item.file_name, code) for item in submission.prepared for code in missing_notes(item)]


# --- the database itself -------------------------------------------------------------------------


def init_database(db_path: Path) -> tuple[list[str], Exception | None]:
    """Create or upgrade the schema and publish the snapshot: (migrations applied, the publish error if any)."""
    applied = db.init_database(db_path)
    with db.open_db(db_path) as con:
        return applied, snapshot.publish_after_write(con, db_path)
