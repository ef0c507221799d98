"""A small hand-built strategy over the sample organisation (AG with PLAN and LAW, FY 2568; tests/data/README.md has
the scores: Q1 P-01 = 2.1; Q2 P-01 = 3.25, P-02 = 2.6667, L-01 = 3), and the signed-in pages, for the End
Products, Alignment and PMQA 3:1:3 tests.

Catalogue weights: P-01 60 and P-02 40 (PLAN), L-01 100 (LAW): 200 in all. The strategy: plan items NS1 -> MP1 ->
AP1 and NS2 -> MP2; O1 (AP1) with KR1 (PLAN: P-01) and KR2 (LAW: L-01); O2 (MP2) with KR3 (LAW: L-01); O3 (AP1)
with KR4 (LAW: L-01), so L-01 reaches AP1 twice; P-02 measures no key result. End Product EP1 of O1: PLAN (KR1,
weight 2), LAW (KR2, weight 1) and AG (a part with no key result); hand-offs PLAN -> LAW and LAW -> PLAN within
EP1, LAW -> AG of no End Product.
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipelines import auth, db, workflows
from pipelines.strategy import strategy_workbook

SMALL_STRATEGY: dict[str, list[dict[str, object]]] = {
    "plan_items": [
        {"plan_code": "NS1", "name_th": "ยุทธศาสตร์ชาติด้านความมั่นคง", "name_en": "Security", "level": 1},
        {"plan_code": "MP1", "name_th": "แผนแม่บทความมั่นคง", "level": 2, "parent_code": "NS1"},
        {"plan_code": "AP1", "name_th": "แผนปฏิบัติราชการ", "level": 4, "parent_code": "MP1"},
        {"plan_code": "NS2", "name_th": "ยุทธศาสตร์ชาติด้านการบริหารจัดการภาครัฐ", "level": 1},
        {"plan_code": "MP2", "name_th": "แผนแม่บทกฎหมาย", "level": 2, "parent_code": "NS2"},
    ],
    "objectives": [
        {"objective_code": "O1", "fiscal_year": 2568, "name_th": "แผนงานส่งผลจริง", "name_en": "Plans that deliver",
         "dimension": 1, "plan_code": "AP1", "owner_unit": "PLAN"},
        {"objective_code": "O2", "fiscal_year": 2568, "name_th": "กฎหมายทันสมัย", "dimension": 4, "plan_code": "MP2",
         "owner_unit": "LAW"},
        {"objective_code": "O3", "fiscal_year": 2568, "name_th": "กฎหมายรองรับแผน", "dimension": 3,
         "plan_code": "AP1", "owner_unit": "LAW"},
    ],
    "key_results": [
        {"key_result_code": "KR1", "objective_code": "O1", "name_th": "โครงการตามแผน", "owner_unit": "PLAN",
         "pmqa": "4,6"},
        {"key_result_code": "KR2", "objective_code": "O1", "name_th": "กฎหมายรองรับแผน", "owner_unit": "LAW"},
        {"key_result_code": "KR3", "objective_code": "O2", "name_th": "ทบทวนกฎหมาย", "owner_unit": "LAW", "pmqa": 2},
        {"key_result_code": "KR4", "objective_code": "O3", "name_th": "ยกร่างกฎหมาย", "owner_unit": "LAW", "pmqa": 5},
    ],
    "key_result_kpis": [
        {"key_result_code": "KR1", "kpi_code": "P-01", "weight": 100},
        {"key_result_code": "KR2", "kpi_code": "L-01", "weight": 100},
        {"key_result_code": "KR3", "kpi_code": "L-01", "weight": 100},
        {"key_result_code": "KR4", "kpi_code": "L-01", "weight": 100},
    ],
    "end_products": [{"end_product_code": "EP1", "objective_code": "O1", "name_th": "แผนและกฎหมายที่ใช้ได้จริง"}],
    "end_product_units": [
        {"end_product_code": "EP1", "unit_code": "PLAN", "part": "จัดทำแผน"},
        {"end_product_code": "EP1", "unit_code": "LAW", "part": "ยกร่างกฎหมาย"},
        {"end_product_code": "EP1", "unit_code": "AG", "part": "กำกับติดตาม"},
    ],
    "end_product_key_results": [
        {"end_product_code": "EP1", "key_result_code": "KR1", "weight": 2},
        {"end_product_code": "EP1", "key_result_code": "KR2", "weight": 1},
    ],
    "handoffs": [
        {"from_unit": "PLAN", "to_unit": "LAW", "what": "ร่างแผน", "end_product_code": "EP1"},
        {"from_unit": "LAW", "to_unit": "PLAN", "what": "ความเห็นทางกฎหมาย", "end_product_code": "EP1"},
        {"from_unit": "LAW", "to_unit": "AG", "what": "รายงานผล"},
    ],
}


def load_small_strategy(db_path: Path) -> None:
    loaded = workflows.load_strategy_file(db_path, [("strategy_2568.xlsx", strategy_workbook(SMALL_STRATEGY))])
    assert loaded.stored, loaded.problems


APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


def open_page(monkeypatch, db_path: Path, username: str, page: str, **params: str) -> AppTest:
    """The app signed in as `username` (an account of db_path), switched to `page` with the query params."""
    monkeypatch.setenv("BSC_DB", str(db_path))
    app = AppTest.from_file(str(APP), default_timeout=60)
    with db.open_db(db_path) as con:
        app.session_state["auth_session_id"] = auth.start_session(con, username)
    app.query_params.update(params)
    app.run()
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def add_executive(db_path: Path, username: str = "exec.test") -> str:
    with db.open_db(db_path) as con:
        assert auth.add_user(con, username=username, role="executive", password="exec-pass-2568", by="test") == []
    return username


def figures(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def frames(app: AppTest) -> list:
    return [frame.value for frame in app.dataframe]


def shown(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [m.value for m in app.info] + [m.value for m in app.warning]
    parts += [m.value for m in app.error] + [m.value for m in app.success] + [m.value for m in app.caption]
    parts += [m.value for m in app.title] + [m.value for m in app.subheader]
    return "\n".join(parts)
