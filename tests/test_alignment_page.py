"""The Alignment page (ความสอดคล้องกับแผน) and the PMQA page's 3:1:3 view per objective: shares hand-computed on the
small strategy of tests/strategy_pages_support.py, the KPIs serving no objective, and both pages on the demo."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import auth, strategy_pages
from tests.strategy_pages_support import figures, frames, load_small_strategy, open_page, shown


@pytest.fixture
def small(sample_db: Path) -> Path:
    load_small_strategy(sample_db)
    return sample_db


def alignment(db_path: Path, unit: str = "AG") -> strategy_pages.AlignmentView:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return strategy_pages.alignment_view(con, 2568, unit)


def shares(found: strategy_pages.AlignmentView) -> dict[str, tuple[int, float, float]]:
    return {row.plan_code: (row.kpi_count, row.weight, round(row.weight_share_pct, 9))
            for row in found.plan_items.itertuples()}


def test_each_plan_items_share_counts_each_kpi_of_a_unit_once(small: Path) -> None:
    """Weights 200 in all: P-01 (60) reaches NS1 through KR1 -> O1 -> AP1 -> MP1; L-01 (100) reaches AP1 twice (O1
    and O3) and MP2 -> NS2 through O2; P-02 (40) serves nothing."""
    found = alignment(small)
    assert shares(found) == {
        "NS1": (2, 160.0, 80.0), "MP1": (2, 160.0, 80.0), "AP1": (2, 160.0, 80.0),  # not 260: L-01 counted once
        "NS2": (1, 100.0, 50.0), "MP2": (1, 100.0, 50.0)}
    assert (found.kpi_count, found.weight, found.objective_share_pct, found.plan_share_pct) == (3, 200.0, 80.0, 80.0)
    assert found.unserved[["kpi_code", "unit_code", "weight"]].values.tolist() == [["P-02", "PLAN", 40.0]]
    assert found.unserved_count == 1


def test_a_units_shares_are_of_its_own_weight(small: Path) -> None:
    found = alignment(small, "PLAN")
    assert shares(found)["NS1"] == (1, 60.0, 60.0) and shares(found)["NS2"] == (0, 0.0, 0.0)
    assert found.objective_share_pct == 60.0 and found.unserved["kpi_code"].tolist() == ["P-02"]


def test_an_objective_without_a_plan_item_serves_an_objective_but_no_plan(small: Path) -> None:
    with duckdb.connect(str(small)) as con:
        con.execute("UPDATE objective SET plan_code = NULL WHERE objective_code = 'O1'")
    found = alignment(small)
    assert shares(found)["NS1"] == (1, 100.0, 50.0)  # only L-01, through O3; P-01's O1 names no plan item now
    assert (found.objective_share_pct, found.plan_share_pct) == (80.0, 50.0)


def test_without_a_strategy_every_kpi_serves_no_objective(sample_db: Path) -> None:
    found = alignment(sample_db)
    assert found.plan_items.empty and found.objective_share_pct == 0.0
    assert found.unserved["kpi_code"].tolist() == ["P-01", "P-02", "L-01"]


def test_a_long_list_of_kpis_serving_no_objective_is_cut_and_counted(sample_db: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strategy_pages, "UNSERVED_LISTED", 2)
    found = alignment(sample_db)
    assert found.unserved["kpi_code"].tolist() == ["P-01", "P-02"] and found.unserved_count == 3
    with duckdb.connect(str(sample_db), read_only=True) as con:
        every = strategy_pages.alignment_unserved(con, 2568, "AG")
    assert every["kpi_code"].tolist() == ["P-01", "P-02", "L-01"]


def test_the_313_stages_of_each_objective_and_those_that_only_do(small: Path) -> None:
    """O1: KR1 gives 4, 6; KR2 gives none, so its KPI L-01's 1, 6 count. O2: KR3 2. O3: KR4 5 only."""
    with duckdb.connect(str(small), read_only=True) as con:
        stages = strategy_pages.objective_stages(con, 2568)
    assert stages[["objective_code", "think", "prepare", "do", "only_do"]].values.tolist() == [
        ["O1", [1], [], [4, 6], False], ["O2", [], [2], [], False], ["O3", [], [], [5], True]]
    assert [strategy_pages.stage_of(c) for c in range(1, 8)] == ["think", "prepare", "think", "do", "do", "do",
                                                                  "think"]


# --- the pages on the demo -----------------------------------------------------------------------------------


@pytest.fixture
def demo_site(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    return demo_db


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_demo_alignment_page(demo_site: Path, lang: str, monkeypatch) -> None:
    app = open_page(monkeypatch, demo_site, "executive", "alignment", lang=lang, fy="2568")
    with duckdb.connect(str(demo_site), read_only=True) as con:
        found = strategy_pages.alignment_view(con, 2568, "OJA")
        unserved = con.execute("SELECT count(*) FROM kpi_catalogue AS c WHERE fiscal_year = 2568 AND NOT EXISTS ("
                               "SELECT 1 FROM key_result_kpis AS m JOIN key_results AS k USING (fiscal_year, "
                               "key_result_code) WHERE m.fiscal_year = 2568 AND m.kpi_code = c.kpi_code "
                               "AND k.owner_unit = c.owner_code)").fetchone()[0]
    [bars] = figures(app)
    assert [trace["name"] for trace in bars["data"]] == (["ยุทธศาสตร์ชาติ", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"] if lang == "th"
                                                        else ["National strategy", "Master plan"])
    assert [y.split(" ")[0] for trace in bars["data"] for y in trace["y"]] == ["NS1", "NS6", "MP1", "MP20", "MP22"]
    assert [m.value for m in app.metric] == ["43", "58.0%", "58.0%"]  # 420 of the 1,000 weight serves nothing
    assert len(frames(app)[-1]) == len(found.unserved) == found.unserved_count == unserved == 19
    assert ("19 ตัวชี้วัด (42.0% ของน้ำหนัก)" if lang == "th" else "19 KPIs (42.0% of the weight)") in shown(app)
    items = frames(app)[0]
    assert items[items.columns[0]].tolist() == found.plan_items["plan_code"].tolist()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_demo_pmqa_page_names_the_objective_that_only_does(demo_site: Path, lang: str, monkeypatch) -> None:
    app = open_page(monkeypatch, demo_site, "executive", "pmqa", lang=lang, fy="2568", q="2")
    stages = frames(app)[-1]
    assert stages[stages.columns[0]].tolist() == ["OBJ1", "OBJ2", "OBJ3", "OBJ4", "OBJ5"]
    assert stages.iloc[2, 3:].tolist() == ["–", "–", "6"]  # OBJ3: both key results measured by category 6 only
    assert stages.iloc[3, 3:].tolist() == ["3, 7", "2", "4, 5, 6"]
    warnings = [w.value for w in app.warning if "OBJ" in w.value]
    assert warnings == ["OBJ3 บริหารงบประมาณและกระบวนงานอย่างมีประสิทธิภาพ: มีแต่ ทำ (หมวด 6) ไม่มี คิด หรือ เตรียม"
                        if lang == "th" else "OBJ3 Budget and processes run efficiently: only do (categories 6), "
                        "no think or prepare"]
