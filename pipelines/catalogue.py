"""KPI catalogue files (DOMAIN §5): validate, then replace one fiscal year's catalogue in one transaction."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import duckdb

from pipelines import queries, results, scoring
from pipelines.db import bump_generation, insert_rows, transaction
from pipelines.parsing import (
    TOO_LARGE_EN,
    TOO_LARGE_TH,
    NumberTooLarge,
    clean_text,
    is_percent_unit,
    parse_dimension,
    parse_direction,
    parse_kind,
    parse_number,
    parse_pmqa,
    percent_cell_value,
)
from pipelines.problems import Problem, Warning_
from pipelines.tables import CATALOGUE_COLUMNS, file_fiscal_year, read_table

THRESHOLD_FIELDS = ("t1", "t2", "t3", "t4", "t5")


@dataclass(frozen=True)
class KpiDef:
    fiscal_year: int
    kpi_code: str
    name_th: str
    name_en: str
    dimension: str
    pmqa: tuple[int, ...]
    owners: tuple[str, ...]
    unit: str
    direction: str
    kind: str
    weight: float
    thresholds: tuple[float | None, ...]
    target: float | None

    def score(self, actual: float | None) -> float | None:
        return scoring.score_result(actual, self.thresholds, self.direction, self.kind)


@dataclass
class CatalogueFile:
    fiscal_year: int
    kpis: list[KpiDef]
    warnings: list[Warning_]


def split_codes(value: object) -> list[str]:
    return [code for code in re.split(r"[,;、\s]+", clean_text(value)) if code]


def validate_catalogue(
    file_name: str, data: bytes, unit_codes: set[str], fiscal_year: int | None = None
) -> tuple[CatalogueFile | None, list[Problem]]:
    table, collector = read_table(file_name, data, CATALOGUE_COLUMNS, {"kpi_code": "รหัสตัวชี้วัด", "dimension": "มิติ"})
    if table is None:
        return None, collector.problems
    for name, (th, en) in {"owner": ("หน่วยงานรับผิดชอบ", "owner"), "weight": ("น้ำหนัก", "weight")}.items():
        if name not in table.columns:
            collector.whole_file(f"ไม่มีคอลัมน์ {th}", f"missing column {en} ({th})")
    if collector:
        return None, collector.problems
    year = file_fiscal_year(table, collector, fiscal_year,
                            "ไฟล์เดียวต้องเป็นปีงบประมาณเดียว", "one catalogue file must hold one fiscal year",
                            "ไม่ระบุปีงบประมาณ (เพิ่มคอลัมน์ ปีงบประมาณ หรือใช้ --fiscal-year)",
                            "no fiscal year: add a fiscal_year column or use --fiscal-year")
    kpis = []
    first_row: dict[str, int] = {}
    for row_number, cells in table.data_rows():
        kpi = _validate_row(table, row_number, cells, year, unit_codes, collector)
        if kpi is None:
            continue
        if collector.repeated(first_row, kpi.kpi_code, row_number, table.headers["kpi_code"], kpi.kpi_code,
                              "kpi_code", "รหัสตัวชี้วัดซ้ำกับแถว {row}", "duplicate KPI code (also on row {row})"):
            continue
        kpis.append(kpi)
    if not kpis and not collector:
        collector.whole_file("ไม่มีแถวข้อมูล", "no data rows")
    if collector or year is None:
        return None, collector.problems
    return CatalogueFile(year, kpis, _weight_warnings(kpis)), []


def _number(table, row_number, cells, name, collector, percent_unit) -> float | None:
    raw = table.cell(cells, name)
    try:
        value = parse_number(raw)
        if value is not None and percent_unit and table.is_percent_cell(row_number, name) and isinstance(raw, float):
            value = percent_cell_value(value)
    except NumberTooLarge:
        collector.add(row_number, table.headers.get(name, name), raw, TOO_LARGE_TH, TOO_LARGE_EN, name)
        return None
    except ValueError:
        collector.add(row_number, table.headers.get(name, name), raw, "ไม่ใช่ตัวเลข", "not a number", name)
        return None
    return value


def _validate_row(table, row_number, cells, year, unit_codes, collector) -> KpiDef | None:
    headers = table.headers
    before = collector.count
    code = clean_text(table.cell(cells, "kpi_code"))
    if not code:
        collector.add(row_number, headers["kpi_code"], "", "ไม่มีรหัสตัวชี้วัด", "missing KPI code", "kpi_code")
        return None
    name_th = clean_text(table.cell(cells, "name_th"))
    if not name_th:
        collector.add(row_number, headers.get("name_th", "name_th"), "", "ไม่มีชื่อตัวชี้วัด", "missing KPI name",
                      "name_th")
    parsed = {}
    for name, parser, th, en in (
        ("dimension", parse_dimension, "มิติไม่ถูกต้อง ต้องเป็นหนึ่งในสี่มิติ BSC (ประสิทธิผล คุณภาพการให้บริการ "
         "ประสิทธิภาพ การพัฒนาองค์กร หรือ 1–4)", "unknown dimension: expected one of the four BSC dimensions or 1–4"),
        ("pmqa", parse_pmqa, "หมวด PMQA ต้องเป็นเลข 1–7 คั่นด้วยจุลภาค", "PMQA categories must be numbers 1–7, "
         "comma-separated"),
        ("kind", parse_kind, "ประเภทต้องเป็น numeric หรือ milestone (ขั้นตอน)", "kind must be numeric or milestone"),
    ):
        raw = table.cell(cells, name)
        try:
            parsed[name] = parser(raw)
        except ValueError:
            collector.add(row_number, headers.get(name, name), raw, th, en, name)
    kind = parsed.get("kind", "numeric")
    raw_direction = table.cell(cells, "direction")
    try:
        direction = parse_direction(raw_direction) if clean_text(raw_direction) or kind == "numeric" else "higher"
    except ValueError:
        collector.add(row_number, headers.get("direction", "direction"), raw_direction,
                      "ทิศทางต้องเป็น มากดี (higher) หรือ น้อยดี (lower)", "direction must be higher or lower",
                      "direction")
        direction = "higher"
    owners = split_codes(table.cell(cells, "owner"))
    if not owners:
        collector.add(row_number, headers["owner"], "", "ไม่ระบุหน่วยงานรับผิดชอบ", "missing owner", "owner")
    for owner in owners:
        if owner not in unit_codes:
            collector.add(row_number, headers["owner"], owner,
                          "ไม่พบหน่วยงานรับผิดชอบนี้ในโครงสร้างหน่วยงาน (โหลดไฟล์หน่วยงานก่อน)",
                          "unknown owner: not an org unit (load the org file first)", "owner")
    unit = clean_text(table.cell(cells, "unit"))
    percent_unit = is_percent_unit(unit)
    weight = _number(table, row_number, cells, "weight", collector, False)
    if weight is None or weight < 0:
        collector.add(row_number, headers["weight"], table.cell(cells, "weight"),
                      "น้ำหนักต้องเป็นตัวเลขไม่ติดลบ", "weight must be a number of at least 0", "weight")
    thresholds = tuple(_number(table, row_number, cells, name, collector, percent_unit) for name in THRESHOLD_FIELDS)
    target = _number(table, row_number, cells, "target", collector, percent_unit)
    if kind == "milestone":
        thresholds = (None,) * 5
    elif not scoring.thresholds_are_monotonic(thresholds, direction):
        order_th = "น้อยไปมาก" if direction == "higher" else "มากไปน้อย"
        order_en = "strictly increasing" if direction == "higher" else "strictly decreasing"
        column = headers.get("t1", "t1") + "–" + headers.get("t5", "t5")
        shown = "/".join("" if t is None else f"{t:g}" for t in thresholds)
        collector.add(row_number, column, shown,
                      f"เกณฑ์ระดับ 1–5 ต้องครบทั้งห้าค่าและเรียงจาก{order_th} (ทิศทาง {direction})",
                      f"thresholds t1..t5 must all be given and {order_en} for direction {direction}", "t1")
    if collector.count > before or year is None:
        return None
    return KpiDef(
        fiscal_year=year, kpi_code=code, name_th=name_th, name_en=clean_text(table.cell(cells, "name_en")),
        dimension=parsed["dimension"], pmqa=tuple(parsed["pmqa"]), owners=tuple(owners), unit=unit,
        direction=direction, kind=kind, weight=weight, thresholds=thresholds, target=target,
    )


def _weight_warnings(kpis: list[KpiDef]) -> list[Warning_]:
    totals: dict[str, float] = defaultdict(float)
    for kpi in kpis:
        for owner in kpi.owners:
            totals[owner] += kpi.weight
    return [
        Warning_(f"น้ำหนักรวมของ {owner} เท่ากับ {total:g} ไม่ใช่ 100", f"weights of {owner} sum to {total:g}, not 100")
        for owner, total in sorted(totals.items())
        if abs(total - 100) > 1e-6
    ]


def load_catalogue(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> dict[str, KpiDef]:
    """One fiscal year's catalogue keyed by KPI code, in catalogue order."""
    return _kpi_defs(con.execute(queries.SELECT_CATALOGUE, [fiscal_year]).fetchall(),
                     con.execute(queries.SELECT_OWNERS, [fiscal_year]).fetchall())


def catalogue_part(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, owners: Iterable[str], code_keys: Iterable[str] = ()
) -> dict[str, KpiDef]:
    """The part of one fiscal year's catalogue that a file of `owners` needs, in catalogue order, each KPI with all
    its owners: the KPIs one of them owns, and those whose code, compared as validation compares codes
    (upper case, without spaces), is one of `code_keys` (all KPIs with a non-ASCII code are included, as only
    Python compares those). At 5M results a unit's 25 KPIs, not the year's 625,000 KPI-owner rows."""
    codes = [row[0] for row in con.execute(queries.KPI_CODES_NEEDED,
                                           [fiscal_year, sorted(set(owners)), sorted(set(code_keys))]).fetchall()]
    return _kpi_defs(con.execute(queries.SELECT_KPIS, [fiscal_year, codes]).fetchall(),
                     con.execute(queries.SELECT_OWNERS_OF_KPIS, [fiscal_year, codes]).fetchall())


def _kpi_defs(rows: list[tuple], owner_rows: list[tuple]) -> dict[str, KpiDef]:
    owners: dict[str, list[str]] = defaultdict(list)
    for code, owner in owner_rows:
        owners[code].append(owner)
    catalogue = {}
    for row in rows:
        (year, code, name_th, name_en, dimension, pmqa, unit, direction, kind, weight,
         t1, t2, t3, t4, t5, target) = row
        catalogue[code] = KpiDef(
            year, code, name_th, name_en or "", dimension, tuple(pmqa), tuple(owners[code]), unit or "", direction,
            kind, weight, (t1, t2, t3, t4, t5), target,
        )
    return catalogue


_recent: dict[tuple[str, int], tuple[str, Mapping[str, KpiDef]]] = {}
"""(database, fiscal year) -> (fingerprint of its catalogue rows, the catalogue), least recently read first."""
RECENT_CATALOGUES = 16
_recent_lock = threading.Lock()


def recent_catalogue(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> Mapping[str, KpiDef]:
    """The catalogue as this process last read it while its rows are unchanged: a server validating upload after
    upload reads a 1,500-KPI catalogue once (10 ms), then only its fingerprint (a hash of every KPI and owner row
    of the year, 2 ms). The fingerprint alone decides, so a change by any writer is seen; read-only."""
    database = con.execute(queries.DATABASE_FILE).fetchone()[0]
    fingerprint = con.execute(queries.CATALOGUE_FINGERPRINT, [fiscal_year]).fetchone()[0]
    key = (database, fiscal_year)
    with _recent_lock:
        cached = _recent.get(key)
    if cached and cached[0] == fingerprint:
        catalogue = cached[1]
    else:
        catalogue = MappingProxyType(load_catalogue(con, fiscal_year))
    with _recent_lock:
        _recent.pop(key, None)
        _recent[key] = (fingerprint, catalogue)
        while len(_recent) > RECENT_CATALOGUES:
            _recent.pop(next(iter(_recent)))
    return catalogue


class Catalogues(Mapping[int, Mapping[str, KpiDef]]):
    """Every fiscal year's catalogue, each read from the database the first time a file asks for it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._years = [row[0] for row in con.execute(queries.CATALOGUE_YEARS).fetchall()]
        self._loaded: dict[int, Mapping[str, KpiDef]] = {}

    def __getitem__(self, fiscal_year: int) -> Mapping[str, KpiDef]:
        if fiscal_year not in self._years:
            raise KeyError(fiscal_year)
        if fiscal_year not in self._loaded:
            self._loaded[fiscal_year] = recent_catalogue(self._con, fiscal_year)
        return self._loaded[fiscal_year]

    def __iter__(self) -> Iterator[int]:
        return iter(self._years)

    def __len__(self) -> int:
        return len(self._years)


def referenced_removals(con: duckdb.DuckDBPyConnection, catalogue: CatalogueFile) -> list[tuple[str, str]]:
    """(unit, KPI) pairs that submissions reference but the new catalogue no longer has."""
    kept = {(owner, kpi.kpi_code) for kpi in catalogue.kpis for owner in kpi.owners}
    used = con.execute(queries.SUBMITTED_KPI_PAIRS, [catalogue.fiscal_year]).fetchall()
    return sorted(pair for pair in map(tuple, used) if pair not in kept)


def save_catalogue(
    con: duckdb.DuckDBPyConnection, catalogue: CatalogueFile, file_name: str, sha256: str, loaded_by: str | None
) -> None:
    """Replace the fiscal year's catalogue and re-score its stored values, all in one transaction."""
    year = catalogue.fiscal_year
    kpi_rows = [
        (year, k.kpi_code, k.name_th, k.name_en, k.dimension, list(k.pmqa), k.unit, k.direction, k.kind, k.weight,
         *k.thresholds, k.target, order)
        for order, k in enumerate(catalogue.kpis)
    ]
    owner_rows = [(year, k.kpi_code, owner) for k in catalogue.kpis for owner in k.owners]
    with transaction(con):
        bump_generation(con)
        con.execute(queries.DELETE_KPI_OWNERS, [year])
        con.execute(queries.DELETE_KPIS, [year])
        insert_rows(con, "kpi", queries.KPI_COLUMNS, kpi_rows)
        insert_rows(con, "kpi_owner", queries.KPI_OWNER_COLUMNS, owner_rows)
        con.execute(queries.INSERT_CATALOGUE_LOAD, [year, file_name, sha256, len(catalogue.kpis), loaded_by])
        rescore_fiscal_year(con, {k.kpi_code: k for k in catalogue.kpis}, year)
        results.refresh_year(con, year)


def rescore_fiscal_year(con: duckdb.DuckDBPyConnection, kpis: dict[str, KpiDef], fiscal_year: int) -> None:
    """Thresholds may have changed: recompute every stored score of the year with pipelines.scoring."""
    values = con.execute(queries.SELECT_VALUES_OF_YEAR, [fiscal_year]).fetchall()
    updates = []
    for submission_id, kpi_code, actual in values:
        kpi = kpis.get(kpi_code)
        score = kpi.score(actual) if kpi else None
        updates.append((submission_id, kpi_code, score, scoring.status_of(score)))
    if updates:
        con.execute(queries.CREATE_RESCORE_TEMP)
        insert_rows(con, "rescore", queries.RESCORE_COLUMNS, updates)
        con.execute(queries.APPLY_RESCORE)
        con.execute(queries.DROP_RESCORE_TEMP)
