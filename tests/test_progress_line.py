"""The CLI's one progress line: a count of files (ingest, demo, backtest) and a fraction done (report) draw the
same self-overwriting line on stderr, ending it when the work is done."""

from __future__ import annotations

import pytest

from pipelines.cli import ProgressLine


def test_a_count_overwrites_its_line_and_ends_it_at_the_last_file(capsys: pytest.CaptureFixture[str]) -> None:
    line = ProgressLine("ตรวจสอบ/validate", True)
    line(1, 2, "a.xlsx")
    line(2, 2, "b.xlsx")
    assert capsys.readouterr().err == (f"\rตรวจสอบ/validate [1/2] {'a.xlsx':<50}"
                                       f"\rตรวจสอบ/validate [2/2] {'b.xlsx':<50}\n")


def test_a_fraction_overwrites_its_line_and_ends_it_when_done(capsys: pytest.CaptureFixture[str]) -> None:
    line = ProgressLine("pdf")
    line.fraction(0.25, "x" * 60)
    line.fraction(1.0, "done")
    assert capsys.readouterr().err == f"\rpdf [ 25%] {'x' * 50}\rpdf [100%] {'done':<50}\n"


def test_a_single_file_draws_no_line(capsys: pytest.CaptureFixture[str]) -> None:
    ProgressLine("store", False)(1, 1, "a.xlsx")
    assert capsys.readouterr().err == ""
