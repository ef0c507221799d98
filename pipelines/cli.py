"""The command line: argument parsing only; each subcommand is one call into the modules."""

from __future__ import annotations

import argparse
import errno
import os
import stat
import sys
from pathlib import Path

import duckdb

from pipelines import (
    accounts_cli,
    cli_output,
    db,
    export,
    forecast,
    maintenance,
    read_source,
    reports,
    snapshot,
    workflows,
)
from pipelines.ingest import MAX_UPLOAD_BYTES, IngestOutcome, PreparedFile, too_large_problem
from pipelines.parsing import parse_fiscal_year, parse_quarter
from pipelines.problems import Problem, problem_count
from pipelines.validate import Period

OK, REJECTED = 0, 1
BUSY = 75
"""EX_TEMPFAIL: the database stayed busy with another write; nothing changed, the same command may be run again."""


def positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"ต้องเป็นจำนวนเต็มตั้งแต่ 1 / a whole number from 1 expected: {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines",
        description="BSC KPI dashboard pipeline: load org units, catalogues and quarterly submissions into DuckDB.",
    )
    parser.add_argument("--db", help="database file (default: env BSC_DB, else data/bsc.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("init", help="create or upgrade the database schema")

    orgs = commands.add_parser("orgs", help="load org units (.xlsx/.csv; Thai or English headers)")
    orgs.add_argument("file", type=Path)

    catalogue = commands.add_parser("catalogue", help="load (or replace) one fiscal year's KPI catalogue")
    catalogue.add_argument("file", type=Path)
    catalogue.add_argument("--fiscal-year", type=parse_fiscal_year, help="fiscal year if the file has no column")
    catalogue.add_argument("--by", help="who loads it (kept in the load history)")

    strategy = commands.add_parser(
        "strategy", help="load (or replace) one fiscal year's strategy: objectives, key results, End Products",
        description="Load one fiscal year's strategy (docs/reference/file-formats.md): one workbook with one sheet "
                    "per table, or CSV files one per table named after it (objectives.csv, key_results.csv, ...). "
                    "It replaces that year's strategy; the load is kept in the history.")
    strategy.add_argument("files", nargs="+", type=Path, metavar="FILE")
    strategy.add_argument("--fiscal-year", type=parse_fiscal_year,
                          help="fiscal year if the objectives have no fiscal_year column")
    strategy.add_argument("--by", help="who loads it (kept in the load history)")

    template = commands.add_parser("template", help="write a unit's submission workbook for a quarter")
    template.add_argument("--division", required=True, help="org unit code")
    template.add_argument("--fiscal-year", required=True, type=parse_fiscal_year, help="BE (2568) or CE (2025)")
    template.add_argument("--quarter", required=True, type=parse_quarter, help="1-4, Q2, ไตรมาส 2 ...")
    template.add_argument("-o", "--output", required=True, type=Path, help="the .xlsx file to write")

    ingest = commands.add_parser("ingest", help="validate and store quarterly submission files")
    ingest.add_argument("files", nargs="+", type=Path)
    agree = "; a file that names another (header block, column or <unit>_<year>_Q<quarter> file name) is refused"
    ingest.add_argument("--division", help="org unit code" + agree)
    ingest.add_argument("--fiscal-year", type=parse_fiscal_year, help="BE (2568) or CE (2025)" + agree)
    ingest.add_argument("--quarter", type=parse_quarter, help="1-4, Q2, ไตรมาส 2 ..." + agree)
    ingest.add_argument("--by", help="who submits (kept with the version)")

    scores = commands.add_parser("scores", help="print the scores of a fiscal year and quarter")
    scores.add_argument("--fiscal-year", required=True, type=parse_fiscal_year)
    scores.add_argument("--quarter", required=True, type=parse_quarter)
    scores.add_argument("--by", choices=["unit", "dimension", "kpi", "pmqa"], default="unit")
    scores.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table",
                        help="table: one page of rows; csv, json and parquet: every row, streamed")
    scores.add_argument("-o", "--output", type=Path, help="write to this file instead of the screen (parquet: needed)")
    scores.add_argument("--page", type=positive_int, default=1,
                        help=f"the page of a table ({cli_output.TABLE_PAGE_ROWS} rows each)")

    demo = commands.add_parser("demo", help="build the demo database from generated demo files")
    demo.add_argument("--force", action="store_true", help="replace an existing database file")
    demo.add_argument("--demo-dir", type=Path, help="where to write the demo files (default data/demo)")
    accounts_cli.add_commands(commands)

    forecaster = commands.add_parser("forecast", help="project each KPI's year-end result, or backtest the methods")
    forecaster.add_argument("--fiscal-year", required=True, type=parse_fiscal_year, help="BE (2568) or CE (2025)")
    forecaster.add_argument("--quarter", type=parse_quarter, help="project as of this quarter (1-3)")
    forecaster.add_argument("--backtest", action="store_true",
                            help="replay the year as if at Q1, Q2 and Q3 and score each method's Q4")
    forecaster.add_argument("--format", choices=["table", "csv", "json"], default="table")

    reporter = commands.add_parser(
        "report", help="write the quarterly executive pack of a unit as PDF, PowerPoint or Excel",
        description="Write the executive pack (docs/reference/report.md) of a unit and its subtree for one quarter, "
                    "from the published database: scores, units ranked, KPIs below target with their notes, KPIs "
                    "at risk by year end, PMQA coverage, OKR progress, End Products, submission status.")
    reporter.add_argument("--fiscal-year", required=True, type=parse_fiscal_year, help="BE (2568) or CE (2025)")
    reporter.add_argument("--quarter", required=True, type=parse_quarter, help="1-4, Q2, ไตรมาส 2 ...")
    reporter.add_argument("--unit", required=True, help="org unit code (the agency's code for the whole agency)")
    reporter.add_argument("--format", required=True, choices=["pdf", "pptx", "xlsx"])
    reporter.add_argument("--lang", choices=["th", "en"], default="th", help="the pack's language (default th)")
    reporter.add_argument("-o", "--output", required=True, type=Path, help="the file to write")

    commands.add_parser("snapshot", help="republish the analysts' read-only copy (done after every write anyway)")

    exporter = commands.add_parser("export", help="write every public view to files (from the analyst snapshot)")
    exporter.add_argument("--format", choices=export.FORMATS, default="parquet")
    exporter.add_argument("--out", required=True, type=Path, help="folder to write <view>.<format> into")
    exporter.add_argument("--fiscal-year", type=parse_fiscal_year, help="only this fiscal year (BE or CE)")

    checker = commands.add_parser("check", help="verify the database, archived uploads and snapshot; exit 1 if wrong")
    checker.add_argument("--repair", action="store_true",
                         help="republish a snapshot that misses a commit (nothing else is ever changed)")

    backup = commands.add_parser("backup", help="one .tar with a consistent copy of the database and the uploads")
    backup.add_argument("--out", required=True, type=Path, help="the .tar file to write")

    restore = commands.add_parser("restore", help="put a backup back (stop the dashboard first)")
    restore.add_argument("file", type=Path, help="a .tar written by `backup`")
    restore.add_argument("--force", action="store_true", help="replace an existing database")

    reminder = commands.add_parser(
        "remind", help="send the reminder e-mails due now (safe to run from cron every hour)",
        description="Send each division head whose unit has not submitted a quarter the reminder due today (the "
                    "admin sets the days around each deadline), and the admins their daily digest; never the same "
                    "e-mail twice. SMTP settings: docs/operations/configuration.md.")
    reminder.add_argument("--dry-run", action="store_true", help="list what is due; send and record nothing")
    reminder.add_argument("--now", type=parse_moment, metavar="ISO",
                          help="act as if it were this date and time (2025-01-08T09:00), not the server clock")
    return parser


def parse_moment(text: str):
    """An ISO date or date and time for --now, as the server's local time (an offset given is converted to it)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ไม่ใช่วันเวลาแบบ ISO / not an ISO date and time: {text!r}") from None
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db_path = db.resolve_db_path(args.db)
    handler = {
        "init": run_init, "orgs": run_orgs, "catalogue": run_catalogue, "strategy": run_strategy,
        "template": run_template,
        "ingest": run_ingest, "scores": run_scores, "demo": run_demo,
        "users": accounts_cli.run_users, "periods": accounts_cli.run_periods,
        "forecast": run_forecast, "report": run_report, "snapshot": run_snapshot, "export": run_export,
        "check": run_check, "backup": run_backup, "restore": run_restore, "remind": run_remind,
    }[args.command]
    try:
        return handler(args, db_path)
    except db.DatabaseBusy as busy:
        print(busy, file=sys.stderr)
        return BUSY
    except OSError as error:  # a missing, unreadable or unwritable path given on the command line
        print(path_message(error), file=sys.stderr)
        return REJECTED
    except duckdb.IOException as error:  # --db names a folder or a file that is not a database
        print(f"เปิดฐานข้อมูลไม่ได้ / cannot open the database {db_path}: {error}", file=sys.stderr)
        return REJECTED


def read_input(path: Path) -> bytes:
    """A file named on the command line, read whole only when it is a regular file within the upload limit (the
    web pages' limit too): a folder, a device such as /dev/zero, a pipe or a 5 GB file is refused before it is read
    into memory (an OSError, reported by main)."""
    mode = path.stat().st_mode  # before opening: opening a pipe would wait for a writer
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.ENODEV, "not a regular file (a device, a pipe or a socket)", str(path))
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > MAX_UPLOAD_BYTES:
            raise InputTooLarge(path, size)
        return file.read(MAX_UPLOAD_BYTES + 1)


class InputTooLarge(OSError):
    """A file over the upload limit, refused before it is read."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__(errno.EFBIG, f"{size / 2**20:,.1f} MB, larger than the {MAX_UPLOAD_BYTES // 2**20} MB "
                                      "limit for uploaded files", str(path))
        self.size = size


_PATH_REASONS = {
    errno.ENOENT: "ไม่พบไฟล์หรือโฟลเดอร์นี้",
    errno.EISDIR: "เป็นโฟลเดอร์ ต้องระบุไฟล์",
    errno.ENOTDIR: "ส่วนหนึ่งของเส้นทางเป็นไฟล์ ไม่ใช่โฟลเดอร์",
    errno.EEXIST: "มีไฟล์ชื่อเดียวกับโฟลเดอร์ที่ต้องสร้าง",
    errno.EACCES: "ไม่มีสิทธิ์อ่านหรือเขียน",
    errno.EPERM: "ไม่มีสิทธิ์อ่านหรือเขียน",
    errno.EROFS: "ระบบไฟล์อ่านได้อย่างเดียว",
    errno.ENOSPC: "พื้นที่ดิสก์เต็ม",
    errno.ENODEV: "ไม่ใช่ไฟล์ธรรมดา (เป็นอุปกรณ์ ไปป์ หรือซ็อกเก็ต)",
    errno.EFBIG: f"ไฟล์ใหญ่เกิน {MAX_UPLOAD_BYTES // 2**20} MB",
}


def path_message(error: OSError) -> str:
    """One line, Thai then English, naming the path and why it cannot be read or written; never a traceback."""
    where = f" {error.filename}" if error.filename else ""
    reason_th = _PATH_REASONS.get(error.errno, "อ่านหรือเขียนไม่ได้")
    reason_en = error.strerror or str(error)
    if error.errno == errno.EEXIST:
        reason_en = "a file is in the way of a folder that must be created"
    return f"อ่านหรือเขียนไม่ได้{where}: {reason_th} / cannot read or write{where}: {reason_en}; nothing was changed"


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def run_snapshot(args, db_path: Path) -> int:
    path = snapshot.publish_file(db_path)
    print(f"สำเนาสำหรับนักวิเคราะห์ / analyst snapshot: {path}")
    return OK


def run_export(args, db_path: Path) -> int:
    source = read_source.snapshot_to_export(db_path)
    published, exported = export.export_views(source, args.out, args.format, args.fiscal_year)
    for item in exported:
        if item.path is None:
            print(f"{item.view}: ไม่ได้เขียน / not written: {item.problem}", file=sys.stderr)
        else:
            print(f"{item.path}: {item.rows:,} rows")
    print(f"ข้อมูล ณ / data as of {published}")
    return OK if all(item.path for item in exported) else REJECTED


def run_init(args, db_path: Path) -> int:
    applied, snapshot_error = workflows.init_database(db_path)
    warn_unpublished(snapshot_error)
    print(f"{db_path}: schema up to date" + (f" (applied {', '.join(applied)})" if applied else ""))
    return OK


def warn_unpublished(error: Exception | None) -> None:
    """A write stands when the analysts' copy could not be republished: a warning, not a failure."""
    if error is not None:
        print(snapshot.NOT_REFRESHED.format(error=error), file=sys.stderr)


def rejected(problems: list[Problem], where: str) -> int:
    print_problems(problems)
    print(f"ไม่ได้บันทึก / rejected: {problem_count(problems)} problem(s) in {where}", file=sys.stderr)
    return REJECTED


def run_orgs(args, db_path: Path) -> int:
    loaded = workflows.load_orgs_file(db_path, args.file.name, read_input(args.file))
    if not loaded.stored:
        return rejected(loaded.problems, str(args.file))
    warn_unpublished(loaded.snapshot_error)
    print(f"บันทึกหน่วยงาน {len(loaded.units)} หน่วย / loaded {len(loaded.units)} org units from {args.file.name}")
    return OK


def run_catalogue(args, db_path: Path) -> int:
    loaded = workflows.load_catalogue_file(db_path, args.file.name, read_input(args.file),
                                           fiscal_year=args.fiscal_year, by=args.by)
    if loaded.removed:
        print_problems(loaded.problems)
        print(f"ไม่ได้บันทึก / rejected: the new catalogue drops {len(loaded.removed)} KPI(s) that submissions of "
              f"{loaded.catalogue.fiscal_year} reference", file=sys.stderr)
        return REJECTED
    if not loaded.stored:
        return rejected(loaded.problems, str(args.file))
    catalogue = loaded.catalogue
    for warning in catalogue.warnings:
        print(f"คำเตือน / warning: {warning}", file=sys.stderr)
    warn_unpublished(loaded.snapshot_error)
    print(f"บันทึกบัญชีตัวชี้วัดปีงบประมาณ {catalogue.fiscal_year}: {len(catalogue.kpis)} ตัวชี้วัด / "
          f"loaded {len(catalogue.kpis)} KPIs for fiscal year {catalogue.fiscal_year}")
    return OK


def run_strategy(args, db_path: Path) -> int:
    files = [(path.name, read_input(path)) for path in args.files]
    loaded = workflows.load_strategy_file(db_path, files, fiscal_year=args.fiscal_year, by=args.by)
    if not loaded.stored:
        return rejected(loaded.problems, loaded.file_name)
    warn_unpublished(loaded.snapshot_error)
    counts = loaded.strategy.counts()
    print(f"บันทึกแผนยุทธศาสตร์ปีงบประมาณ {loaded.fiscal_year}: วัตถุประสงค์ {counts['objectives']} "
          f"ผลลัพธ์หลัก {counts['key_results']} ผลผลิตขั้นสุดท้าย {counts['end_products']} / loaded the fiscal year "
          f"{loaded.fiscal_year} strategy: {counts['objectives']} objectives, {counts['key_results']} key results, "
          f"{counts['end_products']} End Products")
    return OK


def run_template(args, db_path: Path) -> int:
    with db.open_db(db_path, read_only=True) as con:
        unit = reports.org_unit(con, args.division)
        kpis = reports.kpis_owned_by(con, args.division, args.fiscal_year) if unit else []
    if unit is None:
        print(f"ไม่พบหน่วยงาน {args.division} / unknown org unit {args.division}", file=sys.stderr)
        return REJECTED
    if not kpis:
        print(f"{args.division} ไม่มีตัวชี้วัดในปีงบประมาณ {args.fiscal_year} / "
              f"{args.division} owns no KPI in fiscal year {args.fiscal_year}", file=sys.stderr)
        return REJECTED
    from pipelines.templates import write_template  # openpyxl: only this command needs it

    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_template(args.output, unit, args.fiscal_year, args.quarter, kpis)
    print(f"{args.output}: {len(kpis)} KPIs for {args.division}, FY {args.fiscal_year} Q{args.quarter}")
    return OK


class ProgressLine:
    """One self-overwriting line on stderr for a long command: called with (done, total, label) when it handles many
    files, or through `fraction` with (fraction done 0-1, label) for a generation (report.Progress)."""

    def __init__(self, verb: str, enabled: bool = True) -> None:
        self.verb = verb
        self.enabled = enabled

    def __call__(self, done: int, total: int, label: str) -> None:
        self._show(f"{done}/{total}", done == total, label)

    def fraction(self, fraction: float, label: str) -> None:
        self._show(f"{fraction:4.0%}", fraction >= 1, label)

    def _show(self, count: str, finished: bool, label: str) -> None:
        if self.enabled:
            print(f"\r{self.verb} [{count}] {label[:50]:<50}", end="\n" if finished else "", file=sys.stderr,
                  flush=True)


def run_ingest(args, db_path: Path) -> int:
    """Validate with the database closed, then hold the write lock only to commit and publish (workflows.submit_files);
    a file over the size limit is refused without being read."""
    files, too_large = [], []
    for path in args.files:
        try:
            files.append((path.name, read_input(path)))
        except InputTooLarge as error:  # refused on its size, as the upload page does, without reading it
            too_large.append(PreparedFile(path.name, b"", "", None, [too_large_problem(path.name, error.size)]))
    many = len(args.files) > 1
    submission = workflows.submit_files(
        db_path, files, Period(args.division, args.fiscal_year, args.quarter), by=args.by, refused=too_large,
        validate_progress=ProgressLine("ตรวจสอบ/validate", many), store_progress=ProgressLine("บันทึก/store", many),
    )
    if submission.problems:  # nothing stored: bad data, or a quarter closed before the commit
        print_problems(submission.problems)
        print(f"ไม่ได้บันทึก / rejected: {problem_count(submission.problems)} problem(s) in "
              f"{submission.rejected_files} of {len(args.files)} file(s); nothing was stored", file=sys.stderr)
        return REJECTED
    for file_name, code in workflows.notes_missing(submission):
        print(f"คำเตือน / warning: {file_name}: {code}: ต่ำกว่าเป้าหมายหรือยังไม่รายงาน แต่ไม่มีหมายเหตุ / "
              "off track or not reported without a note", file=sys.stderr)
    warn_unpublished(submission.snapshot_error)
    for outcome in submission.outcomes:
        print(describe_outcome(outcome))
    return OK


def run_check(args, db_path: Path) -> int:
    if not db_path.exists():
        print(f"ไม่พบฐานข้อมูล / database not found: {db_path}", file=sys.stderr)
        return REJECTED
    findings, republished = maintenance.check_and_repair(db_path) if args.repair else (maintenance.check(db_path), None)
    if republished:
        print(f"ปรับปรุงสำเนาสำหรับนักวิเคราะห์แล้ว / republished the analyst snapshot {republished}")
    if findings:
        for line in maintenance.report(findings):
            print(line, file=sys.stderr)
        print(f"พบปัญหา {len(findings)} รายการ / {len(findings)} problem(s) found in {db_path}", file=sys.stderr)
        return REJECTED
    print(f"{db_path}: ตรวจแล้วไม่พบปัญหา / all checks passed (schema, versions, archived files, scores, kept tables, "
          "snapshot)")
    return OK


def run_backup(args, db_path: Path) -> int:
    if not db_path.exists():
        print(f"ไม่พบฐานข้อมูล / database not found: {db_path}", file=sys.stderr)
        return REJECTED
    summary = maintenance.backup(db_path, args.out)
    print(f"สำรองข้อมูลแล้ว / backup written: {summary.path} (schema {summary.schema_version}, data generation "
          f"{summary.generation}, {summary.uploads} archived file(s))")
    return OK


def run_restore(args, db_path: Path) -> int:
    try:
        summary = maintenance.restore(args.file, db_path, force=args.force)
    except maintenance.RestoreRefused as refused:
        print(refused, file=sys.stderr)
        return REJECTED
    print(f"กู้คืนแล้ว / restored {db_path} from {summary.path} (schema {summary.schema_version}, data generation "
          f"{summary.generation}, {summary.uploads} archived file(s))")
    return OK


def run_remind(args, db_path: Path) -> int:
    from pipelines import reminders  # smtplib and e-mail: only this command needs them

    if not db_path.exists():
        print(f"ไม่พบฐานข้อมูล / database not found: {db_path}", file=sys.stderr)
        return REJECTED
    run = reminders.remind(db_path, args.now, dry_run=args.dry_run)
    for reminder in run.due if args.dry_run else run.sent:
        verb = "จะส่ง / would send" if args.dry_run else "ส่งแล้ว / sent"
        print(f"{verb}: {reminder.kind} -> {reminder.recipient}: {reminder.subject}")
    for reminder, why in run.failed:
        print(f"ส่งไม่สำเร็จ จะลองใหม่ในรอบถัดไป / not sent, tried again next run: {reminder.recipient}: {why}",
              file=sys.stderr)
    if run.not_configured:
        print(f"ยังไม่ได้ตั้งค่า SMTP (BSC_SMTP_HOST) จึงไม่ได้ส่ง {len(run.due)} ฉบับ / no SMTP host configured "
              f"(BSC_SMTP_HOST): {len(run.due)} e-mail(s) due, none sent", file=sys.stderr)
        return REJECTED
    if not run.due:
        print("ไม่มีอีเมลที่ถึงกำหนดส่ง / nothing due")
    return REJECTED if run.failed else OK


def describe_outcome(outcome: IngestOutcome) -> str:
    period = f"{outcome.unit_code} FY{outcome.fiscal_year} Q{outcome.quarter}"
    if outcome.identical:
        return (f"{outcome.file_name}: {period}: เหมือนฉบับล่าสุด (ฉบับที่ {outcome.version}) ไม่มีการบันทึกเพิ่ม / "
                f"identical to the latest version {outcome.version}; nothing new stored")
    missing = ", ".join(outcome.not_reported) or "-"
    return (f"{outcome.file_name}: {period}: ฉบับที่ {outcome.version} / version {outcome.version}, "
            f"{outcome.row_count} rows; ยังไม่รายงาน / not reported ({len(outcome.not_reported)}): {missing}")


def run_scores(args, db_path: Path) -> int:
    if args.format == "parquet" and args.output is None:
        print("--format parquet ต้องระบุไฟล์ด้วย -o / needs an output file: -o FILE", file=sys.stderr)
        return REJECTED
    no_data = (f"ไม่มีข้อมูลปีงบประมาณ {args.fiscal_year} ไตรมาส {args.quarter} / no data for fiscal year "
               f"{args.fiscal_year} quarter {args.quarter}")
    with db.open_db(db_path, read_only=True) as con:
        rows = cli_output.write_query(con, reports.SCORE_QUERIES[args.by], [args.fiscal_year, args.quarter],
                                      args.format, args.output, no_data, args.page)
    return OK if rows else REJECTED


def run_demo(args, db_path: Path) -> int:
    if db_path.exists() and not args.force:
        print(f"{db_path} มีอยู่แล้ว (ใช้ --force เพื่อสร้างใหม่) / already exists; use --force to rebuild",
              file=sys.stderr)
        return REJECTED
    demo_dir = args.demo_dir or db_path.parent / "demo"
    from pipelines.demo import create_demo_database  # openpyxl: only this command needs it

    accounts, snapshot_error = create_demo_database(db_path, demo_dir, ProgressLine("demo", True))
    warn_unpublished(snapshot_error)
    print(f"สร้างฐานข้อมูลตัวอย่างแล้ว / demo database ready: {db_path} (files in {demo_dir})")
    print("บัญชีทดลอง (สำหรับสาธิตเท่านั้น) / demo accounts (for the demo only; change them before real use):")
    for username, password, role, unit in accounts:
        print(f"  {username:<10} {password:<18} {role:<14} {unit or ''}")
    return OK


def run_forecast(args, db_path: Path) -> int:
    with db.open_db(db_path, read_only=True) as con:
        if args.backtest:
            report = forecast.backtest(con, args.fiscal_year, ProgressLine("backtest", True))
            frame, note = forecast.backtest_frame(report), forecast.backtest_note(report)
        elif args.quarter in forecast.AS_OF_QUARTERS:
            result = forecast.forecasts(con, args.fiscal_year, args.quarter)
            frame, note = forecast.forecast_frame(result), forecast.selection_note(result.selection)
        else:
            print("ระบุ --quarter 1, 2 หรือ 3 (หรือ --backtest) / give --quarter 1, 2 or 3 (or --backtest)",
                  file=sys.stderr)
            return REJECTED
    print(note, file=sys.stderr)
    if frame.empty or (args.backtest and not frame["cases"].any()):
        print(f"ไม่มีข้อมูลปีงบประมาณ {args.fiscal_year} / no data to show", file=sys.stderr)
        return REJECTED
    cli_output.print_frame(frame, args.format)
    return OK


def run_report(args, db_path: Path) -> int:
    from pipelines import report  # pandas and the renderers: only this command needs them

    try:
        with read_source.connect(read_source.current(db_path)) as con:
            pack = report.build_report(con, args.fiscal_year, args.quarter, args.unit, args.lang,
                                       ProgressLine("รายงาน/report").fraction)
    except report.ReportRefused as refused:
        print(f"ไม่ได้สร้างรายงาน / no report: {refused}", file=sys.stderr)
        return REJECTED
    args.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        report.write_report(pack, args.format, args.output, ProgressLine(args.format).fraction)
    except ModuleNotFoundError as missing:
        print(f"สร้างไฟล์ {args.format} ไม่ได้: ไม่มีโมดูล {missing.name} / cannot write {args.format}: "
              f"module {missing.name} is missing", file=sys.stderr)
        return REJECTED
    except RuntimeError as failed:  # report_pdf.PdfError: no Chromium or font, or it failed; says why in both
        print(f"สร้างไฟล์ {args.format} ไม่ได้ / cannot write {args.format}: {failed}", file=sys.stderr)
        return REJECTED
    print(f"{args.output}: {pack.title} · {pack.unit_name} · {pack.period}")
    return OK
