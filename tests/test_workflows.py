"""pipelines.workflows through the paths users reach: each write decides again inside the transaction that stores it
what may have changed since the preview, and stores nothing when its audit row cannot be written."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, workflows
from pipelines.validate import Period
from tests.accounts_support import (
    CSV_MIME,
    XLSX_MIME,
    add_accounts,
    filled_template,
    page,
    query,
    signed_in,
    texts,
)
from tests.support import SAMPLES, run_cli

pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)

LAW_Q3 = "division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,3,L-01,4\n"
STORED = ("SELECT (SELECT count(*) FROM submission), (SELECT count(*) FROM org_unit), "
          "(SELECT count(*) FROM catalogue_load), (SELECT count(*) FROM kpi WHERE fiscal_year = 2568)")


@pytest.fixture
def site(empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Org units, the 2568 catalogue (P-01, P-02, L-01) and the test accounts; nothing submitted."""
    add_accounts(empty_catalogue_db)
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    return empty_catalogue_db


def admin_data_page(db_path: Path) -> AppTest:
    return signed_in(page("admin_data.py"), db_path, "admin").run()


def drop_file(app: AppTest, key: str, name: str, data: bytes, mime: str = CSV_MIME) -> AppTest:
    app.file_uploader(key=key).set_value((name, data, mime))
    return app.run()


def press(app: AppTest, key: str) -> AppTest:
    next(button for button in app.button if button.key == key).click()
    return app.run()


def plan_q2_previewed(db_path: Path) -> AppTest:
    """The upload page as PLAN's head, a clean Q2 2568 file checked and waiting for the confirm."""
    app = signed_in(page("upload.py"), db_path, "plan.head").run()
    app.selectbox(key="upload_fiscal_year").set_value(2568)
    app.selectbox(key="upload_quarter").set_value(2)
    app = drop_file(app.run(), "upload_file", "PLAN_2568_Q2.xlsx",
                    filled_template(db_path, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15}), XLSX_MIME)
    assert texts(app, "success") == ["ไฟล์ถูกต้อง (2 แถว) ตรวจสอบข้อมูลด้านล่างแล้วกดยืนยันเพื่อบันทึก"]
    return app


def catalogue_without_l01() -> bytes:
    lines = SAMPLES.joinpath("catalogue_2568_th.csv").read_text(encoding="utf-8").splitlines()
    return ("\n".join(line for line in lines if ",L-01," not in line) + "\n").encode()


# --- a catalogue replaced while a unit submits ------------------------------------------------------


@pytest.fixture
def law_reports_l01_before_the_next_write(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Arm it, and LAW stores a submission that reports L-01 just before the next connection for writing opens:
    after the confirm's own rerun checked the file (a Streamlit rerun draws the preview again), before the store."""
    real = db.open_db
    armed: list[bool] = []

    @contextmanager
    def open_db(db_path: Path, read_only: bool = False, wait_seconds: float | None = None):
        if armed and not read_only:
            armed.clear()
            law_q3 = tmp_path / "law_q3.csv"
            law_q3.write_text(LAW_Q3, encoding="utf-8")
            assert run_cli(site, "ingest", str(law_q3)) == 0
        with real(db_path, read_only, wait_seconds) as con:
            yield con

    monkeypatch.setattr(db, "open_db", open_db)
    return lambda: armed.append(True)


def test_a_submission_stored_between_preview_and_confirm_makes_the_catalogue_confirm_refuse(
    site: Path, law_reports_l01_before_the_next_write
) -> None:
    app = drop_file(admin_data_page(site), "admin_catalogue_file", "cat_2568_v2.csv", catalogue_without_l01())
    assert texts(app, "error") == []  # nothing reports L-01 yet: the preview offers the confirm
    before = query(site, STORED)
    law_reports_l01_before_the_next_write()

    app = press(app, "confirm_catalogue")
    assert not app.exception
    assert query(site, "SELECT count(*) FROM submission") == [(1,)]  # LAW's report came in meanwhile
    assert "LAW L-01" in texts(app, "error")[0]
    assert "ตัวชี้วัดที่ถูกตัดออกมีผลการดำเนินงานที่ส่งแล้ว" in app.dataframe[-1].value["reason"].tolist()
    assert query(site, STORED)[1:] == before[1:]  # the catalogue still has L-01; no load recorded
    assert query(site, "SELECT kpi_code FROM kpi WHERE fiscal_year = 2568 AND kpi_code = 'L-01'") == [("L-01",)]
    assert query(site, "SELECT actor, outcome FROM audit_log WHERE action = 'catalogue_load' AND channel = 'web'") == [
        ("admin", "rejected")]


def test_a_submission_stored_while_the_admin_reads_the_preview_withdraws_the_confirm(
    site: Path, tmp_path: Path
) -> None:
    app = drop_file(admin_data_page(site), "admin_catalogue_file", "cat_2568_v2.csv", catalogue_without_l01())
    law_q3 = tmp_path / "law_q3.csv"
    law_q3.write_text(LAW_Q3, encoding="utf-8")
    assert run_cli(site, "ingest", str(law_q3)) == 0
    app = drop_file(app, "admin_catalogue_file", "cat_2568_v2.csv", catalogue_without_l01())
    assert "LAW L-01" in texts(app, "error")[0]
    assert not any(button.key == "confirm_catalogue" for button in app.button)


def test_the_confirm_refusal_is_in_english_too(site: Path, tmp_path: Path) -> None:
    app = signed_in(page("admin_data.py"), site, "admin")
    app.query_params["lang"] = "en"
    app = drop_file(app.run(), "admin_catalogue_file", "cat_2568_v2.csv", catalogue_without_l01())
    law_q3 = tmp_path / "law_q3.csv"
    law_q3.write_text(LAW_Q3, encoding="utf-8")
    assert run_cli(site, "ingest", str(law_q3)) == 0
    app = press(app, "confirm_catalogue")
    assert "LAW L-01" in texts(app, "error")[0] and "drops" in texts(app, "error")[0]
    assert app.dataframe[-1].value["reason"].tolist() == ["removed KPI is referenced by a submission"]


def test_load_catalogue_file_checks_the_dropped_kpis_against_the_submissions_stored_now(
    site: Path, tmp_path: Path
) -> None:
    with db.open_db(site, read_only=True) as con:
        assert workflows.check_catalogue_file(con, "cat.csv", catalogue_without_l01()).problems == []
    law_q3 = tmp_path / "law_q3.csv"
    law_q3.write_text(LAW_Q3, encoding="utf-8")
    assert run_cli(site, "ingest", str(law_q3)) == 0
    loaded = workflows.load_catalogue_file(site, "cat.csv", catalogue_without_l01(), by="admin", channel="web")
    assert not loaded.stored and loaded.removed == [("LAW", "L-01")]
    assert [(p.value, p.reason_en) for p in loaded.problems] == [
        ("LAW L-01", "removed KPI is referenced by a submission")]


# --- audit rows in the transaction of the change --------------------------------------------------


def test_an_org_file_confirmed_on_the_admin_page_is_not_stored_when_its_audit_row_fails(
    site: Path, audit_fails: None
) -> None:
    data = "รหัสหน่วยงาน,ชื่อหน่วยงาน,หน่วยงานต้นสังกัด,ระดับ\nPLAN-1,กลุ่มงานแผน,PLAN,กลุ่มงาน\n".encode()
    app = drop_file(admin_data_page(site), "admin_orgs_file", "orgs.csv", data)
    before = query(site, STORED)
    app = press(app, "confirm_orgs")
    assert app.exception  # the I/O error, not a success message
    assert query(site, STORED) == before
    assert query(site, "SELECT count(*) FROM org_unit WHERE code = 'PLAN-1'") == [(0,)]


def test_a_catalogue_confirmed_on_the_admin_page_is_not_stored_when_its_audit_row_fails(
    site: Path, audit_fails: None
) -> None:
    changed = SAMPLES.joinpath("catalogue_2568_th.csv").read_text(encoding="utf-8").replace(
        "60,50,60,70,80,90", "60,40,50,60,70,80")
    app = drop_file(admin_data_page(site), "admin_catalogue_file", "cat_v2.csv", changed.encode())
    before = query(site, STORED)
    app = press(app, "confirm_catalogue")
    assert app.exception
    assert query(site, STORED) == before
    assert query(site, "SELECT t1 FROM kpi WHERE fiscal_year = 2568 AND kpi_code = 'P-01'") == [(50,)]


def test_an_upload_confirmed_on_the_upload_page_is_not_stored_when_its_audit_row_fails(
    site: Path, audit_fails: None
) -> None:
    app = plan_q2_previewed(site)
    app = press(app, "upload_confirm")
    assert app.exception
    assert query(site, STORED)[0][0] == 0
    assert query(site, "SELECT count(*) FROM audit_log WHERE action = 'upload'") == [(0,)]


# --- the right to submit, decided again at the commit ---------------------------------------------


def test_an_account_disabled_between_preview_and_confirm_stores_nothing(site: Path) -> None:
    data = filled_template(site, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15})
    with db.open_db(site, read_only=True) as con:
        head = auth.get_user(con, "plan.head")
    prepared = workflows.check_files(site, [("PLAN_Q2.xlsx", data)], Period("PLAN", 2568, 2), by=head.username,
                                     user=head, channel="web")
    assert prepared[0].problems == []
    with db.open_db(site) as con:
        assert auth.set_disabled(con, "plan.head", True, by="admin") == []
    stored = workflows.store_files(site, prepared, by=head.username, user=head, channel="web")
    assert stored.outcomes == []
    assert [p.reason_en for p in stored.problems] == ["user plan.head may not submit for unit PLAN"]
    assert query(site, "SELECT count(*) FROM submission") == [(0,)]
    assert query(site, "SELECT outcome FROM audit_log WHERE action = 'upload'") == [("refused",)]


# --- the command line's loads, audited like its uploads -------------------------------------------


def test_a_rejected_org_file_from_the_command_line_leaves_an_audit_row(site: Path, tmp_path: Path) -> None:
    bad = tmp_path / "orgs.csv"
    bad.write_text("รหัสหน่วยงาน,ชื่อหน่วยงาน\n,ไม่มีรหัส\n", encoding="utf-8")
    assert run_cli(site, "orgs", str(bad)) == 1
    rows = query(site, "SELECT actor, outcome, channel, detail FROM audit_log "
                       "WHERE action = 'orgs_load' AND outcome <> 'success'")
    assert [row[:3] for row in rows] == [("cli", "rejected", "cli")]
    assert "missing unit code" in rows[0][3] and "ไม่มีรหัสหน่วยงาน" in rows[0][3]


# --- the catalogue, decided again at the commit of a submission -----------------------------------


def lowered_thresholds(tmp_path: Path) -> Path:
    """The 2568 catalogue with P-01's thresholds lowered by 10: every P-01 score changes."""
    changed = tmp_path / "catalogue_2568_v2.csv"
    changed.write_text(SAMPLES.joinpath("catalogue_2568_th.csv").read_text(encoding="utf-8").replace(
        "60,50,60,70,80,90", "60,40,50,60,70,80"), encoding="utf-8")
    return changed


def test_a_catalogue_replaced_between_preview_and_confirm_stops_the_upload(site: Path, tmp_path: Path) -> None:
    app = plan_q2_previewed(site)
    assert run_cli(site, "catalogue", str(lowered_thresholds(tmp_path))) == 0  # the planning division reloads it
    app = press(app, "upload_confirm")
    assert not app.exception
    assert texts(app, "error") == ["บัญชีตัวชี้วัดปีงบประมาณ 2568 เปลี่ยนไปหลังการตรวจสอบไฟล์ ยังไม่ได้บันทึก "
                                   "กรุณาอัปโหลดไฟล์อีกครั้งเพื่อตรวจสอบใหม่"]
    assert query(site, "SELECT count(*) FROM submission") == [(0,)]
    assert query(site, "SELECT outcome FROM audit_log WHERE action = 'upload'") == [("rejected",)]


def test_store_files_refuses_a_file_checked_against_an_older_catalogue(site: Path, tmp_path: Path) -> None:
    data = filled_template(site, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15})
    prepared = workflows.check_files(site, [("PLAN_Q2.xlsx", data)], Period("PLAN", 2568, 2), by="cli")
    assert prepared[0].problems == [] and prepared[0].scores["P-01"] == 3.25
    assert run_cli(site, "catalogue", str(lowered_thresholds(tmp_path))) == 0
    stored = workflows.store_files(site, prepared, by="cli")
    assert stored.outcomes == []
    assert [p.field for p in stored.problems] == ["catalogue_changed"]
    assert "catalogue changed after the file was checked" in stored.problems[0].reason_en
    assert query(site, "SELECT count(*) FROM submission") == [(0,)]


def test_an_unchanged_catalogue_lets_the_checked_file_through(site: Path) -> None:
    data = filled_template(site, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15})
    prepared = workflows.check_files(site, [("PLAN_Q2.xlsx", data)], Period("PLAN", 2568, 2), by="cli")
    stored = workflows.store_files(site, prepared, by="cli")
    assert [(o.unit_code, o.version) for o in stored.outcomes] == [("PLAN", 1)]
    assert stored.snapshot_error is None
