"""Org-unit files: validate, then upsert in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines import queries, results
from pipelines.db import bump_generation, transaction
from pipelines.parsing import clean_text, parse_org_level
from pipelines.problems import Problem
from pipelines.tables import ORG_COLUMNS, read_table


@dataclass(frozen=True)
class OrgUnit:
    code: str
    name_th: str
    name_en: str
    parent_code: str | None
    level: str


def validate_orgs(file_name: str, data: bytes, existing_codes: set[str]) -> tuple[list[OrgUnit], list[Problem]]:
    table, collector = read_table(file_name, data, ORG_COLUMNS, {"code": "รหัสหน่วยงาน", "name_th": "ชื่อหน่วยงาน"})
    if table is None:
        return [], collector.problems
    units: list[OrgUnit] = []
    rows_by_code: dict[str, int] = {}
    for row_number, cells in table.data_rows():
        header = table.headers
        code = clean_text(table.cell(cells, "code"))
        name_th = clean_text(table.cell(cells, "name_th"))
        if not code:
            collector.add(row_number, header["code"], "", "ไม่มีรหัสหน่วยงาน", "missing unit code", "code")
            continue
        if collector.repeated(rows_by_code, code, row_number, header["code"], code, "code", "รหัสหน่วยงานซ้ำกับแถว {row}",
                              "duplicate unit code (also on row {row})"):
            continue
        if not name_th:
            collector.add(row_number, header["name_th"], "", "ไม่มีชื่อหน่วยงาน", "missing Thai name", "name_th")
        raw_level = table.cell(cells, "level")
        try:
            level = parse_org_level(raw_level) if clean_text(raw_level) else "division"
        except ValueError:
            collector.add(row_number, header.get("level", "level"), raw_level,
                          "ระดับหน่วยงานต้องเป็น agency, division, group หรือ individual",
                          "level must be agency, division, group or individual", "level")
            continue
        parent = clean_text(table.cell(cells, "parent_code")) or None
        units.append(OrgUnit(code, name_th, clean_text(table.cell(cells, "name_en")), parent, level))
    if not units and not collector:
        collector.whole_file("ไม่มีแถวข้อมูล", "no data rows")
    known = existing_codes | set(rows_by_code)
    for unit in units:
        if unit.parent_code and unit.parent_code not in known:
            collector.add(rows_by_code[unit.code], table.headers.get("parent_code", "parent_code"), unit.parent_code,
                          "ไม่พบหน่วยงานต้นสังกัดนี้", "unknown parent unit", "parent_code")
    for code in _codes_in_cycles(units):
        collector.add(rows_by_code[code], table.headers.get("parent_code", "parent_code"), code,
                      "ต้นสังกัดวนกลับมาที่หน่วยงานเดิม", "the parent chain loops back to this unit", "parent_code")
    return units, collector.problems


def _codes_in_cycles(units: list[OrgUnit]) -> list[str]:
    parent_of = {unit.code: unit.parent_code for unit in units}
    looping = []
    for start in parent_of:
        seen = {start}
        current = parent_of.get(start)
        while current in parent_of:
            if current in seen:
                looping.append(start)
                break
            seen.add(current)
            current = parent_of.get(current)
    return looping


def unit_codes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The code of every stored org unit: what a new org file's parents and a catalogue's owners may name."""
    return {row[0] for row in con.execute(queries.ORG_UNIT_CODES).fetchall()}


def save_orgs(con: duckdb.DuckDBPyConnection, units: list[OrgUnit]) -> None:
    """Insert new units and update existing ones; units missing from the file are kept."""
    with transaction(con):
        bump_generation(con)
        next_order = con.execute(queries.NEXT_ORG_SORT_ORDER).fetchone()[0]
        for offset, unit in enumerate(units):
            values = [unit.name_th, unit.name_en, unit.parent_code, unit.level, unit.code]
            # the count of rows updated, not RETURNING: DuckDB runs an UPDATE ... RETURNING as a delete and an
            # insert, which the foreign keys onto org_unit (migration 008) refuse for a unit that owns KPIs
            if con.execute(queries.UPDATE_ORG_UNIT, values).fetchone()[0]:
                continue
            con.execute(queries.INSERT_ORG_UNIT, [unit.code, *values[:4], next_order + offset])
        results.refresh_org_tree(con)
