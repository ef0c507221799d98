"""The strategy editor (issue 13): the admin adds, edits and retires an objective, key result or End Product of a
stored strategy; each change is checked with the strategy file's own rules, stored as the year's next version in
one transaction with its audit row, and a retired item stays in the older versions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, ingest, workflows
from pipelines.strategy import StrategyChange, strategy_workbook
from tests.accounts_support import add_accounts, page, query, signed_in, table, texts

YEAR = 2568
STRATEGY: dict[str, list[dict[str, object]]] = {
    "objectives": [
        {"objective_code": "O1", "fiscal_year": YEAR, "name_th": "แผนงานส่งผลจริง", "dimension": "ประสิทธิผล",
         "thrust": "ยกระดับ", "owner_unit": "PLAN"},
        {"objective_code": "O2", "fiscal_year": YEAR, "name_th": "กฎหมายทันสมัย", "dimension": 4,
         "owner_executive": "รองผู้อำนวยการ"},
    ],
    "key_results": [
        {"key_result_code": "KR1", "objective_code": "O1", "name_th": "โครงการตามแผน", "owner_unit": "PLAN",
         "target": "ร้อยละ 70", "due_quarter": 4, "pmqa": "2,7"},
        {"key_result_code": "KR2", "objective_code": "O1", "name_th": "กฎหมายรองรับแผน", "owner_unit": "LAW"},
        {"key_result_code": "KR3", "objective_code": "O2", "name_th": "ปรับปรุงกฎหมาย", "owner_unit": "LAW"},
    ],
    "key_result_kpis": [
        {"key_result_code": "KR1", "kpi_code": "P-01", "weight": 40},
        {"key_result_code": "KR1", "kpi_code": "P-02", "weight": 60},
        {"key_result_code": "KR2", "kpi_code": "L-01", "weight": 100},
        {"key_result_code": "KR3", "kpi_code": "L-01", "weight": 100},
    ],
    "end_products": [{"end_product_code": "EP1", "objective_code": "O1", "name_th": "แผนและกฎหมายที่ใช้ได้จริง"}],
    "end_product_units": [
        {"end_product_code": "EP1", "unit_code": "PLAN", "part": "จัดทำแผน"},
        {"end_product_code": "EP1", "unit_code": "LAW", "part": "ยกร่างกฎหมาย"},
    ],
    "end_product_key_results": [{"end_product_code": "EP1", "key_result_code": "KR1"},
                                {"end_product_code": "EP1", "key_result_code": "KR2"}],
    "handoffs": [{"from_unit": "PLAN", "to_unit": "LAW", "what": "ร่างแผน", "end_product_code": "EP1"}],
    "objective_links": [{"from_objective": "O2", "to_objective": "O1"}],
}
ADMIN = auth.User("admin", "Admin", "admin", None, None)

NEW_OBJECTIVE = {
    "objectives": [{"objective_code": "O3", "name_th": "ศอช. ใช้งานได้จริง", "dimension": "effectiveness",
                    "thrust": "start", "owner_unit": "PLAN"}],
    "key_results": [{"key_result_code": "KR4", "objective_code": "O3", "name_th": "ศูนย์ปฏิบัติการเปิดดำเนินการ",
                     "owner_unit": "PLAN", "due_quarter": 2, "pmqa": "1,4"}],
    "key_result_kpis": [{"key_result_code": "KR4", "kpi_code": "P-01", "weight": 100}],
}
KR1_EDITED = {
    "key_results": [{**STRATEGY["key_results"][0], "target": "ร้อยละ 80"}],
    "key_result_kpis": [{"key_result_code": "KR1", "kpi_code": "P-01", "weight": 50},
                        {"key_result_code": "KR1", "kpi_code": "P-02", "weight": 50}],
}


@pytest.fixture
def strategy_db(sample_db: Path) -> Path:
    """The samples with a two-objective strategy for 2568 loaded from its file, and the test accounts."""
    add_accounts(sample_db)
    loaded = workflows.load_strategy_file(sample_db, [("strategy_2568.xlsx", strategy_workbook(STRATEGY))],
                                          by="admin")
    assert loaded.stored, loaded.problems
    return sample_db


def edit(db_path: Path, action: str, kind: str, code: str, rows=None, user=ADMIN) -> workflows.StrategyEdit:
    return workflows.edit_strategy(db_path, YEAR, StrategyChange(action, kind, code, rows or {}), user=user)


def codes(db_path: Path, view: str, column: str) -> list[str]:
    return [row[0] for row in query(db_path, f"SELECT {column} FROM {view} WHERE fiscal_year = {YEAR}")]


def versions(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT file_name, edit_summary, objective_count, key_result_count, loaded_by "
                          "FROM strategy_load ORDER BY load_id")


def reasons(edited: workflows.StrategyEdit) -> list[str]:
    return [f"{problem.reason_th} / {problem.reason_en}" for problem in edited.problems]


# --- each edit kind: a new version, its audit row, published -----------------------------------------------------

EDITS = {
    "add objective": (("add", "objective", "O3", NEW_OBJECTIVE), ("O1", "O2", "O3"), 3, 4),
    "edit objective": (("edit", "objective", "O2", {"objectives": [{**STRATEGY["objectives"][1], "name_th": "ใหม่"}]}),
                       ("O1", "O2"), 2, 3),
    "retire objective": (("retire", "objective", "O2", None), ("O1",), 1, 2),
    "add key result": (("add", "key_result", "KR4", {"key_results": [{**NEW_OBJECTIVE["key_results"][0],
                                                                      "objective_code": "O2"}],
                                                     "key_result_kpis": NEW_OBJECTIVE["key_result_kpis"]}),
                       ("O1", "O2"), 2, 4),
    "edit key result": (("edit", "key_result", "KR1", KR1_EDITED), ("O1", "O2"), 2, 3),
    "add end product": (("add", "end_product", "EP2", {
        "end_products": [{"end_product_code": "EP2", "objective_code": "O2", "name_th": "กฎหมายใหม่"}],
        "end_product_units": [{"end_product_code": "EP2", "unit_code": "LAW"},
                              {"end_product_code": "EP2", "unit_code": "AG", "part": "อนุมัติ"}]}), ("O1", "O2"), 2, 3),
    "retire end product": (("retire", "end_product", "EP1", None), ("O1", "O2"), 2, 3),
}


@pytest.mark.parametrize("case", EDITS)
def test_each_edit_stores_a_new_version_with_its_audit_row_and_publishes(strategy_db: Path, case: str) -> None:
    (action, kind, code, rows), objectives, objective_count, key_result_count = EDITS[case]
    edited = edit(strategy_db, action, kind, code, rows)
    assert edited.problems == [] and edited.stored
    assert codes(strategy_db, "objectives", "objective_code") == list(objectives)
    assert versions(strategy_db) == [
        ("strategy_2568.xlsx", None, 2, 3, "admin"),
        ("strategy_2568_edit.xlsx", f"{action} {kind} {code}", objective_count, key_result_count, "admin")]
    assert query(strategy_db, "SELECT actor, outcome, fiscal_year, detail FROM audit_log "
                              "WHERE action = 'strategy_edit'")[0][:3] == ("admin", "success", YEAR)
    snapshot = strategy_db.parent / "snapshot" / strategy_db.name
    assert codes(snapshot, "objectives", "objective_code") == list(objectives)


def test_an_edit_changes_the_item_where_it_stands_and_nothing_else(strategy_db: Path) -> None:
    assert edit(strategy_db, "edit", "key_result", "KR1", KR1_EDITED).stored
    assert query(strategy_db, "SELECT key_result_code, target, due_quarter, pmqa FROM key_results") == [
        ("KR1", "ร้อยละ 80", 4, [2, 7]), ("KR2", "", None, []), ("KR3", "", None, [])]
    assert query(strategy_db, "SELECT key_result_code, kpi_code, weight FROM key_result_kpis "
                              "ORDER BY key_result_code, kpi_code") == [
        ("KR1", "P-01", 50.0), ("KR1", "P-02", 50.0), ("KR2", "L-01", 100.0), ("KR3", "L-01", 100.0)]
    assert query(strategy_db, "SELECT end_product_code, key_result_code FROM end_product_key_results "
                              "ORDER BY key_result_code") == [("EP1", "KR1"), ("EP1", "KR2")]


def test_the_audit_row_failing_stores_nothing(strategy_db: Path, audit_fails: None) -> None:
    with pytest.raises(OSError):
        edit(strategy_db, "retire", "end_product", "EP1")
    assert codes(strategy_db, "end_products", "end_product_code") == ["EP1"]
    assert len(versions(strategy_db)) == 1


# --- the file's rules refuse an edit, with the file's message ------------------------------------------------------

REFUSED = {
    "End Product with one unit": (
        ("edit", "end_product", "EP1", {
            "end_products": STRATEGY["end_products"],
            "end_product_units": [{"end_product_code": "EP1", "unit_code": "PLAN"}],
            "end_product_key_results": [{"end_product_code": "EP1", "key_result_code": "KR1"}]}),
        "ผลผลิตขั้นสุดท้ายต้องเกิดจากหลายหน่วยงาน หากมีหน่วยงานเดียวให้บันทึกเป็นผลลัพธ์หลัก (มี 1 หน่วยงาน) / an End "
        "Product must come from several units; with one unit, record it as a key result (1 unit(s) listed)"),
    "unknown KPI": (
        ("edit", "key_result", "KR1", {"key_results": KR1_EDITED["key_results"],
                                       "key_result_kpis": [{"key_result_code": "KR1", "kpi_code": "X-99",
                                                            "weight": 100}]}),
        "ไม่พบตัวชี้วัดนี้ในบัญชีตัวชี้วัดปีงบประมาณ 2568 / unknown KPI: not in the fiscal year 2568 catalogue"),
    "unknown unit": (
        ("edit", "key_result", "KR3", {"key_results": [{**STRATEGY["key_results"][2], "owner_unit": "NOPE"}],
                                       "key_result_kpis": [STRATEGY["key_result_kpis"][3]]}),
        "ไม่พบหน่วยงานนี้ในโครงสร้างหน่วยงาน (โหลดไฟล์หน่วยงานก่อน) / unknown unit: not an org unit (load the org "
        "file first)"),
    "weights not 100": (
        ("edit", "key_result", "KR1", {"key_results": KR1_EDITED["key_results"],
                                       "key_result_kpis": [{"key_result_code": "KR1", "kpi_code": "P-01",
                                                            "weight": 50},
                                                           {"key_result_code": "KR1", "kpi_code": "P-02",
                                                            "weight": 40}]}),
        "น้ำหนักของตัวชี้วัดในผลลัพธ์หลัก KR1 รวมกันได้ 90 ต้องเท่ากับ 100 / the weights of key result KR1's KPIs add "
        "up to 90, not 100"),
    "cause-and-effect cycle": (
        ("edit", "objective", "O1", {"objectives": [STRATEGY["objectives"][0]],
                                     "objective_links": [{"from_objective": "O1", "to_objective": "O2"}]}),
        "เหตุและผลวนกลับมาที่วัตถุประสงค์เดิม / cause and effect loops back to the same objective"),
    "objective left without key result": (
        ("retire", "key_result", "KR3", None),
        "วัตถุประสงค์นี้ไม่มีผลลัพธ์หลัก (ต้องมีอย่างน้อยหนึ่งผลลัพธ์หลัก) / this objective has no key result (it needs "
        "at least one)"),
    "new objective without key result": (
        ("add", "objective", "O3", {"objectives": NEW_OBJECTIVE["objectives"]}),
        "วัตถุประสงค์นี้ไม่มีผลลัพธ์หลัก (ต้องมีอย่างน้อยหนึ่งผลลัพธ์หลัก) / this objective has no key result (it needs "
        "at least one)"),
    "code taken": (
        ("add", "end_product", "EP1", {"end_products": STRATEGY["end_products"]}),
        "รหัสผลผลิตขั้นสุดท้ายซ้ำกับแถว 2 / duplicate End Product code (also on row 2)"),
    "no such item": (
        ("retire", "key_result", "KR9", None),
        "ไม่พบผลลัพธ์หลัก KR9 ในแผนยุทธศาสตร์ปี 2568 / no key result KR9 in the 2568 strategy"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_each_rule_refuses_an_edit_with_the_files_message_and_stores_nothing(strategy_db: Path, case: str) -> None:
    (action, kind, code, rows), reason = REFUSED[case]
    before = query(strategy_db, "SELECT * FROM key_result_kpis ORDER BY ALL")
    edited = edit(strategy_db, action, kind, code, rows)
    assert not edited.stored and reason in reasons(edited)
    assert len(versions(strategy_db)) == 1
    assert query(strategy_db, "SELECT * FROM key_result_kpis ORDER BY ALL") == before
    assert query(strategy_db, "SELECT outcome FROM audit_log WHERE action = 'strategy_edit'") == [("rejected",)]


def test_retiring_an_objective_with_its_last_key_result_takes_its_end_products_and_links(strategy_db: Path) -> None:
    edited = edit(strategy_db, "retire", "objective", "O1")
    assert edited.stored, edited.problems
    assert codes(strategy_db, "key_results", "key_result_code") == ["KR3"]
    assert codes(strategy_db, "end_products", "end_product_code") == []
    assert query(strategy_db, "SELECT count(*) FROM objective_links") == [(0,)]
    assert query(strategy_db, "SELECT count(*) FROM handoffs") == [(0,)]


def test_a_retired_end_product_stays_in_the_older_version(strategy_db: Path) -> None:
    assert edit(strategy_db, "retire", "end_product", "EP1").stored
    assert query(strategy_db, "SELECT count(*) FROM end_product_units") == [(0,)]
    assert query(strategy_db, "SELECT count(*) FROM end_product_key_results") == [(0,)]
    archive = db.uploads_dir(strategy_db)
    [(first, first_sha), (latest, latest_sha)] = query(strategy_db, "SELECT file_name, sha256 FROM strategy_load "
                                                                    "ORDER BY load_id")
    older = load_workbook(io.BytesIO(ingest.archive_path(archive, first, first_sha).read_bytes()))
    assert [row[0] for row in older["end_products"].iter_rows(min_row=2, values_only=True)] == ["EP1"]
    newest = load_workbook(io.BytesIO(ingest.archive_path(archive, latest, latest_sha).read_bytes()))
    assert list(newest["end_products"].iter_rows(min_row=2, values_only=True)) == []
    restored = workflows.load_strategy_file(strategy_db, [(first, ingest.archive_path(archive, first, first_sha)
                                                           .read_bytes())], by="admin")
    assert restored.stored and codes(strategy_db, "end_products", "end_product_code") == ["EP1"]


def test_a_workshop_builds_a_year_from_nothing(strategy_db: Path) -> None:
    change = StrategyChange("add", "objective", "O3", NEW_OBJECTIVE)
    refused = workflows.edit_strategy(strategy_db, 2569, change, user=ADMIN)
    assert reasons(refused) == ["ยังไม่มีบัญชีตัวชี้วัดปีงบประมาณ 2569 (โหลดบัญชีตัวชี้วัดก่อน) / fiscal year 2569 has "
                                "no KPI catalogue (load the catalogue first)"]
    edited = workflows.edit_strategy(strategy_db, 2569, StrategyChange("add", "objective", "O3", {
        "objectives": NEW_OBJECTIVE["objectives"], "key_results": NEW_OBJECTIVE["key_results"]}), user=ADMIN)
    assert edited.stored, edited.problems
    assert query(strategy_db, "SELECT objective_code FROM objectives WHERE fiscal_year = 2569") == [("O3",)]


@pytest.mark.parametrize("username", ["boss", "plan.head", "ana"])
def test_only_an_admin_may_edit_and_the_refusal_is_audited(strategy_db: Path, username: str) -> None:
    with db.open_db(strategy_db, read_only=True) as con:
        user = auth.get_user(con, username)
    edited = edit(strategy_db, "retire", "end_product", "EP1", user=user)
    assert not edited.stored and reasons(edited) == [
        "แก้ไขแผนยุทธศาสตร์ได้เฉพาะผู้ดูแลระบบ / only an administrator may edit the strategy"]
    assert codes(strategy_db, "end_products", "end_product_code") == ["EP1"]
    assert query(strategy_db, "SELECT actor, outcome FROM audit_log WHERE action = 'strategy_edit'") == [
        (username, "refused")]


def test_an_admin_demoted_since_the_page_opened_is_refused(strategy_db: Path) -> None:
    with db.open_db(strategy_db) as con:
        assert auth.add_user(con, username="admin2", role="admin", password="admin2-pass-2568", by="test") == []
        assert auth.update_user(con, "admin", role="executive", unit_code=None, display_name="", email=None,
                                by="admin2") == []
    assert not edit(strategy_db, "retire", "end_product", "EP1").stored


# --- the page ----------------------------------------------------------------------------------------------------


@pytest.fixture
def site(strategy_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BSC_DB", str(strategy_db))
    return strategy_db


def editor(db_path: Path, username: str = "admin") -> AppTest:
    return signed_in(page("admin_strategy.py"), db_path, username).run()


def choose(app: AppTest, kind: str, action: str, code: str | None = None) -> AppTest:
    app.radio(key="editor_kind").set_value(kind)
    app.radio(key="editor_action").set_value(action)
    app.run()
    if code is not None:
        app.selectbox(key=f"editor_code_{kind}").set_value(code)
        app.run()
    return app


def submit(app: AppTest) -> AppTest:
    next(button for button in app.button if button.label == "ตรวจและบันทึกการแก้ไข").click()
    return app.run()


def test_the_page_adds_an_objective_with_its_first_key_result(site: Path) -> None:
    app = choose(editor(site), "objective", "add")
    prefix = "objective:add::"
    app.text_input(key=prefix + "objective_code").set_value("O3")
    app.text_input(key=prefix + "name_th").set_value("ศอช. ใช้งานได้จริง")
    app.selectbox(key=prefix + "owner_unit").set_value("PLAN")
    app.multiselect(key=prefix + "leads_to").set_value(["O1"])
    app.text_input(key=prefix + "kr:key_result_code").set_value("KR4")
    app.text_input(key=prefix + "kr:name_th").set_value("ศูนย์ปฏิบัติการเปิดดำเนินการ")
    app.selectbox(key=prefix + "kr:owner_unit").set_value("PLAN")
    app.multiselect(key=prefix + "kr:pmqa").set_value([1, 4])
    submit(app)
    assert app.exception == [] and texts(app, "error") == []
    assert texts(app, "success") == ["บันทึกแล้ว: เพิ่ม วัตถุประสงค์ O3 — แผนยุทธศาสตร์ปี 2568 ฉบับใหม่"]
    assert query(site, "SELECT objective_code, dimension, owner_unit FROM objectives ORDER BY objective_code") == [
        ("O1", "effectiveness", "PLAN"), ("O2", "org_development", None), ("O3", "effectiveness", "PLAN")]
    assert query(site, "SELECT key_result_code, objective_code, owner_unit, pmqa FROM key_results "
                       "WHERE key_result_code = 'KR4'") == [("KR4", "O3", "PLAN", [1, 4])]
    assert query(site, "SELECT from_objective, to_objective FROM objective_links ORDER BY ALL") == [
        ("O2", "O1"), ("O3", "O1")]
    assert query(site, "SELECT actor, outcome, channel FROM audit_log WHERE action = 'strategy_edit'") == [
        ("admin", "success", "web")]
    assert app.text_input(key=prefix + "objective_code").value == ""  # the form starts again empty
    history = table(app, "edit_summary", "loaded_by")
    assert history[["version", "edit_summary"]].values.tolist() == [[2, "เพิ่ม วัตถุประสงค์ O3"],
                                                                    [1, "โหลดจากไฟล์"]]


def test_the_page_edits_a_key_results_target_and_keeps_its_kpis(site: Path) -> None:
    app = choose(editor(site), "key_result", "edit", "KR1")
    assert app.text_input(key="key_result:edit:KR1:target").value == "ร้อยละ 70"
    app.text_input(key="key_result:edit:KR1:target").set_value("ร้อยละ 80")
    submit(app)
    assert app.exception == [] and texts(app, "error") == []
    assert query(site, "SELECT target, due_quarter, pmqa FROM key_results WHERE key_result_code = 'KR1'") == [
        ("ร้อยละ 80", 4, [2, 7])]
    assert query(site, "SELECT kpi_code, weight FROM key_result_kpis WHERE key_result_code = 'KR1' ORDER BY 1") == [
        ("P-01", 40.0), ("P-02", 60.0)]
    assert table(app, "key_result_code", "target")["target"].tolist() == ["ร้อยละ 80", "", ""]


def test_the_page_retires_an_end_product_after_confirmation(site: Path) -> None:
    app = choose(editor(site), "end_product", "retire", "EP1")
    button = app.button(key="end_product:retire:EP1:button")
    assert button.disabled
    app.checkbox(key="end_product:retire:EP1:confirm").check()
    app.run()
    app.button(key="end_product:retire:EP1:button").click()
    app.run()
    assert app.exception == [] and texts(app, "success") == [
        "บันทึกแล้ว: ปลดออก ผลผลิตขั้นสุดท้าย EP1 — แผนยุทธศาสตร์ปี 2568 ฉบับใหม่"]
    assert query(site, "SELECT count(*) FROM end_products") == [(0,)]
    assert len(versions(site)) == 2


def test_the_page_shows_a_refused_edit_with_the_files_message(site: Path) -> None:
    app = choose(editor(site), "key_result", "retire", "KR3")
    assert texts(app, "caption")  # nothing else goes with a key result
    app.checkbox(key="key_result:retire:KR3:confirm").check()
    app.run()
    app.button(key="key_result:retire:KR3:button").click()
    app.run()
    assert texts(app, "error") == ["บันทึกไม่ได้ พบปัญหา 1 รายการ แผนยุทธศาสตร์ไม่เปลี่ยนแปลง"]
    problems = table(app, "sheet", "reason")
    assert problems[["sheet", "value", "reason"]].values.tolist() == [
        ["วัตถุประสงค์", "O2", "วัตถุประสงค์นี้ไม่มีผลลัพธ์หลัก (ต้องมีอย่างน้อยหนึ่งผลลัพธ์หลัก)"]]
    assert codes(site, "key_results", "key_result_code") == ["KR1", "KR2", "KR3"]


def test_retiring_an_objective_says_what_goes_with_it(site: Path) -> None:
    app = choose(editor(site), "objective", "retire", "O1")
    assert "ปลดออกพร้อมกัน: ผลลัพธ์หลัก KR1, ผลลัพธ์หลัก KR2, ผลผลิตขั้นสุดท้าย EP1" in texts(app, "caption")


@pytest.mark.parametrize("username", ["boss", "ana", "plan.head"])
def test_the_page_is_refused_to_everyone_but_the_admin(site: Path, username: str) -> None:
    app = editor(site, username)
    assert texts(app, "title") == [] and len(texts(app, "error")) == 1
    assert query(site, "SELECT actor, action FROM audit_log WHERE action = 'access_denied'") == [
        (username, "access_denied")]


def test_control_characters_typed_into_a_name_are_dropped_as_the_reader_drops_them(strategy_db: Path) -> None:
    """A workbook cell cannot hold them: the change is cleaned as a file's cell would be, not turned into a crash."""
    row = {**STRATEGY["objectives"][1], "name_th": "กฎหมาย\x01ทันสมัย\x0b  ขึ้น", "owner_executive": " รอง\x00ผอ. "}
    assert edit(strategy_db, "edit", "objective", "O2", {"objectives": [row]}).stored
    assert query(strategy_db, "SELECT name_th, owner_executive FROM objectives WHERE objective_code = 'O2'") == [
        ("กฎหมายทันสมัย ขึ้น", "รองผอ.")]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_form_opens_on_the_demo_strategy(demo_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("BSC_DB", str(demo_db))
    app = signed_in(page("admin_strategy.py"), demo_db, "admin")
    app.query_params["lang"] = lang
    app.run()
    for kind in ("objective", "key_result", "end_product"):
        for action in ("add", "edit", "retire"):
            choose(app, kind, action)
            assert app.exception == [], (kind, action)
    assert texts(app, "title") == ["แก้ไขแผนยุทธศาสตร์" if lang == "th" else "Strategy editor"]
    assert not table(app, "end_product_code", "units").empty
