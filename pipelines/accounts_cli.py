"""`python -m pipelines users ...` and `periods ...`: argument parsing and one call into pipelines.auth or
pipelines.periods per subcommand. Registered by pipelines.cli; every change is audited with channel 'cli'."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import duckdb

from pipelines import auth, db, periods, snapshot
from pipelines.calendar import DateTextError, format_fiscal_period, parse_date
from pipelines.parsing import parse_fiscal_year, parse_quarter
from pipelines.problems import Problem

OK, REJECTED = 0, 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    users = commands.add_parser("users", help="manage local accounts (add, list, set-password, disable, ...)")
    users.add_argument("--by", default="cli", help="who makes the change (kept in the audit trail)")
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=list(auth.ROLES))
    add.add_argument("--unit", help="org unit code (required for division_head)")
    add.add_argument("--name", default="", help="display name")
    add.add_argument("--email", help="e-mail, for single sign-on")
    _password_options(add)
    actions.add_parser("list", help="list accounts")
    set_password = actions.add_parser("set-password", help="set a new password (ends the user's sessions)")
    set_password.add_argument("username")
    _password_options(set_password)
    for name, text in (("disable", "disable an account (ends its sessions)"), ("enable", "enable an account again"),
                       ("unlock", "clear a lock after wrong passwords")):
        actions.add_parser(name, help=text).add_argument("username")

    quarters = commands.add_parser("periods", help="close/reopen quarters to uploads and set deadlines")
    quarters.add_argument("--by", default="cli", help="who makes the change (kept in the audit trail)")
    actions = quarters.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="every quarter: closed or open, deadline")
    for name, text in (("close", "refuse uploads for a quarter (needs --reason)"),
                       ("reopen", "accept uploads again (needs --reason)"),
                       ("deadline", "set (or clear with --date none) a quarter's submission deadline")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--fiscal-year", required=True, type=parse_fiscal_year)
        action.add_argument("--quarter", required=True, type=parse_quarter)
        if name == "deadline":
            action.add_argument("--date", required=True,
                                help="15/10/2568, 2025-10-15 or '15 ต.ค. 2568' (a year from 2400 is BE) or 'none'")
        else:
            action.add_argument("--reason", required=name == "reopen", default="")


def _password_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password", help="the password (else asked for, or read from a piped stdin)")
    group.add_argument("--generate", action="store_true", help="generate a password and print it once")


def _password(args) -> tuple[str, bool]:
    """(password, generated): from --password, --generate, the terminal (asked twice) or piped stdin."""
    if args.password:
        return args.password, False
    if args.generate:
        return auth.generate_password(), True
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n"), False
    first = getpass.getpass("รหัสผ่าน / password: ")
    if first != getpass.getpass("อีกครั้ง / again: "):
        raise SystemExit("รหัสผ่านไม่ตรงกัน / the passwords differ")
    return first, False


def _report(problems: list[Problem], done: str) -> int:
    if problems:
        for problem in problems:
            print(f"{problem.column}: {problem.value}: {problem.reason_th} / {problem.reason_en}", file=sys.stderr)
        return REJECTED
    print(done)
    return OK


def run_users(args, db_path: Path) -> int:
    with db.open_db(db_path) as con:
        db.migrate(con)
        if args.action == "list":
            frame = auth.list_users(con)
            print("ยังไม่มีผู้ใช้ / no users" if frame.empty else frame.to_string(index=False))
            return OK
        if args.action in ("add", "set-password"):
            password, generated = _password(args)
            shown = f"; รหัสผ่าน / password: {password}" if generated else ""
            if args.action == "add":
                problems = auth.add_user(con, username=args.username, role=args.role, password=password,
                                         unit_code=args.unit, display_name=args.name, email=args.email, by=args.by,
                                         channel="cli")
                return _report(problems, f"เพิ่มผู้ใช้ / added {auth.normalise_username(args.username)}{shown}")
            problems = auth.set_password(con, args.username, password, by=args.by, channel="cli")
            return _report(problems, f"ตั้งรหัสผ่านแล้ว / password set for {args.username}{shown}")
        if args.action == "unlock":
            if auth.get_user(con, args.username) is None:
                return _report([Problem("", "", None, "username", args.username, "ไม่พบผู้ใช้นี้", "no such user")], "")
            auth.unlock(con, args.username, by=args.by, channel="cli")
            return _report([], f"ปลดล็อกแล้ว / unlocked {args.username}")
        disabled = args.action == "disable"
        problems = auth.set_disabled(con, args.username, disabled, by=args.by, channel="cli")
        return _report(problems, f"{'ระงับ / disabled' if disabled else 'เปิดใช้ / enabled'} {args.username}")


def run_periods(args, db_path: Path) -> int:
    with db.open_db(db_path) as con:
        db.migrate(con)
        outcome = _change_period(con, args)
        if outcome == OK and args.action != "list":
            snapshot.publish_or_warn(con, db_path)  # deadlines and closures are public
        return outcome


def _change_period(con: duckdb.DuckDBPyConnection, args) -> int:
    if args.action == "list":
        frame = periods.periods(con)
        print("ยังไม่มีบัญชีตัวชี้วัด / no catalogue yet" if frame.empty else frame.to_string(index=False))
        return OK
    label = format_fiscal_period(args.fiscal_year, args.quarter)
    if args.action == "close":
        problems = periods.close_period(con, args.fiscal_year, args.quarter, by=args.by, reason=args.reason,
                                        channel="cli")
        return _report(problems, f"ปิดรับข้อมูล{label} แล้ว / closed")
    if args.action == "reopen":
        problems = periods.reopen_period(con, args.fiscal_year, args.quarter, by=args.by, reason=args.reason,
                                         channel="cli")
        return _report(problems, f"เปิดรับข้อมูล{label} อีกครั้งแล้ว / reopened")
    try:
        deadline = None if args.date.lower() == "none" else parse_date(args.date)
    except DateTextError as error:
        return _report([Problem("", "", None, "--date", error.text, error.reason_th, error.reason_en)], "")
    problems = periods.set_deadline(con, args.fiscal_year, args.quarter, deadline, by=args.by, channel="cli")
    return _report(problems, f"กำหนดส่ง{label}: {deadline or '-'} / deadline set")
