"""A catalogue reload may not drop a KPI (or take it from its owner) that measures a key result of that fiscal
year's strategy: refused in Thai and English naming the KPI and the key result, from the command line and the admin
page, and nothing changes. The small strategy of tests/strategy_pages_support.py: KR1 (PLAN) is measured by P-01,
KR2-KR4 (LAW) by L-01; P-02 measures nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import auth, workflows
from tests.accounts_support import add_accounts, page, query, signed_in, texts
from tests.strategy_pages_support import load_small_strategy
from tests.support import SAMPLES, run_cli

CATALOGUE = (SAMPLES / "catalogue_2568_th.csv").read_text(encoding="utf-8")
CSV_MIME = "text/csv"


def without(code: str) -> bytes:
    return "\n".join(line for line in CATALOGUE.splitlines() if f",{code}," not in line).encode() + b"\n"


def p01_owned_by_law() -> bytes:
    return CATALOGUE.replace(',"2,7",PLAN,', ',"2,7",LAW,').encode()


@pytest.fixture
def site(empty_catalogue_db: Path) -> Path:
    """The sample org and catalogue, no submission (so only the strategy can hold a KPI), the small strategy."""
    load_small_strategy(empty_catalogue_db)
    return empty_catalogue_db


STORED_CATALOGUE = "SELECT kpi_code, owner_code FROM kpi_owner WHERE fiscal_year = 2568 ORDER BY kpi_code"


@pytest.mark.parametrize(("data", "owner", "kpi", "key_results"), [
    (without("P-01"), "PLAN", "P-01", ["KR1"]),
    (p01_owned_by_law(), "PLAN", "P-01", ["KR1"]),
    (without("L-01"), "LAW", "L-01", ["KR2", "KR3", "KR4"]),
], ids=["dropped", "moved to another owner", "measuring three key results"])
def test_a_reload_dropping_a_kpi_a_key_result_uses_is_refused(site: Path, data: bytes, owner: str, kpi: str,
                                                               key_results: list[str]) -> None:
    before = query(site, STORED_CATALOGUE)
    loaded = workflows.load_catalogue_file(site, "catalogue_2568_v2.csv", data, by="planner")
    assert not loaded.stored and loaded.removed == []  # no submission references it: the strategy does
    assert [(p.value, p.reason_th, p.reason_en) for p in loaded.problems] == [
        (f"{owner} {kpi}",
         f"ตัวชี้วัด {kpi} ของ {owner} ถูกตัดออก แต่ยังใช้วัดผลลัพธ์หลัก {kr} ในแผนยุทธศาสตร์ปีงบประมาณ 2568 "
         "(แก้ไขแผนยุทธศาสตร์ก่อน)",
         f"removed KPI {kpi} of {owner} still measures key result {kr} of the fiscal year 2568 strategy (change the "
         "strategy first)") for kr in key_results]
    assert query(site, STORED_CATALOGUE) == before
    assert query(site, "SELECT actor, outcome FROM audit_event WHERE action = 'catalogue_load' "
                       "AND actor = 'planner'") == [("planner", "rejected")]


def test_a_reload_dropping_a_kpi_no_key_result_uses_is_stored(site: Path) -> None:
    loaded = workflows.load_catalogue_file(site, "catalogue_2568_v2.csv", without("P-02"))
    assert loaded.stored and loaded.problems == []
    assert query(site, STORED_CATALOGUE) == [("L-01", "LAW"), ("P-01", "PLAN")]


def test_the_cli_refuses_it_with_the_kpi_and_the_key_result(site: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "catalogue_2568_v2.csv"
    path.write_bytes(without("P-01"))
    assert run_cli(site, "catalogue", str(path)) == 1
    err = capsys.readouterr().err
    assert "ตัวชี้วัด P-01 ของ PLAN ถูกตัดออก แต่ยังใช้วัดผลลัพธ์หลัก KR1" in err
    assert "removed KPI P-01 of PLAN still measures key result KR1" in err


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_admin_page_refuses_it_at_the_preview(site: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    add_accounts(site)
    monkeypatch.setenv("BSC_DB", str(site))
    app = signed_in(page("admin_data.py"), site, "admin")
    app.query_params["lang"] = lang
    app.run()
    app.file_uploader(key="admin_catalogue_file").set_value([("catalogue_2568_v2.csv", without("P-01"), CSV_MIME)])
    app.run()
    assert texts(app, "error") == ["พบปัญหา 1 รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่" if lang == "th"
                                   else "1 problem(s) found; nothing was stored. Fix the file and upload it again"]
    reasons = [cell for frame in app.dataframe for cell in frame.value.iloc[:, -1].astype(str)]
    assert any(("ยังใช้วัดผลลัพธ์หลัก KR1" if lang == "th" else "still measures key result KR1") in r for r in reasons)
    assert not any(button.key == "confirm_catalogue" for button in app.button)
    assert query(site, "SELECT outcome FROM audit_log WHERE action = 'catalogue_load' AND channel = 'web'") == [
        ("rejected",)]
