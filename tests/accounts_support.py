"""Helpers for the account, upload and admin tests: known accounts, signed-in AppTests, filled-in templates."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, reports
from pipelines.templates import DATA_SHEET_TITLE, FIRST_DATA_ROW, write_template

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "dashboard" / "app_pages"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"

ACCOUNTS = {  # username -> (password, role, unit)
    "admin": ("admin-pass-2568", "admin", None),
    "boss": ("boss-pass-2568", "executive", None),
    "ana": ("ana-pass-2568", "analyst", None),
    "plan.head": ("plan-pass-2568", "division_head", "PLAN"),
    "law.head": ("law-pass-2568", "division_head", "LAW"),
    "rev": ("rev-pass-2568", "reviewer", None),
}
ROLE_USER = {"admin": "admin", "executive": "boss", "analyst": "ana", "division_head": "plan.head", "reviewer": "rev"}


def add_accounts(db_path: Path) -> None:
    """The ACCOUNTS, made through pipelines.auth as the CLI and the admin page do."""
    with db.open_db(db_path) as con:
        for username, (password, role, unit) in ACCOUNTS.items():
            assert auth.add_user(con, username=username, role=role, password=password, unit_code=unit, by="test") == []


def page(name: str) -> AppTest:
    """A page of dashboard/app_pages run on its own, as a user who types its URL would reach it."""
    return AppTest.from_file(str(PAGES / name), default_timeout=60)


def signed_in(app: AppTest, db_path: Path, username: str) -> AppTest:
    """The AppTest with a real session of `username`, as the login form leaves it."""
    with db.open_db(db_path) as con:
        app.session_state["auth_session_id"] = auth.start_session(con, username)
    return app


def log_in_through_form(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="login_username").set_value(username)
    app.text_input(key="login_password").set_value(password)
    next(button for button in app.button if button.label in ("เข้าสู่ระบบ", "Sign in")).click()
    return app.run()


def filled_template(
    db_path: Path, unit_code: str, fiscal_year: int, quarter: int,
    actuals: dict[str, object], notes: dict[str, str] | None = None,
) -> bytes:
    """The product's own template for the unit and quarter, filled in as a user would in a spreadsheet program."""
    with db.open_db(db_path, read_only=True) as con:
        unit = reports.org_unit(con, unit_code)
        kpis = reports.kpis_owned_by(con, unit_code, fiscal_year)
    blank = io.BytesIO()
    write_template(blank, unit, fiscal_year, quarter, kpis)
    workbook = openpyxl.load_workbook(io.BytesIO(blank.getvalue()))
    sheet = workbook[DATA_SHEET_TITLE]
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(kpis)):
        code = sheet[f"A{row}"].value
        if code in actuals:
            sheet[f"N{row}"] = actuals[code]
        if notes and code in notes:
            sheet[f"O{row}"] = notes[code]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with db.open_db(db_path, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def texts(app: AppTest, kind: str) -> list[str]:
    """The values of every element of one kind (error, warning, success, info, caption, ...)."""
    return [element.value for element in getattr(app, kind)]


def table(app: AppTest, *columns: str):
    """The first st.dataframe whose data has all these columns (plain dataframes carry no key in AppTest)."""
    for element in app.dataframe:
        frame = element.value
        if all(column in frame.columns for column in columns):
            return frame
    raise LookupError(f"no dataframe with columns {columns}")
