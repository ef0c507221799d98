"""`scores --page N` says why it printed nothing: a quarter with no data says so whatever the page, and a page past
the last names how many pages there are, in Thai and English on stderr, exiting 1 like every "no data" case."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run_cli

from pipelines import cli_output

EMPTY_YEAR, Q = "2590", "2"


@pytest.mark.parametrize("page", ["1", "2", "40"])
@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_an_empty_quarter_says_no_data_on_every_page(demo_db: Path, capsys: pytest.CaptureFixture[str],
                                                    page: str, output_format: str) -> None:
    assert run_cli(demo_db, "scores", "--fiscal-year", EMPTY_YEAR, "--quarter", Q, "--by", "kpi",
                   "--format", output_format, "--page", page) == 1
    printed = capsys.readouterr()
    assert printed.err.strip() == (f"ไม่มีข้อมูลปีงบประมาณ {EMPTY_YEAR} ไตรมาส {Q} / no data for fiscal year "
                                   f"{EMPTY_YEAR} quarter {Q}")
    assert printed.out.strip() in ("", "[]")  # an empty JSON array is still JSON


def test_a_page_past_the_last_names_the_page_count(demo_db: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_output, "TABLE_PAGE_ROWS", 10)
    assert run_cli(demo_db, "scores", "--fiscal-year", "2568", "--quarter", Q, "--by", "kpi", "--page", "999") == 1
    printed = capsys.readouterr()
    pages = printed.err.split("(มี ")[1].split(" หน้า")[0]
    assert int(pages) > 1
    assert printed.err.strip() == f"ไม่มีหน้า 999 (มี {pages} หน้า) / there is no page 999 ({pages} pages)"
    assert printed.out == ""
