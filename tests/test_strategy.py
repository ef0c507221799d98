"""The strategy file (issue 13): every rejection, the views on a hand-built strategy over the sample organisation
(AG with PLAN and LAW, FY 2568: tests/data/README.md has the scores), the CLI and the admin page."""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from pipelines import auth, workflows
from pipelines.problems import problem_count
from pipelines.strategy import STRATEGY_TABLES, strategy_workbook, table_of_sheet
from tests.accounts_support import add_accounts, page, query, signed_in, table, texts
from tests.support import SAMPLES, run_cli

STRATEGY: dict[str, list[dict[str, object]]] = {
    "plan_items": [
        {"plan_code": "NS1", "name_th": "ยุทธศาสตร์ชาติด้านความมั่นคง", "level": "ยุทธศาสตร์ชาติ"},
        {"plan_code": "MP22", "name_th": "แผนแม่บทประเด็นที่ 22 กฎหมายและกระบวนการยุติธรรม", "level": "แผนแม่บท",
         "parent_code": "NS1"},
        {"plan_code": "AP1", "name_th": "แผนปฏิบัติราชการของสำนักงาน", "level": 4, "parent_code": "MP22"},
    ],
    "objectives": [
        {"objective_code": "O1", "fiscal_year": 2568, "name_th": "แผนงานส่งผลจริง", "name_en": "Plans that deliver",
         "dimension": "ประสิทธิผล", "plan_code": "AP1", "thrust": "ยกระดับ", "owner_unit": "PLAN"},
        {"objective_code": "O2", "fiscal_year": 2568, "name_th": "กฎหมายทันสมัย", "dimension": 4,
         "thrust": "drive", "owner_executive": "รองผู้อำนวยการ"},
    ],
    "key_results": [
        {"key_result_code": "KR1", "objective_code": "O1", "name_th": "โครงการตามแผน", "owner_unit": "PLAN",
         "target": "ร้อยละ 70", "due_quarter": "Q4", "pmqa": "2,7", "weight": 2},
        {"key_result_code": "KR2", "objective_code": "O1", "name_th": "กฎหมายรองรับแผน", "owner_unit": "LAW"},
        {"key_result_code": "KR3", "objective_code": "O2", "name_th": "ปรับปรุงกฎหมาย", "owner_unit": "LAW",
         "due_quarter": 3},
    ],
    "key_result_kpis": [
        {"key_result_code": "KR1", "kpi_code": "P-01", "weight": 40},
        {"key_result_code": "KR1", "kpi_code": "P-02", "weight": 60},
        {"key_result_code": "KR2", "kpi_code": "L-01", "weight": 100},
        {"key_result_code": "KR3", "kpi_code": "L-01", "weight": 100},
    ],
    "end_products": [
        {"end_product_code": "EP1", "objective_code": "O1", "name_th": "แผนและกฎหมายที่ใช้ได้จริง"},
    ],
    "end_product_units": [
        {"end_product_code": "EP1", "unit_code": "PLAN", "part": "จัดทำแผน"},
        {"end_product_code": "EP1", "unit_code": "LAW", "part": "ยกร่างกฎหมาย"},
    ],
    "end_product_key_results": [
        {"end_product_code": "EP1", "key_result_code": "KR1"},
        {"end_product_code": "EP1", "key_result_code": "KR2"},
    ],
    "handoffs": [
        {"from_unit": "PLAN", "to_unit": "LAW", "what": "ร่างแผน", "end_product_code": "EP1"},
    ],
    "objective_links": [
        {"from_objective": "O2", "to_objective": "O1"},
    ],
}


def workbook(tables: dict[str, list[dict[str, object]]] = STRATEGY, *, thai: bool = False) -> bytes:
    return strategy_workbook(tables, thai=thai)


def changed(table: str, index: int | None, **values: object) -> dict[str, list[dict[str, object]]]:
    """STRATEGY with one row changed (index None: a row added)."""
    tables = copy.deepcopy(STRATEGY)
    if index is None:
        tables[table].append(dict(values))
    else:
        tables[table][index].update(values)
    return tables


def without(table: str, index: int) -> dict[str, list[dict[str, object]]]:
    tables = copy.deepcopy(STRATEGY)
    del tables[table][index]
    return tables


def load(db: Path, data: bytes, name: str = "strategy_2568.xlsx", **options: object) -> workflows.StrategyLoad:
    return workflows.load_strategy_file(db, [(name, data)], **options)


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


# --- loading and the views -----------------------------------------------------------------------------------


def test_a_strategy_is_stored_audited_and_published(sample_db: Path) -> None:
    loaded = load(sample_db, workbook(), by="planner")
    assert loaded.problems == [] and loaded.stored and loaded.fiscal_year == 2568
    assert rows(sample_db, "SELECT plan_code, level, parent_code FROM plan_items") == [
        ("NS1", "national_strategy", None), ("MP22", "master_plan", "NS1"), ("AP1", "agency_plan", "MP22")]
    assert rows(sample_db, "SELECT objective_code, dimension, plan_code, thrust, owner_unit, owner_executive "
                           "FROM objectives") == [
        ("O1", "effectiveness", "AP1", "elevate", "PLAN", None),
        ("O2", "org_development", None, "drive", None, "รองผู้อำนวยการ")]
    assert rows(sample_db, "SELECT key_result_code, owner_unit, due_quarter, pmqa, kpi_pmqa, weight "
                           "FROM key_results") == [
        ("KR1", "PLAN", 4, [2, 7], [2, 4, 7], 2.0), ("KR2", "LAW", None, [], [1, 6], 1.0),
        ("KR3", "LAW", 3, [], [1, 6], 1.0)]
    assert rows(sample_db, "SELECT end_product_code, unit_count FROM end_products") == [("EP1", 2)]
    assert rows(sample_db, "SELECT unit_code, part FROM end_product_units") == [("PLAN", "จัดทำแผน"),
                                                                              ("LAW", "ยกร่างกฎหมาย")]
    assert rows(sample_db, "SELECT handoff_number, from_unit, to_unit, what, end_product_code FROM handoffs") == [
        (1, "PLAN", "LAW", "ร่างแผน", "EP1")]
    assert rows(sample_db, "SELECT from_objective, to_objective FROM objective_links") == [("O2", "O1")]
    assert rows(sample_db, "SELECT actor, outcome, fiscal_year FROM audit_event WHERE action = 'strategy_load'") == [
        ("planner", "success", 2568)]
    assert rows(sample_db, "SELECT fiscal_year, file_name, objective_count, key_result_count, loaded_by "
                           "FROM strategy_load") == [(2568, "strategy_2568.xlsx", 2, 3, "planner")]
    snapshot = sample_db.parent / "snapshot" / sample_db.name
    assert rows(snapshot, "SELECT count(*) FROM okr_progress") == [(20,)]  # (2 objectives + 3 KRs) x 4 quarters


def progress_rows(db: Path, quarter: int) -> dict[tuple[str, str | None], tuple]:
    found = rows(db, f"SELECT objective_code, key_result_code, progress_pct, score, status, reported_weight_pct "
                     f"FROM okr_progress WHERE fiscal_year = 2568 AND quarter = {quarter}")
    return {(objective, kr): rest for objective, kr, *rest in found}


def close(actual: tuple, expected: tuple) -> bool:
    return all((a is None and e is None) or (isinstance(e, str) and a == e)
               or (a is not None and not isinstance(e, str) and e is not None and math.isclose(a, e, abs_tol=1e-9))
               for a, e in zip(actual, expected, strict=True))


def test_okr_progress_by_hand(sample_db: Path) -> None:
    """Q2: P-01 = 3.25, P-02 = 2.6667, L-01 = 3 (tests/data/README.md). Q1: P-01 = 2.1, P-02 and L-01 none."""
    assert load(sample_db, workbook()).stored
    kr1 = 0.4 * 3.25 + 0.6 * (2 + 2 / 3)  # 2.9: weights 40/60
    o1 = (2 * kr1 + 1 * 3) / 3  # KR1 weighs 2, KR2 1
    expected_q2 = {
        ("O1", None): (100 * o1 / 3, o1, "at_risk", 100.0),
        ("O1", "KR1"): (100 * kr1 / 3, kr1, "at_risk", 100.0),
        ("O1", "KR2"): (100.0, 3.0, "on_track", 100.0),
        ("O2", None): (100.0, 3.0, "on_track", 100.0),
        ("O2", "KR3"): (100.0, 3.0, "on_track", 100.0),
    }
    got = progress_rows(sample_db, 2)
    assert got.keys() == expected_q2.keys()
    assert all(close(got[key], value) for key, value in expected_q2.items()), got
    expected_q1 = {
        ("O1", None): (70.0, 2.1, "at_risk", 100 * 2 / 3),  # KR1 scored (weight 2 of 3): not provisional
        ("O1", "KR1"): (70.0, 2.1, "provisional", 40.0),  # only P-01 (weight 40) reported
        ("O1", "KR2"): (None, None, "not_reported", 0.0),
        ("O2", None): (None, None, "not_reported", 0.0),
        ("O2", "KR3"): (None, None, "not_reported", 0.0),
    }
    got = progress_rows(sample_db, 1)
    assert all(close(got[key], value) for key, value in expected_q1.items()), got
    # the objective row comes first, then its key results in file order
    assert [row[:2] for row in rows(sample_db, "SELECT objective_code, key_result_code FROM okr_progress "
                                               "WHERE quarter = 2")] == [
        ("O1", None), ("O1", "KR1"), ("O1", "KR2"), ("O2", None), ("O2", "KR3")]


def test_progress_is_capped_at_the_target() -> None:
    """progress % = 100 x min(score, 3) / 3: the macro on hand-picked scores."""
    from pipelines import db

    with duckdb.connect() as con:
        for statement in con.extract_statements(db.views_sql()):
            if "MACRO" in statement.query:
                con.execute(statement.query)
        got = [con.execute("SELECT okr_progress_percent(?)", [score]).fetchone()[0] for score in (0, 1.5, 3, 4.2)]
        assert got == [0, 50, 100, 100]
        assert con.execute("SELECT okr_progress_percent(NULL)").fetchone()[0] is None


def test_a_reload_replaces_the_year_and_keeps_the_history(sample_db: Path) -> None:
    assert load(sample_db, workbook()).stored
    smaller = without("objectives", 1)
    smaller["key_results"] = smaller["key_results"][:2]
    smaller["key_result_kpis"] = smaller["key_result_kpis"][:3]
    smaller["objective_links"] = []
    second = load(sample_db, workbook(smaller), name="strategy_v2.xlsx")
    assert second.stored and second.replaces
    assert rows(sample_db, "SELECT objective_code FROM objectives") == [("O1",)]
    assert rows(sample_db, "SELECT count(*) FROM objective_links") == [(0,)]
    assert rows(sample_db, "SELECT file_name FROM strategy_load ORDER BY load_id") == [
        ("strategy_2568.xlsx",), ("strategy_v2.xlsx",)]


def test_thai_sheet_names_and_headers(sample_db: Path) -> None:
    loaded = load(sample_db, workbook(thai=True))
    assert loaded.problems == [] and loaded.stored
    assert rows(sample_db, "SELECT count(*) FROM key_result_kpis") == [(4,)]


def test_csv_files_one_per_table(sample_db: Path, tmp_path: Path) -> None:
    files = []
    for name, table_rows in STRATEGY.items():
        sheet = load_workbook(io.BytesIO(workbook({name: table_rows}, thai=True))).active
        text = "\n".join(",".join("" if cell is None else f'"{cell}"' for cell in row)
                         for row in sheet.iter_rows(values_only=True))
        files.append((f"2568_{STRATEGY_TABLES[name].th}.csv" if name != "objectives" else "objectives.csv",
                      text.encode("utf-8-sig")))
    loaded = workflows.load_strategy_file(sample_db, files)
    assert loaded.problems == [] and loaded.stored
    assert rows(sample_db, "SELECT count(*) FROM handoffs") == [(1,)]


# --- rejections ----------------------------------------------------------------------------------------------

REJECTIONS = {
    "end product with one unit": (
        without("end_product_units", 1), "end_products", 2, "ผลผลิตขั้นสุดท้ายต้องเกิดจากหลายหน่วยงาน "
        "หากมีหน่วยงานเดียวให้บันทึกเป็นผลลัพธ์หลัก", "an End Product must come from several units"),
    "unknown KPI": (
        changed("key_result_kpis", 2, kpi_code="X-99"), "key_result_kpis", 4,
        "ไม่พบตัวชี้วัดนี้ในบัญชีตัวชี้วัดปีงบประมาณ 2568", "unknown KPI: not in the fiscal year 2568 catalogue"),
    "KPI the owner does not own": (
        changed("key_result_kpis", 2, kpi_code="P-01"), "key_result_kpis", 4,
        "หน่วยงานเจ้าของผลลัพธ์หลัก (LAW) ไม่ได้รับผิดชอบตัวชี้วัดนี้", "does not own this KPI"),
    "unknown unit": (
        changed("key_results", 1, owner_unit="NOPE"), "key_results", 3, "ไม่พบหน่วยงานนี้ในโครงสร้างหน่วยงาน",
        "unknown unit: not an org unit"),
    "unknown hand-off unit": (
        changed("handoffs", 0, to_unit="NOPE"), "handoffs", 2, "ไม่พบหน่วยงานนี้ในโครงสร้างหน่วยงาน",
        "unknown unit"),
    "weights not adding up to 100": (
        changed("key_result_kpis", 1, weight=50), "key_result_kpis", 2,
        "น้ำหนักของตัวชี้วัดในผลลัพธ์หลัก KR1 รวมกันได้ 90 ต้องเท่ากับ 100",
        "the weights of key result KR1's KPIs add up to 90, not 100"),
    "cycle in cause and effect": (
        changed("objective_links", None, from_objective="O1", to_objective="O2"), "objective_links", 2,
        "เหตุและผลวนกลับมาที่วัตถุประสงค์เดิม", "cause and effect loops back to the same objective"),
    "cycle in the plan hierarchy": (
        changed("plan_items", 0, parent_code="AP1"), "plan_items", 2,
        "ลำดับชั้นของแผนวนกลับมาที่เดิม", "the plan hierarchy loops back on itself"),
    "objective without a key result": (
        changed("objectives", None, objective_code="O3", name_th="ไม่มีผลลัพธ์", dimension=1, owner_unit="AG"),
        "objectives", 4, "วัตถุประสงค์นี้ไม่มีผลลัพธ์หลัก", "this objective has no key result"),
    "duplicate objective code": (
        changed("objectives", 1, objective_code="O1"), "objectives", 3, "รหัสวัตถุประสงค์ซ้ำกับแถว 2",
        "duplicate objective code (also on row 2)"),
    "duplicate key result code": (
        changed("key_results", 2, key_result_code="KR2"), "key_results", 4, "รหัสผลลัพธ์หลักซ้ำกับแถว 3",
        "duplicate key result code (also on row 3)"),
    "unknown dimension": (
        changed("objectives", 0, dimension="ความสุข"), "objectives", 2, "มิติไม่ถูกต้อง", "unknown dimension"),
    "unknown thrust": (
        changed("objectives", 0, thrust="หยุด"), "objectives", 2, "แนวทางต้องเป็น ทำ ขยาย ยกระดับ หรือ ขับเคลื่อน",
        "thrust must be start"),
    "unknown plan level": (
        changed("plan_items", 0, level="จังหวัด"), "plan_items", 2, "ระดับแผนต้องเป็น", "plan level must be"),
    "unknown objective of a key result": (
        changed("key_results", 0, objective_code="O9"), "key_results", 2, "ไม่พบวัตถุประสงค์นี้ในไฟล์",
        "unknown objective"),
    "hand-off to itself": (
        changed("handoffs", 0, to_unit="PLAN"), "handoffs", 2, "หน่วยงานผู้ส่งและผู้รับต้องเป็นคนละหน่วยงาน",
        "a hand-off goes to another unit"),
    "key result owner outside the End Product": (
        changed("end_product_units", 1, unit_code="AG"), "end_product_key_results", 3,
        "ไม่อยู่ในรายชื่อหน่วยงานร่วมของผลผลิต EP1", "is not a contributing unit of End Product EP1"),
}


@pytest.mark.parametrize("case", REJECTIONS)
def test_each_rejection_names_sheet_row_and_reason_and_stores_nothing(sample_db: Path, case: str) -> None:
    tables, sheet, row, thai, english = REJECTIONS[case]
    loaded = load(sample_db, workbook(tables))
    assert not loaded.stored
    assert any(problem.sheet == sheet and problem.row == row and thai in problem.reason_th
               and english in problem.reason_en for problem in loaded.problems), loaded.problems
    assert rows(sample_db, "SELECT count(*) FROM objective") == [(0,)]
    assert rows(sample_db, "SELECT outcome FROM audit_event WHERE action = 'strategy_load'") == [("rejected",)]


def test_a_strategy_without_objectives_or_a_year_is_refused(sample_db: Path) -> None:
    loaded = load(sample_db, workbook({"key_results": STRATEGY["key_results"]}))
    assert [p.reason_en for p in loaded.problems] == ["no objectives sheet (วัตถุประสงค์)"]
    no_year = copy.deepcopy(STRATEGY)
    for objective in no_year["objectives"]:
        objective.pop("fiscal_year")
    assert "no fiscal year" in load(sample_db, workbook(no_year)).problems[0].reason_en
    assert load(sample_db, workbook(no_year), fiscal_year=2568).stored


def test_a_year_given_that_the_file_contradicts_is_refused(sample_db: Path) -> None:
    loaded = load(sample_db, workbook(), fiscal_year=2569)
    assert not loaded.stored
    assert any("does not match the fiscal year given (2569)" in p.reason_en for p in loaded.problems)


# --- the command line ----------------------------------------------------------------------------------------


def test_the_cli_loads_a_strategy(sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "strategy_2568.xlsx"
    path.write_bytes(workbook())
    assert run_cli(sample_db, "strategy", str(path), "--by", "planner") == 0
    out = capsys.readouterr().out
    assert "บันทึกแผนยุทธศาสตร์ปีงบประมาณ 2568: วัตถุประสงค์ 2" in out
    assert "2 objectives, 3 key results, 1 End Products" in out
    assert rows(sample_db, "SELECT loaded_by FROM strategy_load") == [("planner",)]


def test_the_cli_refuses_a_bad_strategy_with_every_problem(sample_db: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "strategy_2568.xlsx"
    path.write_bytes(workbook(without("end_product_units", 1)))
    assert run_cli(sample_db, "strategy", str(path)) == 1
    err = capsys.readouterr().err
    assert "strategy_2568.xlsx:end_products:2:" in err
    assert "ผลผลิตขั้นสุดท้ายต้องเกิดจากหลายหน่วยงาน หากมีหน่วยงานเดียวให้บันทึกเป็นผลลัพธ์หลัก" in err
    assert "ไม่ได้บันทึก / rejected: 2 problem(s)" in err  # and KR2 of LAW is now outside EP1
    assert rows(sample_db, "SELECT count(*) FROM objective") == [(0,)]


def test_the_cli_takes_the_year_from_the_option(sample_db: Path, tmp_path: Path) -> None:
    tables = copy.deepcopy(STRATEGY)
    for objective in tables["objectives"]:
        objective.pop("fiscal_year")
    path = tmp_path / "strategy.xlsx"
    path.write_bytes(workbook(tables))
    assert run_cli(sample_db, "strategy", str(path), "--fiscal-year", "2025") == 0
    assert rows(sample_db, "SELECT DISTINCT fiscal_year FROM objectives") == [(2568,)]


# --- the demo ------------------------------------------------------------------------------------------------


def test_the_demo_has_the_agencys_okr_example_and_a_three_unit_end_product(demo_db_template: Path) -> None:
    db = demo_db_template
    assert rows(db, "SELECT name_en, thrust, owner_unit FROM objectives WHERE objective_code = 'OBJ1'") == [
        ("Make the National Crime Forecasting Centre operational", "start", "NCFC")]
    assert rows(db, "SELECT key_result_code, name_en FROM key_results WHERE objective_code = 'OBJ1' "
                    "AND key_result_code IN ('KR1.1', 'KR1.2')") == [
        ("KR1.1", "The ศอช. operations centre runs"),
        ("KR1.2", "An application that is really used, easy to reach, secure and real-time")]
    assert rows(db, "SELECT end_product_code, unit_count FROM end_products WHERE unit_count >= 3") == [("EP1", 3)]
    assert rows(db, "SELECT count(*) FROM handoffs WHERE end_product_code = 'EP1'") == [(3,)]
    assert rows(db, "SELECT list(DISTINCT dimension ORDER BY dimension) FROM objectives") == [
        (["effectiveness", "efficiency", "org_development", "service_quality"],)]
    # every key result is measured by real KPIs of the year, so the progress view has scores
    assert rows(db, "SELECT count(*) FROM okr_progress WHERE quarter = 2 AND score IS NOT NULL") != [(0,)]
    assert (db.parent / "demo" / "strategy_2568.xlsx").is_file()


# --- the admin page ------------------------------------------------------------------------------------------

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


def admin_data_page(db: Path) -> AppTest:
    return signed_in(page("admin_data.py"), db, "admin").run()


def test_the_admin_page_previews_then_stores_a_strategy(site: Path) -> None:
    app = admin_data_page(site)
    app.file_uploader(key="admin_strategy_file").set_value([("strategy_2568.xlsx", workbook(), XLSX_MIME)])
    app.run()
    assert texts(app, "success") == ["ไฟล์ถูกต้อง: แผนยุทธศาสตร์ปีงบประมาณ 2568 วัตถุประสงค์ 2 ผลลัพธ์หลัก 3 "
                                     "ผลผลิตขั้นสุดท้าย 1"]
    assert table(app, "key_result_code", "kpis")["kpis"].tolist() == ["P-01 40, P-02 60", "L-01 100", "L-01 100"]
    assert table(app, "end_product_code", "units")["units"].tolist() == ["PLAN (จัดทำแผน), LAW (ยกร่างกฎหมาย)"]
    assert query(site, "SELECT count(*) FROM objective") == [(0,)]  # the preview stores nothing
    next(button for button in app.button if button.key == "confirm_strategy").click()
    app.run()
    assert texts(app, "success") == ["บันทึกแผนยุทธศาสตร์ปี 2568 แล้ว (วัตถุประสงค์ 2 ผลลัพธ์หลัก 3)"]
    assert query(site, "SELECT count(*) FROM objective") == [(2,)]
    assert query(site, "SELECT actor, outcome, channel FROM audit_log WHERE action = 'strategy_load'") == [
        ("admin", "success", "web")]
    history = table(app, "objective_count", "loaded_at")
    assert history[["fiscal_year", "file_name", "objective_count", "key_result_count", "loaded_by"]].values.tolist() \
        == [[2568, "strategy_2568.xlsx", 2, 3, "admin"]]
    assert f" {dt.date.today().year + 543} " in history["loaded_at"].iloc[0]  # a Buddhist Era date and its time


def test_the_admin_page_lists_the_problems_of_a_strategy_and_audits_it(site: Path) -> None:
    app = admin_data_page(site)
    app.file_uploader(key="admin_strategy_file").set_value(
        [("strategy_2568.xlsx", workbook(changed("key_result_kpis", 1, weight=50)), XLSX_MIME)])
    app.run()
    assert texts(app, "error") == ["พบปัญหา 1 รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่"]
    assert table(app, "row", "reason")["reason"].tolist() == [
        "น้ำหนักของตัวชี้วัดในผลลัพธ์หลัก KR1 รวมกันได้ 90 ต้องเท่ากับ 100"]
    assert not any(button.key == "confirm_strategy" for button in app.button)
    assert query(site, "SELECT outcome FROM audit_log WHERE action = 'strategy_load'") == [("rejected",)]


# --- the check inside the storing transaction, and the tables' own constraints ------------------------------


def test_the_load_checks_again_against_the_catalogue_as_it_is_then(empty_catalogue_db: Path, tmp_path: Path) -> None:
    """Previewed clean, then the catalogue loses L-01: the confirm refuses the key results that use it."""
    from pipelines import db

    files = [("strategy_2568.xlsx", workbook())]
    with db.open_db(empty_catalogue_db, read_only=True) as con:
        assert workflows.check_strategy_file(con, files).problems == []
    lines = (SAMPLES / "catalogue_2568_th.csv").read_text(encoding="utf-8").splitlines()
    smaller = tmp_path / "catalogue_2568.csv"
    smaller.write_text("\n".join(line for line in lines if ",L-01," not in line) + "\n", encoding="utf-8")
    assert run_cli(empty_catalogue_db, "catalogue", str(smaller)) == 0
    loaded = workflows.load_strategy_file(empty_catalogue_db, files)
    assert not loaded.stored
    assert [(p.sheet, p.row, p.value) for p in loaded.problems] == [("key_result_kpis", 4, "L-01"),
                                                                    ("key_result_kpis", 5, "L-01")]


BAD_ROWS = {
    "plan level": "INSERT INTO plan_item VALUES (2568, 'P', 'ชื่อ', NULL, 'province', NULL, 0)",
    "plan is its own parent": "INSERT INTO plan_item VALUES (2568, 'P', 'ชื่อ', NULL, 'master_plan', 'P', 0)",
    "objective dimension": "INSERT INTO objective VALUES (2568, 'O', 'ชื่อ', NULL, 'happiness', NULL, NULL, 'PLAN', "
                           "NULL, 0)",
    "objective thrust": "INSERT INTO objective VALUES (2568, 'O', 'ชื่อ', NULL, 'efficiency', NULL, 'stop', 'PLAN', "
                        "NULL, 0)",
    "objective without owner": "INSERT INTO objective VALUES (2568, 'O', 'ชื่อ', NULL, 'efficiency', NULL, NULL, "
                               "NULL, NULL, 0)",
    "objective owner unit": "INSERT INTO objective VALUES (2568, 'O', 'ชื่อ', NULL, 'efficiency', NULL, NULL, 'NOPE', "
                            "NULL, 0)",
    "duplicate objective": "INSERT INTO objective VALUES (2568, 'O1', 'ชื่อ', NULL, 'efficiency', NULL, NULL, 'PLAN', "
                           "NULL, 0)",
    "key result owner": "INSERT INTO key_result VALUES (2568, 'K', 'O1', 'ชื่อ', NULL, 'NOPE', NULL, NULL, [], 1, 0)",
    "key result quarter": "INSERT INTO key_result VALUES (2568, 'K', 'O1', 'ชื่อ', NULL, 'PLAN', NULL, 5, [], 1, 0)",
    "key result weight": "INSERT INTO key_result VALUES (2568, 'K', 'O1', 'ชื่อ', NULL, 'PLAN', NULL, 1, [], 0, 0)",
    "KPI weight": "INSERT INTO key_result_kpi VALUES (2568, 'K', 'P-01', -1)",
    "End Product unit": "INSERT INTO end_product_unit VALUES (2568, 'EP1', 'NOPE', NULL, 9)",
    "End Product key result weight": "INSERT INTO end_product_key_result VALUES (2568, 'EP1', 'KR3', 0)",
    "hand-off to itself": "INSERT INTO handoff VALUES (2568, 9, 'PLAN', 'PLAN', 'x', NULL)",
    "hand-off unit": "INSERT INTO handoff VALUES (2568, 9, 'PLAN', 'NOPE', 'x', NULL)",
    "link to itself": "INSERT INTO objective_link VALUES (2568, 'O1', 'O1')",
    "duplicate link": "INSERT INTO objective_link VALUES (2568, 'O2', 'O1')",
}


@pytest.fixture(scope="module")
def stored_strategy(tmp_path_factory: pytest.TempPathFactory, _sample_once: Path) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("strategy_constraints")
    shutil.copytree(_sample_once, root, dirs_exist_ok=True)
    assert load(root / "bsc.duckdb", workbook()).stored
    return root / "bsc.duckdb"


@pytest.mark.parametrize("case", BAD_ROWS)
def test_the_strategy_tables_refuse_a_bad_row(stored_strategy: Path, case: str) -> None:
    with duckdb.connect(str(stored_strategy)) as con:
        con.execute("BEGIN TRANSACTION")
        with pytest.raises(duckdb.ConstraintException):
            con.execute(BAD_ROWS[case])
        con.execute("ROLLBACK")


def test_a_large_strategy_with_many_problems_is_checked_whole(sample_db: Path) -> None:
    """3,000 objectives each without a key result, and a 3,000-long cause-and-effect chain closed into a loop: every
    problem is found (each sheet lists its first hundred, then counts the rest), and nothing is stored."""
    tables = copy.deepcopy(STRATEGY)
    codes = [f"X{number}" for number in range(3000)]
    tables["objectives"] += [{"objective_code": code, "name_th": "เพิ่ม", "dimension": 1, "owner_unit": "PLAN"}
                             for code in codes]
    tables["objective_links"] += [{"from_objective": a, "to_objective": b}
                                  for a, b in zip(codes, [*codes[1:], codes[0]], strict=True)]
    loaded = load(sample_db, workbook(tables))
    assert not loaded.stored
    by_sheet = {sheet: [p for p in loaded.problems if p.sheet == sheet] for sheet in ("objectives", "objective_links")}
    assert problem_count(by_sheet["objectives"]) == 3000
    assert problem_count(by_sheet["objective_links"]) == 1
    assert by_sheet["objective_links"][0].reason_en == "cause and effect loops back to the same objective"


@pytest.mark.parametrize("thai", [True, False])
def test_the_empty_workbook_names_every_table_the_reader_knows(sample_db: Path, thai: bool) -> None:
    """The admin page's empty strategy workbook: every sheet is recognised; empty, it is refused for having no
    objective."""
    from pipelines.strategy import empty_strategy_workbook

    sheets = load_workbook(io.BytesIO(empty_strategy_workbook(thai=thai))).sheetnames
    assert [table_of_sheet(name) for name in sheets] == list(STRATEGY_TABLES)
    loaded = load(sample_db, empty_strategy_workbook(thai=thai), fiscal_year=2568)
    assert [p.reason_en for p in loaded.problems] == ["no objective rows"]
