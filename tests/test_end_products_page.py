"""The End Products page (ผลผลิตขั้นสุดท้าย): every contributing unit's part and status, who holds the End Product back,
and the hand-offs as a Sankey; hand-checked on a small strategy (tests/strategy_pages_support.py) and on the demo."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from pipelines import auth, strategy_pages
from tests.strategy_pages_support import add_executive, figures, frames, load_small_strategy, open_page, shown


def view(db_path: Path, quarter: int, unit: str = "AG") -> strategy_pages.EndProductsView:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return strategy_pages.end_products_view(con, 2568, quarter, unit)


def parts(found: strategy_pages.EndProductsView) -> list[tuple]:
    return [(row.unit_code, row.part, row.key_results, None if math.isnan(row.score) else round(row.score, 6),
             row.status) for row in found.units.itertuples()]


@pytest.fixture
def small(sample_db: Path) -> Path:
    load_small_strategy(sample_db)
    return sample_db


def test_each_units_part_is_the_weighted_score_of_the_key_results_it_owns(small: Path) -> None:
    """Q2: KR1 (PLAN, P-01) = 3.25, KR2 (LAW, L-01) = 3; AG's part has no key result."""
    q2 = view(small, 2)
    assert parts(q2) == [("PLAN", "จัดทำแผน", ["KR1"], 3.25, "on_track"),
                         ("LAW", "ยกร่างกฎหมาย", ["KR2"], 3.0, "on_track"),
                         ("AG", "กำกับติดตาม", [], None, "not_reported")]
    product = q2.end_products.iloc[0]
    assert product["score"] == pytest.approx((2 * 3.25 + 1 * 3) / 3)  # End Product weights KR1 2, KR2 1
    assert (product["status"], product["reported_weight_pct"], product["key_result_count"]) == ("on_track", 100, 2)
    held = strategy_pages.holding_back(q2.units)
    assert (held.unit_code, held.unscored) == (None, ["AG"])


def test_the_lowest_contributor_below_the_target_holds_the_end_product_back(small: Path) -> None:
    """Q1: only P-01 (2.1) is reported: PLAN's part is at risk, LAW has no score yet."""
    q1 = view(small, 1)
    assert parts(q1)[:2] == [("PLAN", "จัดทำแผน", ["KR1"], 2.1, "at_risk"), ("LAW", "ยกร่างกฎหมาย", ["KR2"], None,
                                                                           "not_reported")]
    product = q1.end_products.iloc[0]
    assert (round(product["score"], 6), product["status"]) == (2.1, "at_risk")
    assert product["reported_weight_pct"] == pytest.approx(100 * 2 / 3)
    held = strategy_pages.holding_back(q1.units)
    assert (held.unit_code, held.score, held.status, held.unscored) == ("PLAN", 2.1, "at_risk", ["LAW", "AG"])


def test_a_handoff_wears_the_givers_status_in_its_end_product_or_the_givers_own(small: Path) -> None:
    q1 = view(small, 1)
    assert [(r.from_unit, r.to_unit, r.what, r.end_product_code, r.from_status) for r in q1.handoffs.itertuples()] == [
        ("PLAN", "LAW", "ร่างแผน", "EP1", "at_risk"),
        ("LAW", "PLAN", "ความเห็นทางกฎหมาย", "EP1", "not_reported"),
        ("LAW", "AG", "รายงานผล", None, "not_reported")]  # LAW's own KPIs: nothing reported in Q1
    assert view(small, 2).handoffs["from_status"].tolist() == ["on_track", "on_track", "on_track"]


def test_a_unit_sees_the_end_products_it_contributes_to(small: Path) -> None:
    assert view(small, 2, "PLAN").end_products["end_product_code"].tolist() == ["EP1"]
    with duckdb.connect(str(small)) as con:
        con.execute("DELETE FROM end_product_unit WHERE unit_code = 'PLAN'")
    assert view(small, 2, "PLAN").end_products.empty
    assert view(small, 2, "PLAN").handoffs["what"].tolist() == []


# --- the page on the demo ------------------------------------------------------------------------------------


@pytest.fixture
def demo_site(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    return demo_db


def demo_parts_by_hand(db_path: Path) -> dict[str, float]:
    """Each EP1 unit's part from okr_progress by hand: the mean of its key results' Q2 scores (weights 1)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        scores = dict(con.execute("SELECT key_result_code, score FROM okr_progress WHERE fiscal_year = 2568 "
                                  "AND quarter = 2 AND key_result_code IS NOT NULL").fetchall())
    return {"NCFC": (scores["KR1.1"] + scores["KR1.2"]) / 2, "ICT": scores["KR1.3"], "JDC": scores["KR1.4"]}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_demo_end_products_page_shows_parts_side_by_side_and_who_holds_ep1_back(demo_site: Path, lang: str,
                                                                                     monkeypatch) -> None:
    app = open_page(monkeypatch, demo_site, "executive", "end_products", lang=lang, fy="2568", q="2")
    by_hand = demo_parts_by_hand(demo_site)
    assert by_hand["NCFC"] == pytest.approx(1.261875)  # KR1.1 0.88, KR1.2 1.64375: the lowest of the three
    table = frames(app)[-1]
    unit_column = "หน่วยงาน" if lang == "th" else "Unit"
    code_column = "รหัสหน่วยงาน" if lang == "th" else "Unit code"
    ep1 = table[table[table.columns[0]] == "EP1"]
    assert ep1[code_column].tolist() == ["NCFC", "ICT", "JDC"]
    score_column = "คะแนน" if lang == "th" else "Score"
    assert ep1[score_column].tolist() == [f"{by_hand[code]:.4f}" for code in ("NCFC", "ICT", "JDC")]
    text = shown(app)
    held = ("ผลผลิตนี้ติดอยู่ที่ NCFC ศูนย์พยากรณ์อาชญากรรมแห่งชาติ (ศอช.): คะแนน 1.2619 (ต่ำกว่าเป้าหมาย)" if lang == "th"
            else "Held back by NCFC")
    assert held in text
    assert ("ยังไม่มีคะแนนของ: NET" if lang == "th" else "No score yet for: NET") in text  # EP2: NET has no Q2 score
    assert unit_column in table.columns


def sankeys(app) -> list[dict]:
    return [trace for figure in figures(app) for trace in figure["data"] if trace["type"] == "sankey"]


def test_the_demo_ep1_sankey_has_its_three_handoffs_coloured_by_the_giver(demo_site: Path, monkeypatch) -> None:
    app = open_page(monkeypatch, demo_site, "executive", "end_products", lang="th", fy="2568", q="2")
    ep1 = sankeys(app)[0]
    labels, links = ep1["node"]["label"], ep1["link"]
    whats = ["ชุดข้อมูลสถิติอาชญากรรมที่ตรวจสอบแล้ว", "ข้อมูลคดีที่เชื่อมโยงจากหน่วยงานยุติธรรม (API)",
             "แบบจำลองพยากรณ์สำหรับติดตั้งบนแอปพลิเคชัน"]
    assert ep1["node"]["customdata"] == [
        "JDC · ศูนย์พัฒนาข้อมูลกระบวนการยุติธรรม", "ICT · ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร (ศทส.)",
        "NCFC · ศูนย์พยากรณ์อาชญากรรมแห่งชาติ (ศอช.)", *whats,
        "NCFC · ศูนย์พยากรณ์อาชญากรรมแห่งชาติ (ศอช.)", "ICT · ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร (ศทส.)"]
    assert labels[:6] == ep1["node"]["customdata"][:6]  # givers and what they hand over, in full
    assert labels[6:] == ["NCFC · ศูนย์พยากรณ์อา…", "ICT · ศูนย์เทคโนโลยีส…"]  # 22 characters
    # giver -> what -> receiver: JDC -> NCFC, ICT -> NCFC, NCFC -> ICT
    assert list(zip(links["source"], links["target"], strict=True)) == [(0, 3), (3, 6), (1, 4), (4, 6), (2, 5), (5, 7)]
    # JDC at risk, ICT on track, NCFC off track (their parts of EP1)
    assert links["color"] == ["rgba(249,168,37,0.45)"] * 2 + ["rgba(46,125,50,0.45)"] * 2 + ["rgba(198,40,40,0.45)"] * 2
    assert len(sankeys(app)) == 3  # EP1, EP2, and the hand-off of no End Product (NCFC -> JPP)


def test_a_unit_with_no_end_product_is_told_so(demo_site: Path, monkeypatch) -> None:
    app = open_page(monkeypatch, demo_site, "executive", "end_products", lang="en", fy="2568", q="2", unit="SEC")
    assert "contributes to no End Product of the fiscal year 2568 strategy" in shown(app)
    assert not figures(app)


def test_every_role_may_open_the_page_and_each_download_holds_its_rows(demo_site: Path, monkeypatch) -> None:
    user = add_executive(demo_site)
    app = open_page(monkeypatch, demo_site, user, "end_products", lang="en", fy="2568", q="2")
    buttons = [button.proto.label for button in app.get("download_button")]
    assert buttons.count("Download CSV") == 4  # three Sankeys and the parts table
