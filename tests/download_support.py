"""Helpers for the download tests: open a dashboard page as a signed-in executive and keep every file its
download buttons would hand to the browser (the same callables a click runs), and read CSV/.xlsx files back."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from pipelines import auth, db

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
EXECUTIVE = "exports.exec"


@dataclass(frozen=True)
class OfferedDownload:
    label: str
    file_name: str
    data: object
    """bytes, or the function the button calls when clicked."""

    def bytes(self) -> bytes:
        return self.data() if callable(self.data) else self.data


def open_page(monkeypatch: pytest.MonkeyPatch, db_path: Path, page: str, **params: str
              ) -> tuple[AppTest, list[OfferedDownload]]:
    """The page after sign-in with the URL parameters given, and the downloads it offered in its last run."""
    offered: list[OfferedDownload] = []
    original_button = DeltaGenerator.download_button

    def download_button(self, label, data, file_name=None, *args, **kwargs):
        offered.append(OfferedDownload(label, file_name, data))
        return original_button(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", download_button)
    monkeypatch.setenv("BSC_DB", str(db_path))
    app = AppTest.from_file(str(APP), default_timeout=60)
    with db.open_db(db_path) as con:
        if not con.execute("SELECT count(*) FROM app_user WHERE username = ?", [EXECUTIVE]).fetchone()[0]:
            assert auth.add_user(con, username=EXECUTIVE, role="executive", password="exports-pass-2568",
                                 by="test") == []
        app.session_state["auth_session_id"] = auth.start_session(con, EXECUTIVE)
    app.query_params.update(params)
    app.run()
    if page != "overview":
        offered.clear()
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app, offered


def csv_rows(data: bytes) -> list[list[str]]:
    """Every row of a UTF-8 CSV (byte-order mark allowed), as Python's csv module reads it."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_cells(data: bytes | Path) -> list[openpyxl.cell.cell.Cell]:
    """Every cell of every sheet, loaded as Excel would (formulas not evaluated)."""
    book = openpyxl.load_workbook(data if isinstance(data, Path) else io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
