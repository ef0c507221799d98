"""Review and approval (issue 15; pipelines/approval.py, migration 012): off by default and then nothing changes; on,
a new version waits for a reviewer, is left out of the scored views until approved (the schema include_submitted
and the dashboard's switch show it), may be returned with a reason per KPI that the division head reads on the upload
page, and every step is audited, decided on the server and published.

The samples (tests/data/README.md): PLAN FY 2568 Q2 = 0.6 x 3.25 + 0.4 x 2.6667 = 3.0167 (P-01 = 72.5, P-02 = 15
days). P-01 = 90 scores 5 (PLAN 4.0667); P-01 = 85 scores 4.5 (PLAN 3.7667).
"""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pipelines import approval, auth, cli, db, forecast, queries, snapshot, workflows
from pipelines.view_docs import PUBLIC_VIEWS
from tests.accounts_support import add_accounts, filled_template, page, query, signed_in, texts
from tests.approval_support import code_before_012

pytestmark = pytest.mark.usefixtures("fast_hashing")

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
PLAN_Q2 = ("PLAN", 2568, 2)
ORIGINAL, SUBMITTED, CORRECTED = 3.0166667, 4.0666667, 3.7666667
REASON = "ร้อยละ 90 ไม่ตรงกับรายงานการประชุม กรุณาตรวจสอบ"


@pytest.fixture
def site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


def user(db_path: Path, username: str) -> auth.User:
    with db.open_db(db_path, read_only=True) as con:
        return auth.get_user(con, username)


def require_approval(db_path: Path, required: bool = True) -> list:
    with db.open_db(db_path) as con:
        return approval.set_approval_required(con, 2568, required, by="admin")


def submit_plan_q2(db_path: Path, p01: float) -> int:
    data = filled_template(db_path, "PLAN", 2568, 2, {"P-01": p01, "P-02": 15})
    stored = workflows.submit_files(db_path, [(f"plan_q2_{p01}.xlsx", data)], by="plan.head", channel="web")
    assert not stored.problems and stored.snapshot_error is None
    return stored.outcomes[0].submission_id


def published(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """What the dashboard and analysts read: the snapshot."""
    with duckdb.connect(str(snapshot.snapshot_path(db_path)), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def plan_q2_score(db_path: Path, schema: str = "main") -> float:
    (score,), = published(db_path, f"SELECT score FROM {schema}.unit_scores "  # noqa: S608
                                   "WHERE unit_code = 'PLAN' AND fiscal_year = 2568 AND quarter = 2")
    return score


def state(db_path: Path, submission_id: int) -> tuple:
    return query(db_path, "SELECT approval_status, approved_by, is_latest, is_counted FROM submissions "
                          "WHERE submission_id = ?", [submission_id])[0]


def audit_rows(db_path: Path, action: str) -> list[tuple]:
    return query(db_path, "SELECT actor, outcome, unit_code, fiscal_year, quarter, detail FROM audit_event "
                          "WHERE action = ? ORDER BY event_id", [action])


# --- approval off: as before ---------------------------------------------------------------------


def test_with_approval_off_every_version_counts_as_before(site: Path) -> None:
    submission_id = submit_plan_q2(site, 90)
    assert state(site, submission_id) == ("not_required", None, True, True)
    assert math.isclose(plan_q2_score(site), SUBMITTED, rel_tol=1e-6)
    every = "SELECT * FROM {}.{} ORDER BY ALL"
    for view in ("unit_scores", "dimension_scores", "pmqa_coverage", "kpi_results"):
        assert published(site, every.format("include_submitted", view)) == published(site, every.format("main", view))
    assert query(site, "SELECT count(*) FROM submission_review") == [(0,)]


@pytest.fixture(scope="module")
def demo_at_011(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo as the product built it before migration 012 (today's code with the migrations up to 011)."""
    root = tmp_path_factory.mktemp("demo_011")
    every_migration = db.migration_files
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "migration_files", lambda: [m for m in every_migration() if m[0] <= 11])
        code_before_012(patch)
        patch.setattr(workflows, "load_strategy_file", lambda *args, **kwargs: SimpleNamespace(stored=True))
        assert cli.main(["--db", str(root / "bsc.duckdb"), "demo", "--demo-dir", str(root / "demo")]) == 0
    return root / "bsc.duckdb"


def rounded(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {name: [tuple(round(value, 9) if isinstance(value, float) else value for value in row) for row in rows]
            for name, rows in tables.items()}


def test_a_demo_database_before_012_upgrades_keeping_every_row_and_score(demo_at_011: Path) -> None:
    tables = ("org_unit", "kpi", "kpi_owner", "submission", "submission_value", "kpi_result", "kpi_result_total")
    views = ("unit_scores", "dimension_scores", "kpi_results", "pmqa_coverage")
    with db.open_db(demo_at_011) as con:
        assert db.schema_version(con) < 12
        before = {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in tables + views}  # noqa: S608
        assert len(before["submission"]) > 50
        assert db.migrate(con)[0] == "012_approval.sql"  # and the migrations after it
        after = {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in tables + views}  # noqa: S608
        assert rounded(after) == rounded(before)  # the scores up to the order DuckDB adds them up in
        statuses = con.execute("SELECT approval_status, count(*) = sum(is_counted::INTEGER + (NOT is_latest)::INTEGER) "
                               "FROM submissions GROUP BY ALL").fetchall()
        assert statuses == [("not_required", True)]  # every version needs no approval; the latest one counts
    assert cli.main(["--db", str(demo_at_011), "snapshot"]) == 0
    assert cli.main(["--db", str(demo_at_011), "check"]) == 0
    assert rounded({"scores": published(demo_at_011, "SELECT * FROM unit_scores ORDER BY ALL")}) == rounded(
        {"scores": before["unit_scores"]})


# --- approval on: submitted, returned, corrected, approved -----------------------------------------


def test_submitted_returned_corrected_and_approved(site: Path) -> None:
    assert require_approval(site) == []
    first = submit_plan_q2(site, 90)
    assert state(site, first) == ("submitted", None, True, False)
    # the scored views keep the approved figures; the switch's schema shows the waiting version
    assert math.isclose(plan_q2_score(site), ORIGINAL, rel_tol=1e-6)
    assert math.isclose(plan_q2_score(site, "include_submitted"), SUBMITTED, rel_tol=1e-6)
    with db.open_db(site, read_only=True) as con:
        queue = approval.review_queue(con)
        diff = approval.review_diff(con, first).set_index("kpi_code")
    assert list(queue["submission_id"]) == [first]
    assert (diff.loc["P-01", "old_actual"], diff.loc["P-01", "new_actual"]) == (72.5, 90)
    assert (diff.loc["P-01", "old_score"], diff.loc["P-01", "new_score"]) == (3.25, 5)

    returned = approval.return_submission(site, first, {"P-01": REASON, "P-02": "  "}, user=user(site, "rev"))
    assert returned.stored and returned.snapshot_error is None
    assert state(site, first)[0] == "returned"
    assert math.isclose(plan_q2_score(site, "include_submitted"), ORIGINAL, rel_tol=1e-6)
    with db.open_db(site, read_only=True) as con:
        notice = approval.return_notice(con, *PLAN_Q2)
        tasks = approval.returned_versions(con, auth.get_user(con, "plan.head"))
        assert approval.returned_versions(con, ["LAW"]).empty
    assert [(code, reason) for code, _, _, reason in notice.reasons] == [("P-01", REASON)]
    assert notice.returned_by == "rev"
    assert list(zip(tasks["unit_code"], tasks["quarter"], tasks["reason_count"], strict=True)) == [("PLAN", 2, 1)]

    second = submit_plan_q2(site, 85)
    assert state(site, second) == ("submitted", None, True, False)
    with db.open_db(site, read_only=True) as con:
        assert approval.return_notice(con, *PLAN_Q2) is None  # the new version answers the return
    approved = approval.approve_submission(site, second, user=user(site, "rev"))
    assert approved.stored and approved.snapshot_error is None
    assert state(site, second) == ("approved", "rev", True, True)
    assert math.isclose(plan_q2_score(site), CORRECTED, rel_tol=1e-6)
    counted = "SELECT DISTINCT version FROM kpi_results WHERE unit_code = 'PLAN' AND quarter = 2"
    assert published(site, counted) == [(3,)]
    assert published(site, "SELECT approval_status FROM submissions WHERE submission_id = ?", [second]) == [
        ("approved",)]

    assert [row[:2] for row in audit_rows(site, "approval_setting")] == [("admin", "success")]
    assert audit_rows(site, "submission_return") == [("rev", "success", *PLAN_Q2, f"version 2; P-01: {REASON}")]
    assert audit_rows(site, "submission_approve") == [("rev", "success", *PLAN_Q2, "version 3")]
    assert cli.main(["--db", str(site), "check"]) == 0  # the kept tables equal their views, the snapshot is current


def test_a_version_superseded_before_review_can_no_longer_be_decided(site: Path) -> None:
    require_approval(site)
    first, second = submit_plan_q2(site, 90), submit_plan_q2(site, 85)
    assert state(site, first)[0] == "superseded"
    refused = approval.approve_submission(site, first, user=user(site, "rev"))
    assert not refused.stored and refused.problems[0].field == "approval_status"
    assert state(site, second)[0] == "submitted"
    assert [row[1] for row in audit_rows(site, "submission_approve")] == ["rejected"]


def test_a_returned_file_may_be_sent_again_as_it_was(site: Path) -> None:
    require_approval(site)
    first = submit_plan_q2(site, 90)
    approval.return_submission(site, first, {"P-01": REASON}, user=user(site, "rev"))
    again = submit_plan_q2(site, 90)  # the same bytes: a new version all the same, waiting for review again
    assert again != first and state(site, again)[0] == "submitted"


@pytest.mark.parametrize("username", ["plan.head", "boss", "ana"])
def test_only_a_reviewer_or_an_admin_may_decide_on_the_server(site: Path, username: str) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    for decide in (lambda: approval.approve_submission(site, waiting, user=user(site, username)),
                   lambda: approval.return_submission(site, waiting, {"P-01": REASON}, user=user(site, username))):
        refused = decide()
        assert not refused.stored and refused.problems[0].field == "role"
        assert "ไม่มีสิทธิ์" in refused.problems[0].reason_th
    assert state(site, waiting)[0] == "submitted"
    assert [row[:2] for row in audit_rows(site, "submission_approve") + audit_rows(site, "submission_return")] == [
        (username, "refused"), (username, "refused")]
    with db.open_db(site) as con:  # a reviewer whose role was taken away meanwhile is refused too
        assert auth.update_user(con, "rev", display_name="rev", role="analyst", unit_code=None, email=None,
                                by="admin") == []
    reviewer_then = auth.User("rev", "rev", "reviewer", None, None, False)
    assert approval.approve_submission(site, waiting, user=reviewer_then).problems[0].field == "role"
    assert approval.approve_submission(site, waiting, user=user(site, "admin")).stored


def test_a_return_needs_a_reason_for_a_kpi_of_the_version(site: Path) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    reviewer = user(site, "rev")
    assert approval.return_submission(site, waiting, {"P-01": " "}, user=reviewer).problems[0].field == "reason"
    assert approval.return_submission(site, waiting, {"L-01": REASON}, user=reviewer).problems[0].field == "kpi_code"
    assert state(site, waiting)[0] == "submitted"
    assert query(site, "SELECT count(*) FROM submission_return_reason") == [(0,)]


def test_a_setting_whose_audit_row_fails_stores_nothing(site: Path, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue("audit_fails")
    with pytest.raises(OSError):
        require_approval(site)
    assert query(site, "SELECT count(*) FROM approval_setting") == [(0,)]


def test_a_failed_audit_row_leaves_the_version_waiting(site: Path, request: pytest.FixtureRequest) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    request.getfixturevalue("audit_fails")
    with pytest.raises(OSError):
        approval.approve_submission(site, waiting, user=user(site, "rev"))
    with pytest.raises(OSError):
        approval.return_submission(site, waiting, {"P-01": REASON}, user=user(site, "rev"))
    assert state(site, waiting)[0] == "submitted"
    assert query(site, "SELECT count(*) FROM submission_return_reason") == [(0,)]
    assert math.isclose(plan_q2_score(site), ORIGINAL, rel_tol=1e-6)


def test_approval_cannot_be_turned_off_while_versions_wait(site: Path) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    problems = require_approval(site, False)
    assert problems and problems[0].field == "approval_required"
    approval.approve_submission(site, waiting, user=user(site, "rev"))
    assert require_approval(site, False) == []
    assert state(site, submit_plan_q2(site, 85))[0] == "not_required"


# --- publish: the snapshot and the forecasts follow each decision ----------------------------------


def every_view(path: Path) -> dict[str, list[tuple]]:
    names = [*PUBLIC_VIEWS, *(f"include_submitted.{name}" for name in db.INCLUDE_SUBMITTED_COPIES)]
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names}  # noqa: S608


def test_a_decision_publishes_only_its_quarter_and_the_forecasts_follow(site: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    with duckdb.connect(str(site), read_only=True) as con:
        forecasts_before = con.execute("SELECT * FROM kpi_forecasts ORDER BY ALL").fetchall()
    copied_whole = []
    build = snapshot._build
    monkeypatch.setattr(snapshot, "_build", lambda *args: copied_whole.append(args) or build(*args))
    assert approval.approve_submission(site, waiting, user=user(site, "rev")).stored
    assert copied_whole == []  # the approved quarter's rows replaced in the published copy, nothing else copied
    assert every_view(snapshot.snapshot_path(site)) == every_view(site)
    with duckdb.connect(str(site), read_only=True) as con:
        forecasts = con.execute("SELECT * FROM kpi_forecasts ORDER BY ALL").fetchall()
        computed = forecast.all_forecasts(con)[queries.FORECAST_COLUMNS]
    assert forecasts == sorted(tuple(row) for row in computed.itertuples(index=False))
    assert forecasts != forecasts_before  # PLAN's projections now rest on the approved Q2


# --- the pages -----------------------------------------------------------------------------------


def review_page(db_path: Path) -> AppTest:
    app = signed_in(page("review.py"), db_path, "rev")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_review_page_approves_the_chosen_version(site: Path) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    app = review_page(site)
    assert any("1" in text for text in texts(app, "subheader"))
    diff = next(frame.value for frame in app.dataframe if "old_actual" in frame.value.columns)
    assert list(diff["kpi_code"]) == ["P-01", "P-02"]
    next(button for button in app.button if button.label == "อนุมัติ").click()
    app.run()
    assert not app.exception
    assert state(site, waiting)[:2] == ("approved", "rev")
    assert any("อนุมัติ" in text for text in texts(app, "success"))
    assert texts(app, "info") == ["ไม่มีผลการดำเนินงานรอการตรวจสอบ"]


def test_review_page_returns_with_a_reason_and_the_division_head_reads_it(site: Path) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    app = review_page(site)
    app.text_input(key=f"reason_{waiting}_P-01").set_value(REASON)
    next(button for button in app.button if button.label == "ส่งคืนให้แก้ไข").click()
    app.run()
    assert not app.exception
    assert state(site, waiting)[0] == "returned"
    upload = signed_in(page("upload.py"), site, "plan.head")
    upload.run()
    upload.selectbox(key="upload_fiscal_year").set_value(2568)
    upload.selectbox(key="upload_quarter").set_value(2)
    upload.run()
    assert any(REASON in text and "P-01" in text for text in texts(upload, "error"))
    assert not any("รอการตรวจสอบ" in text for text in texts(upload, "info"))
    second = submit_plan_q2(site, 85)
    upload.run()
    assert not any(REASON in text for text in texts(upload, "error"))  # answered by the new version
    assert any("ฉบับที่ 3 รอการตรวจสอบ" in text for text in texts(upload, "info"))
    assert audit_rows(site, "upload")[-1][-1].endswith(", waiting for review")
    assert state(site, second)[0] == "submitted"


def test_review_page_without_a_decision_says_what_is_missing(site: Path) -> None:
    require_approval(site)
    waiting = submit_plan_q2(site, 90)
    app = review_page(site)
    next(button for button in app.button if button.label == "ส่งคืนให้แก้ไข").click()
    app.run()
    assert any("อย่างน้อยหนึ่งตัวชี้วัด" in text for text in texts(app, "error"))
    assert state(site, waiting)[0] == "submitted"


def test_the_sidebar_switch_shows_the_waiting_figures_with_a_marker(site: Path) -> None:
    require_approval(site)
    submit_plan_q2(site, 90)
    app = AppTest.from_file(str(APP), default_timeout=60)
    with db.open_db(site) as con:
        app.session_state["auth_session_id"] = auth.start_session(con, "boss")
    app.query_params.update({"fy": "2568", "q": "2", "unit": "PLAN"})
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.metric[0].value == "3.0167"
    assert any("รอการตรวจสอบ" in text for text in texts(app, "caption"))
    app.toggle(key="filter_include_submitted").set_value(True).run()
    assert not app.exception
    assert app.metric[0].value == "4.0667"
    assert any("ยังไม่อนุมัติ" in text for text in texts(app, "markdown"))


def test_the_admin_requires_approval_on_the_periods_page(site: Path) -> None:
    app = signed_in(page("admin_periods.py"), site, "admin")
    app.run()
    app.selectbox(key="period_year").set_value(2568).run()
    app.checkbox(key="approval_required_2568").check()
    next(button for button in app.button if button.label == "บันทึกการตั้งค่า").click()
    app.run()
    assert not app.exception
    assert texts(app, "success") == ["บันทึกการตั้งค่าการอนุมัติของปีงบประมาณ 2568 แล้ว"]
    assert query(site, "SELECT approval_required, updated_by FROM approval_setting") == [(True, "admin")]
    assert [row[:4] for row in audit_rows(site, "approval_setting")] == [("admin", "success", None, 2568)]
    assert state(site, submit_plan_q2(site, 90))[0] == "submitted"
