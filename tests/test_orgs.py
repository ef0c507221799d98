"""Org-unit files: Thai or English headers, upsert, and the rejections that keep the tree a tree."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support import SAMPLES, run_cli


def units(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM org_units").fetchall()


def test_thai_headers_load_the_tree(tmp_path: Path) -> None:
    db = tmp_path / "bsc.duckdb"
    assert run_cli(db, "orgs", str(SAMPLES / "orgs_th.csv")) == 0
    assert units(db) == [
        ("AG", "สำนักงานตัวอย่าง", "Sample Office", None, "agency"),
        ("PLAN", "กองแผนงาน", "Planning Division", "AG", "division"),
        ("LAW", "กองกฎหมาย", "Legal Division", "AG", "division"),
    ]


def test_reloading_updates_names_and_adds_units_without_losing_others(tmp_path: Path) -> None:
    db = tmp_path / "bsc.duckdb"
    assert run_cli(db, "orgs", str(SAMPLES / "orgs_th.csv")) == 0
    update = tmp_path / "more.csv"
    update.write_text("code,name_th,name_en,parent_code,level\nPLAN,กองยุทธศาสตร์และแผนงาน,Strategy,AG,division\n"
                      "PLAN-1,กลุ่มงานแผน,Plan group,PLAN,กลุ่มงาน\n", encoding="utf-8")
    assert run_cli(db, "orgs", str(update)) == 0
    loaded = {row[0]: row for row in units(db)}
    assert loaded["PLAN"][1] == "กองยุทธศาสตร์และแผนงาน"
    assert loaded["PLAN-1"][3:] == ("PLAN", "group")
    assert set(loaded) == {"AG", "PLAN", "LAW", "PLAN-1"}
    with duckdb.connect(str(db), read_only=True) as con:
        subtree = con.execute("SELECT unit_code FROM org_tree WHERE ancestor_code = 'AG' ORDER BY ALL").fetchall()
    assert [row[0] for row in subtree] == ["AG", "LAW", "PLAN", "PLAN-1"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("A,ก,,,agency\nA,ข,,,division\n", "duplicate unit code"),
        ("A,ก,,ZZZ,division\n", "unknown parent unit"),
        ("A,ก,,B,division\nB,ข,,A,division\n", "the parent chain loops back"),
        ("A,ก,,,planet\n", "level must be agency, division, group or individual"),
        (",ก,,,division\n", "missing unit code"),
    ],
)
def test_org_rejections(tmp_path: Path, capsys, rows: str, expected: str) -> None:
    db = tmp_path / "bsc.duckdb"
    path = tmp_path / "orgs.csv"
    path.write_text("code,name_th,name_en,parent_code,level\n" + rows, encoding="utf-8")
    assert run_cli(db, "orgs", str(path)) == 1
    assert expected in capsys.readouterr().err
    assert units(db) == []
