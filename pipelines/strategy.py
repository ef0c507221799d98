"""Strategy files (issue 13, docs/domain.md section 10): plan items, objectives, key results and the KPIs that
measure them, End Products with their units, hand-offs and cause-and-effect links, one fiscal year per file.

A strategy is one workbook with one sheet per table (English or Thai sheet names, `STRATEGY_TABLES`), or the same
tables as CSV files, one file per table named after it (`objectives.csv`, `2569_ผลลัพธ์หลัก.csv`). Every table is
read with the catalogue's reader (pipelines.tables) and every problem names file, sheet, row and column in Thai
and English. The file is refused whole when anything is wrong; `save_strategy` replaces the year's strategy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, astuple, dataclass, field, fields
from pathlib import PurePath

import duckdb

from pipelines import queries
from pipelines.catalogue import CatalogueFile, KpiDef
from pipelines.db import bump_generation, insert_rows, transaction
from pipelines.parsing import (
    NumberTooLarge,
    clean_text,
    parse_dimension,
    parse_number,
    parse_plan_level,
    parse_pmqa,
    parse_quarter,
    parse_thrust,
)
from pipelines.problems import Problem, ProblemCollector
from pipelines.readers import CSV_SHEET_NAME, RawSheet, UnreadableFile, read_sheets
from pipelines.tables import SUBMISSION_COLUMNS, Table, file_fiscal_year, find_table, normalise_header

WEIGHT_TOTAL = 100
"""The weights of one key result's KPIs add up to this."""

_NAME_TH = ("name_th", "name", "ชื่อ", "ชื่อภาษาไทย")
_NAME_EN = ("name_en", "english name", "ชื่อภาษาอังกฤษ")
_OBJECTIVE = ("objective_code", "objective", "รหัสวัตถุประสงค์", "วัตถุประสงค์")
_KEY_RESULT = ("key_result_code", "key_result", "kr_code", "kr", "รหัสผลลัพธ์หลัก", "ผลลัพธ์หลัก")
_END_PRODUCT = ("end_product_code", "end_product", "รหัสผลผลิตขั้นสุดท้าย", "รหัสผลผลิต", "ผลผลิตขั้นสุดท้าย")
_WEIGHT = ("weight", "น้ำหนัก", "ค่าน้ำหนัก")


@dataclass(frozen=True)
class TableSpec:
    name: str
    th: str
    sheet_names: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    required: dict[str, str]  # the fields the header row must name -> their Thai header, for the message


STRATEGY_TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("plan_items", "แผน", ("plan_items", "plan items", "plans", "แผน", "รายการแผน", "ความเชื่อมโยงกับแผน"), {
        "plan_code": ("plan_code", "code", "รหัสแผน", "รหัส"),
        "name_th": (*_NAME_TH, "ชื่อแผน"),
        "name_en": _NAME_EN,
        "level": ("level", "plan level", "ระดับ", "ระดับแผน"),
        "parent_code": ("parent_code", "parent", "รหัสแผนระดับบน", "แผนระดับบน", "ภายใต้"),
    }, {"plan_code": "รหัสแผน", "name_th": "ชื่อ"}),
    TableSpec("objectives", "วัตถุประสงค์", ("objectives", "วัตถุประสงค์", "เป้าประสงค์"), {
        "objective_code": ("objective_code", "code", "รหัสวัตถุประสงค์", "รหัส"),
        "fiscal_year": SUBMISSION_COLUMNS["fiscal_year"],
        "name_th": (*_NAME_TH, "ชื่อวัตถุประสงค์"),
        "name_en": _NAME_EN,
        "dimension": ("dimension", "bsc dimension", "มิติ", "มิติ bsc"),
        "plan_code": ("plan_code", "plan_item_code", "plan item", "plan", "รหัสแผน", "แผน"),
        "thrust": ("thrust", "policy thrust", "แนวทาง", "แนวทางขับเคลื่อน"),
        "owner_unit": ("owner_unit", "owner", "หน่วยงานรับผิดชอบ", "หน่วยงานเจ้าของ"),
        "owner_executive": ("owner_executive", "executive", "ผู้บริหารที่รับผิดชอบ", "ผู้บริหาร"),
    }, {"objective_code": "รหัสวัตถุประสงค์", "name_th": "ชื่อ"}),
    TableSpec("key_results", "ผลลัพธ์หลัก", ("key_results", "key results", "ผลลัพธ์หลัก"), {
        "key_result_code": ("key_result_code", "kr_code", "code", "รหัสผลลัพธ์หลัก", "รหัส"),
        "objective_code": _OBJECTIVE,
        "name_th": (*_NAME_TH, "ชื่อผลลัพธ์หลัก"),
        "name_en": _NAME_EN,
        "owner_unit": ("owner_unit", "owner", "หน่วยงานรับผิดชอบ"),
        "target": ("target", "target statement", "ค่าเป้าหมาย", "เป้าหมาย"),
        "due_quarter": ("due_quarter", "due", "ไตรมาสที่ครบกำหนด", "กำหนดเสร็จ"),
        "pmqa": ("pmqa", "pmqa category", "หมวด pmqa", "หมวด"),
        "weight": _WEIGHT,
    }, {"key_result_code": "รหัสผลลัพธ์หลัก", "objective_code": "รหัสวัตถุประสงค์"}),
    TableSpec("key_result_kpis", "ตัวชี้วัดของผลลัพธ์หลัก",
              ("key_result_kpis", "key result kpis", "kr_kpis", "ตัวชี้วัดของผลลัพธ์หลัก", "ตัวชี้วัดผลลัพธ์หลัก"), {
        "key_result_code": _KEY_RESULT,
        "kpi_code": ("kpi_code", "kpi", "รหัสตัวชี้วัด", "ตัวชี้วัด"),
        "weight": _WEIGHT,
    }, {"key_result_code": "รหัสผลลัพธ์หลัก", "kpi_code": "รหัสตัวชี้วัด", "weight": "น้ำหนัก"}),
    TableSpec("end_products", "ผลผลิตขั้นสุดท้าย", ("end_products", "end products", "ผลผลิตขั้นสุดท้าย"), {
        "end_product_code": ("end_product_code", "code", "รหัสผลผลิตขั้นสุดท้าย", "รหัสผลผลิต", "รหัส"),
        "objective_code": _OBJECTIVE,
        "name_th": (*_NAME_TH, "ชื่อผลผลิต"),
        "name_en": _NAME_EN,
    }, {"end_product_code": "รหัสผลผลิตขั้นสุดท้าย", "objective_code": "รหัสวัตถุประสงค์"}),
    TableSpec("end_product_units", "หน่วยงานร่วม",
              ("end_product_units", "end product units", "หน่วยงานร่วม", "หน่วยงานร่วมผลผลิต"), {
        "end_product_code": _END_PRODUCT,
        "unit_code": ("unit_code", "unit", "รหัสหน่วยงาน", "หน่วยงาน"),
        "part": ("part", "role", "contribution", "ส่วนที่รับผิดชอบ", "บทบาท"),
    }, {"end_product_code": "รหัสผลผลิตขั้นสุดท้าย", "unit_code": "หน่วยงาน"}),
    TableSpec("end_product_key_results", "ผลลัพธ์หลักของผลผลิต",
              ("end_product_key_results", "end product key results", "ผลลัพธ์หลักของผลผลิต"), {
        "end_product_code": _END_PRODUCT,
        "key_result_code": _KEY_RESULT,
        "weight": _WEIGHT,
    }, {"end_product_code": "รหัสผลผลิตขั้นสุดท้าย", "key_result_code": "รหัสผลลัพธ์หลัก"}),
    TableSpec("handoffs", "การส่งต่อ", ("handoffs", "hand-offs", "ส่งต่อ", "การส่งต่อ", "การส่งต่องาน"), {
        "from_unit": ("from_unit", "from", "จากหน่วยงาน", "หน่วยงานผู้ส่ง", "ผู้ส่ง"),
        "to_unit": ("to_unit", "to", "ถึงหน่วยงาน", "หน่วยงานผู้รับ", "ผู้รับ"),
        "what": ("what", "output", "สิ่งที่ส่งต่อ"),
        "end_product_code": _END_PRODUCT,
    }, {"from_unit": "จากหน่วยงาน", "to_unit": "ถึงหน่วยงาน"}),
    TableSpec("objective_links", "เหตุและผล",
              ("objective_links", "objective links", "cause and effect", "เหตุและผล", "ความเชื่อมโยงเหตุและผล"), {
        "from_objective": ("from_objective", "from", "cause", "จากวัตถุประสงค์", "เหตุ"),
        "to_objective": ("to_objective", "to", "effect", "ถึงวัตถุประสงค์", "ผล"),
    }, {"from_objective": "จากวัตถุประสงค์", "to_objective": "ถึงวัตถุประสงค์"}),
)}
"""Each table of a strategy file: its sheet (or CSV file) names, its columns' header spellings, required columns.
Only objectives and key results are required; a file without the other tables has none of them."""
REQUIRED_TABLES = ("objectives", "key_results")


@dataclass(frozen=True)
class PlanItem:
    plan_code: str
    name_th: str
    name_en: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class Objective:
    objective_code: str
    name_th: str
    name_en: str
    dimension: str
    plan_code: str | None
    thrust: str | None
    owner_unit: str | None
    owner_executive: str | None


@dataclass(frozen=True)
class KeyResult:
    key_result_code: str
    objective_code: str
    name_th: str
    name_en: str
    owner_unit: str
    target: str
    due_quarter: int | None
    pmqa: list[int]
    weight: float


@dataclass(frozen=True)
class KeyResultKpi:
    key_result_code: str
    kpi_code: str
    weight: float


@dataclass(frozen=True)
class EndProduct:
    end_product_code: str
    objective_code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class EndProductUnit:
    end_product_code: str
    unit_code: str
    part: str


@dataclass(frozen=True)
class EndProductKeyResult:
    end_product_code: str
    key_result_code: str
    weight: float


@dataclass(frozen=True)
class Handoff:
    from_unit: str
    to_unit: str
    what: str
    end_product_code: str | None


@dataclass(frozen=True)
class ObjectiveLink:
    from_objective: str
    to_objective: str


@dataclass
class StrategyFile:
    fiscal_year: int
    plan_items: list[PlanItem] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    key_results: list[KeyResult] = field(default_factory=list)
    key_result_kpis: list[KeyResultKpi] = field(default_factory=list)
    end_products: list[EndProduct] = field(default_factory=list)
    end_product_units: list[EndProductUnit] = field(default_factory=list)
    end_product_key_results: list[EndProductKeyResult] = field(default_factory=list)
    handoffs: list[Handoff] = field(default_factory=list)
    objective_links: list[ObjectiveLink] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows per table, in the order of STRATEGY_TABLES."""
        return {name: len(getattr(self, name)) for name in STRATEGY_TABLES}


def table_of_sheet(name: str) -> str | None:
    """The strategy table a sheet (or a CSV file's stem) holds: its name whole, then without a leading year or
    number (`2569_objectives`), then the longest table name it ends with."""
    text = normalise_header(name).replace("-", "_")
    stripped = re.sub(r"^[\d\s_.]+", "", text)
    names = {alias.replace("-", "_"): spec.name for spec in STRATEGY_TABLES.values() for alias in spec.sheet_names}
    for candidate in (text, stripped, stripped.replace("_", " ")):
        if candidate in names:
            return names[candidate]
    endings = [alias for alias in names if text.endswith(alias) and re.fullmatch(r"(|.*[\s_.])", text[:-len(alias)])]
    return names[max(endings, key=len)] if endings else None


@dataclass
class _Read:
    tables: dict[str, tuple[str, Table, ProblemCollector]] = field(default_factory=dict)  # name -> (file, table, ...)
    problems: list[Problem] = field(default_factory=list)


def _read_tables(files: Sequence[tuple[str, bytes]]) -> _Read:
    """Every strategy table of the files (one workbook, or CSV files one per table), each with its collector."""
    read = _Read()
    if not files:
        read.problems.append(Problem("", "", None, "", "", "ไม่มีไฟล์", "no file"))
        return read
    for file_name, data in files:
        whole = ProblemCollector(file_name)
        try:
            sheets = read_sheets(file_name, data)
        except UnreadableFile as error:
            whole.whole_file(error.reason_th, error.reason_en)
            read.problems += whole.problems
            continue
        for sheet in sheets:
            csv = sheet.name == CSV_SHEET_NAME
            label = PurePath(file_name).stem if csv else sheet.name
            name = table_of_sheet(label)
            if name is None:
                if csv:
                    whole.whole_file(f"ชื่อไฟล์ต้องบอกว่าเป็นตารางใด ({_table_list('th')})",
                                     f"the file name must say which table it holds ({_table_list('en')})")
                continue  # a workbook may hold notes or instructions on other sheets
            _read_one(read, whole, file_name, sheet, name)
        read.problems += whole.problems
    found = {name for name in read.tables}
    for name in REQUIRED_TABLES:
        if name not in found and not read.problems:
            spec = STRATEGY_TABLES[name]
            read.problems.append(Problem(files[0][0], "", None, "", "",
                                         f"ไม่มีแผ่นงาน {spec.th} ({name})", f"no {name} sheet ({spec.th})"))
    return read


def _table_list(lang: str) -> str:
    return ", ".join(spec.th if lang == "th" else spec.name for spec in STRATEGY_TABLES.values())


def _read_one(read: _Read, whole: ProblemCollector, file_name: str, sheet: RawSheet, name: str) -> None:
    spec = STRATEGY_TABLES[name]
    where = sheet.name if sheet.name != CSV_SHEET_NAME else ""
    collector = ProblemCollector(file_name, where)
    if name in read.tables:
        collector.whole_file(f"ตาราง {spec.th} ({name}) มีมากกว่าหนึ่งแผ่นงานหรือไฟล์",
                             f"the {name} table ({spec.th}) is given twice")
        read.problems += collector.problems
        return
    table = find_table(sheet, spec.columns, tuple(spec.required))
    if table is None:
        named = [f"{th} ({field_name})" for field_name, th in spec.required.items()]
        collector.whole_file(f"ไม่พบแถวหัวตารางของ {spec.th} ({name}): ต้องมีคอลัมน์ {' และ '.join(named)}",
                             f"no header row of {name} ({spec.th}): expected columns {' and '.join(named)}")
        read.problems += collector.problems
        return
    for field_name, first, second in table.duplicates:
        collector.add(table.header_row + 1, second, "",
                      f"คอลัมน์ {first} และ {second} เป็นข้อมูลเดียวกัน ({field_name}) กรุณาเหลือไว้เพียงคอลัมน์เดียว",
                      f"columns {first} and {second} both mean {field_name}: keep only one of them", field_name)
    read.tables[name] = (file_name, table, collector)


class _Checker:
    """The checks of one strategy file, table by table, then across tables; problems in each table's collector."""

    def __init__(self, read: _Read, year: int, units: set[str], catalogue: dict[str, KpiDef]) -> None:
        self.read = read
        self.year = year
        self.units = units
        self.catalogue = catalogue
        self.strategy = StrategyFile(year)
        self.rows: dict[tuple[str, str], int] = {}  # (table, code) -> row of the code's first line

    def rows_of(self, name: str) -> list[tuple[int, list[object], Table, ProblemCollector]]:
        if name not in self.read.tables:
            return []
        _, table, collector = self.read.tables[name]
        return [(number, cells, table, collector) for number, cells in table.data_rows()]

    def text(self, table: Table, cells: list[object], name: str) -> str:
        return clean_text(table.cell(cells, name))

    def header(self, table: Table, name: str) -> str:
        return table.headers.get(name, name)

    def parsed(self, table: Table, collector: ProblemCollector, number: int, cells, name: str,
               parse: Callable[[object], object], reason_th: str, reason_en: str, *, optional: bool = False,
               empty: object = None):
        """The cell `name` read by `parse`; `empty` and a problem when it does not parse (an empty optional cell
        is `empty`, no problem)."""
        raw = table.cell(cells, name)
        if optional and not clean_text(raw):
            return empty
        try:
            return parse(raw)
        except ValueError:
            collector.add(number, self.header(table, name), raw, reason_th, reason_en, name)
            return empty

    def required_text(self, table, collector, number, cells, name, th, en) -> str:
        value = self.text(table, cells, name)
        if not value:
            collector.add(number, self.header(table, name), "", f"ไม่มี{th}", f"missing {en}", name)
        return value

    def unit(self, table, collector, number, cells, name, *, required: bool) -> str | None:
        code = self.text(table, cells, name)
        if not code:
            if required:
                collector.add(number, self.header(table, name), "", "ไม่ระบุหน่วยงาน", "missing unit", name)
            return None
        if code not in self.units:
            collector.add(number, self.header(table, name), code,
                          "ไม่พบหน่วยงานนี้ในโครงสร้างหน่วยงาน (โหลดไฟล์หน่วยงานก่อน)",
                          "unknown unit: not an org unit (load the org file first)", name)
        return code

    def weight(self, table, collector, number, cells, *, default: float | None, positive: bool) -> float | None:
        raw = table.cell(cells, "weight")
        try:
            value = parse_number(raw)
        except (ValueError, NumberTooLarge):
            value = None
        else:
            if value is None and default is not None:
                return default
        if value is None or value < 0 or (positive and value == 0):
            th, en = ("มากกว่า 0", "greater than 0") if positive else ("ไม่ติดลบ", "of at least 0")
            collector.add(number, self.header(table, "weight"), raw, f"น้ำหนักต้องเป็นตัวเลข{th}",
                          f"weight must be a number {en}", "weight")
            return None
        return value

    def code(self, name: str, table, collector, number, cells, column: str, th: str, en: str) -> str | None:
        """The row's own code: present and not on an earlier row."""
        code = self.required_text(table, collector, number, cells, column, f"รหัส{th}", f"{en} code")
        if not code:
            return None
        if (name, code) in self.rows:
            first = self.rows[(name, code)]
            collector.add(number, self.header(table, column), code, f"รหัส{th}ซ้ำกับแถว {first}",
                          f"duplicate {en} code (also on row {first})", column)
            return None
        self.rows[(name, code)] = number
        return code

    def known(self, name: str, code: str | None, table, collector, number, column, th, en) -> None:
        """A reference to another table's code that must exist in the file."""
        if code and (name, code) not in self.rows:
            collector.add(number, self.header(table, column), code, f"ไม่พบ{th}นี้ในไฟล์ (ตาราง {name})",
                          f"unknown {en}: not in the file's {name}", column)

    # --- tables -------------------------------------------------------------------------------------------------

    def plan_items(self) -> None:
        parents = []
        for number, cells, table, collector in self.rows_of("plan_items"):
            before = collector.count
            code = self.code("plan_items", table, collector, number, cells, "plan_code", "แผน", "plan")
            name_th = self.required_text(table, collector, number, cells, "name_th", "ชื่อแผน", "name")
            level = self.parsed(table, collector, number, cells, "level", parse_plan_level,
                                "ระดับแผนต้องเป็น ยุทธศาสตร์ชาติ แผนแม่บทภายใต้ยุทธศาสตร์ชาติ แผนระดับกระทรวง "
                                "แผนระดับหน่วยงาน หรือ 1–4", "plan level must be national_strategy, master_plan, "
                                "ministry_plan, agency_plan or 1–4")
            parent = self.text(table, cells, "parent_code") or None
            parents.append((number, code, parent, table, collector))
            if collector.count == before and code:
                self.strategy.plan_items.append(
                    PlanItem(code, name_th, self.text(table, cells, "name_en"), level, parent))
        for number, _, parent, table, collector in parents:
            self.known("plan_items", parent, table, collector, number, "parent_code", "แผนระดับบน", "parent plan")
        parent_of = {item.plan_code: item.parent_code for item in self.strategy.plan_items}
        for cycle in _cycles({code: [parent] for code, parent in parent_of.items() if parent}):
            number, _, _, table, collector = next(p for p in parents if p[1] == cycle[0])
            shown = " → ".join([*cycle, cycle[0]])
            collector.add(number, self.header(table, "parent_code"), shown,
                          "ลำดับชั้นของแผนวนกลับมาที่เดิม (แผนเป็นแผนระดับบนของตัวเอง)",
                          "the plan hierarchy loops back on itself (a plan is its own parent)", "parent_code")

    def objectives(self) -> None:
        for number, cells, table, collector in self.rows_of("objectives"):
            before = collector.count
            code = self.code("objectives", table, collector, number, cells, "objective_code", "วัตถุประสงค์",
                             "objective")
            name_th = self.required_text(table, collector, number, cells, "name_th", "ชื่อวัตถุประสงค์", "name")
            dimension = self.parsed(table, collector, number, cells, "dimension", parse_dimension,
                                    "มิติไม่ถูกต้อง ต้องเป็นหนึ่งในสี่มิติ BSC (ประสิทธิผล คุณภาพการให้บริการ "
                                    "ประสิทธิภาพ การพัฒนาองค์กร หรือ 1–4)",
                                    "unknown dimension: expected one of the four BSC dimensions or 1–4")
            thrust = self.parsed(table, collector, number, cells, "thrust", parse_thrust,
                                 "แนวทางต้องเป็น ทำ ขยาย ยกระดับ หรือ ขับเคลื่อน",
                                 "thrust must be start (ทำ), expand (ขยาย), elevate (ยกระดับ) or drive (ขับเคลื่อน)",
                                 optional=True)
            plan = self.text(table, cells, "plan_code") or None
            self.known("plan_items", plan, table, collector, number, "plan_code", "แผน", "plan item")
            owner = self.unit(table, collector, number, cells, "owner_unit", required=False)
            executive = self.text(table, cells, "owner_executive") or None
            if owner is None and executive is None:
                collector.add(number, self.header(table, "owner_unit"), "",
                              "ไม่ระบุเจ้าของวัตถุประสงค์ (หน่วยงานหรือผู้บริหาร)",
                              "missing owner: give a unit or an executive", "owner_unit")
            if collector.count == before and code:
                self.strategy.objectives.append(Objective(code, name_th, self.text(table, cells, "name_en"),
                                                          dimension, plan, thrust, owner, executive))

    def key_results(self) -> None:
        for number, cells, table, collector in self.rows_of("key_results"):
            before = collector.count
            code = self.code("key_results", table, collector, number, cells, "key_result_code", "ผลลัพธ์หลัก",
                             "key result")
            objective = self.required_text(table, collector, number, cells, "objective_code", "รหัสวัตถุประสงค์",
                                           "objective code")
            self.known("objectives", objective, table, collector, number, "objective_code", "วัตถุประสงค์",
                       "objective")
            name_th = self.required_text(table, collector, number, cells, "name_th", "ชื่อผลลัพธ์หลัก", "name")
            owner = self.unit(table, collector, number, cells, "owner_unit", required=True)
            due = self.parsed(table, collector, number, cells, "due_quarter", parse_quarter, "ไตรมาสต้องเป็น 1–4",
                              "quarter must be 1 to 4", optional=True)
            pmqa = self.parsed(table, collector, number, cells, "pmqa", parse_pmqa,
                               "หมวด PMQA ต้องเป็นเลข 1–7 คั่นด้วยจุลภาค",
                               "PMQA categories must be numbers 1–7, comma-separated", empty=[])
            weight = self.weight(table, collector, number, cells, default=1.0, positive=True)
            if collector.count == before and code:
                self.strategy.key_results.append(KeyResult(
                    code, objective, name_th, self.text(table, cells, "name_en"), owner,
                    self.text(table, cells, "target"), due, pmqa, weight))

    def key_result_kpis(self) -> None:
        owner_of = {kr.key_result_code: kr.owner_unit for kr in self.strategy.key_results}
        totals: dict[str, float] = defaultdict(float)
        first: dict[str, tuple[int, Table, ProblemCollector]] = {}
        seen: dict[str, int] = {}
        for number, cells, table, collector in self.rows_of("key_result_kpis"):
            before = collector.count
            kr = self.required_text(table, collector, number, cells, "key_result_code", "รหัสผลลัพธ์หลัก",
                                    "key result code")
            self.known("key_results", kr, table, collector, number, "key_result_code", "ผลลัพธ์หลัก", "key result")
            kpi = self.required_text(table, collector, number, cells, "kpi_code", "รหัสตัวชี้วัด", "KPI code")
            if kpi and kpi not in self.catalogue:
                collector.add(number, self.header(table, "kpi_code"), kpi,
                              f"ไม่พบตัวชี้วัดนี้ในบัญชีตัวชี้วัดปีงบประมาณ {self.year}",
                              f"unknown KPI: not in the fiscal year {self.year} catalogue", "kpi_code")
            elif kpi and owner_of.get(kr) and owner_of[kr] not in self.catalogue[kpi].owners:
                collector.add(number, self.header(table, "kpi_code"), kpi,
                              f"หน่วยงานเจ้าของผลลัพธ์หลัก ({owner_of[kr]}) ไม่ได้รับผิดชอบตัวชี้วัดนี้",
                              f"the key result's owner unit ({owner_of[kr]}) does not own this KPI", "kpi_code")
            if kr and kpi and collector.repeated(seen, f"{kr}\t{kpi}", number, self.header(table, "kpi_code"), kpi,
                                                 "kpi_code", "ตัวชี้วัดนี้ผูกกับผลลัพธ์หลักเดียวกันแล้วในแถว {row}",
                                                 "this KPI is already linked to the key result on row {row}"):
                continue
            weight = self.weight(table, collector, number, cells, default=None, positive=False)
            if kr:
                first.setdefault(kr, (number, table, collector))
                totals[kr] += weight or 0
            if collector.count == before:
                self.strategy.key_result_kpis.append(KeyResultKpi(kr, kpi, weight))
        for kr, total in totals.items():
            number, table, collector = first[kr]
            if abs(total - WEIGHT_TOTAL) > 1e-6:
                collector.add(number, self.header(table, "weight"), f"{kr}: {total:g}",
                              f"น้ำหนักของตัวชี้วัดในผลลัพธ์หลัก {kr} รวมกันได้ {total:g} ต้องเท่ากับ {WEIGHT_TOTAL}",
                              f"the weights of key result {kr}'s KPIs add up to {total:g}, not {WEIGHT_TOTAL}",
                              "weight")

    def end_products(self) -> None:
        for number, cells, table, collector in self.rows_of("end_products"):
            before = collector.count
            code = self.code("end_products", table, collector, number, cells, "end_product_code",
                             "ผลผลิตขั้นสุดท้าย", "End Product")
            objective = self.required_text(table, collector, number, cells, "objective_code", "รหัสวัตถุประสงค์",
                                           "objective code")
            self.known("objectives", objective, table, collector, number, "objective_code", "วัตถุประสงค์",
                       "objective")
            name_th = self.required_text(table, collector, number, cells, "name_th", "ชื่อผลผลิต", "name")
            if collector.count == before and code:
                self.strategy.end_products.append(
                    EndProduct(code, objective, name_th, self.text(table, cells, "name_en")))
        seen: dict[str, int] = {}
        for number, cells, table, collector in self.rows_of("end_product_units"):
            before = collector.count
            code = self.required_text(table, collector, number, cells, "end_product_code", "รหัสผลผลิตขั้นสุดท้าย",
                                      "End Product code")
            self.known("end_products", code, table, collector, number, "end_product_code", "ผลผลิตขั้นสุดท้าย",
                       "End Product")
            unit = self.unit(table, collector, number, cells, "unit_code", required=True)
            if code and unit and collector.repeated(
                    seen, f"{code}\t{unit}", number, self.header(table, "unit_code"), unit, "unit_code",
                    "หน่วยงานนี้อยู่ในผลผลิตเดียวกันแล้วในแถว {row}", "this unit is already listed for the End "
                    "Product on row {row}"):
                continue
            if collector.count == before:
                self.strategy.end_product_units.append(EndProductUnit(code, unit, self.text(table, cells, "part")))
        seen = {}
        for number, cells, table, collector in self.rows_of("end_product_key_results"):
            before = collector.count
            code = self.required_text(table, collector, number, cells, "end_product_code", "รหัสผลผลิตขั้นสุดท้าย",
                                      "End Product code")
            self.known("end_products", code, table, collector, number, "end_product_code", "ผลผลิตขั้นสุดท้าย",
                       "End Product")
            kr = self.required_text(table, collector, number, cells, "key_result_code", "รหัสผลลัพธ์หลัก",
                                    "key result code")
            self.known("key_results", kr, table, collector, number, "key_result_code", "ผลลัพธ์หลัก", "key result")
            if code and kr and collector.repeated(
                    seen, f"{code}\t{kr}", number, self.header(table, "key_result_code"), kr, "key_result_code",
                    "ผลลัพธ์หลักนี้ผูกกับผลผลิตเดียวกันแล้วในแถว {row}", "this key result is already linked to the "
                    "End Product on row {row}"):
                continue
            weight = self.weight(table, collector, number, cells, default=1.0, positive=True)
            if collector.count == before:
                self.strategy.end_product_key_results.append(EndProductKeyResult(code, kr, weight))
        self._units_of_end_products()

    def _units_of_end_products(self) -> None:
        """At least two distinct units per End Product; a linked key result's owner must be one of them."""
        units: dict[str, set[str]] = defaultdict(set)
        for row in self.strategy.end_product_units:
            units[row.end_product_code].add(row.unit_code)
        owner_of = {kr.key_result_code: kr.owner_unit for kr in self.strategy.key_results}
        for number, cells, table, collector in self.rows_of("end_product_key_results"):
            code, kr = self.text(table, cells, "end_product_code"), self.text(table, cells, "key_result_code")
            owner = owner_of.get(kr)
            if owner and (("end_products", code) in self.rows) and owner not in units[code]:
                collector.add(number, self.header(table, "key_result_code"), kr,
                              f"หน่วยงานเจ้าของผลลัพธ์หลักนี้ ({owner}) ไม่อยู่ในรายชื่อหน่วยงานร่วมของผลผลิต {code}",
                              f"this key result's owner ({owner}) is not a contributing unit of End Product {code}",
                              "key_result_code")
        for number, cells, table, collector in self.rows_of("end_products"):
            code = self.text(table, cells, "end_product_code")
            if code and self.rows.get(("end_products", code)) == number and len(units[code]) < 2:
                collector.add(number, self.header(table, "end_product_code"), code,
                              f"ผลผลิตขั้นสุดท้ายต้องเกิดจากหลายหน่วยงาน หากมีหน่วยงานเดียวให้บันทึกเป็นผลลัพธ์หลัก "
                              f"(มี {len(units[code])} หน่วยงาน)",
                              f"an End Product must come from several units; with one unit, record it as a key "
                              f"result ({len(units[code])} unit(s) listed)", "end_product_code")

    def handoffs(self) -> None:
        for number, cells, table, collector in self.rows_of("handoffs"):
            before = collector.count
            source = self.unit(table, collector, number, cells, "from_unit", required=True)
            target = self.unit(table, collector, number, cells, "to_unit", required=True)
            if source and source == target:
                collector.add(number, self.header(table, "to_unit"), target,
                              "หน่วยงานผู้ส่งและผู้รับต้องเป็นคนละหน่วยงาน", "a hand-off goes to another unit",
                              "to_unit")
            what = self.required_text(table, collector, number, cells, "what", "สิ่งที่ส่งต่อ", "what is handed off")
            product = self.text(table, cells, "end_product_code") or None
            self.known("end_products", product, table, collector, number, "end_product_code", "ผลผลิตขั้นสุดท้าย",
                       "End Product")
            if collector.count == before:
                self.strategy.handoffs.append(Handoff(source, target, what, product))

    def objective_links(self) -> None:
        seen: dict[str, int] = {}
        rows: dict[tuple[str, str], tuple[int, Table, ProblemCollector]] = {}
        for number, cells, table, collector in self.rows_of("objective_links"):
            before = collector.count
            ends = []
            for column in ("from_objective", "to_objective"):
                code = self.required_text(table, collector, number, cells, column, "รหัสวัตถุประสงค์",
                                          "objective code")
                self.known("objectives", code, table, collector, number, column, "วัตถุประสงค์", "objective")
                ends.append(code)
            if all(ends) and collector.repeated(seen, "\t".join(ends), number, self.header(table, "to_objective"),
                                                ends[1], "to_objective", "ความเชื่อมโยงนี้ซ้ำกับแถว {row}",
                                                "the same link is on row {row}"):
                continue
            if collector.count == before:
                rows[(ends[0], ends[1])] = (number, table, collector)
                self.strategy.objective_links.append(ObjectiveLink(*ends))
        successors: dict[str, list[str]] = defaultdict(list)
        for link in self.strategy.objective_links:
            successors[link.from_objective].append(link.to_objective)
        for cycle in _cycles(successors):
            number, table, collector = rows[(cycle[0], cycle[1 % len(cycle)])]
            collector.add(number, self.header(table, "to_objective"), " → ".join([*cycle, cycle[0]]),
                          "เหตุและผลวนกลับมาที่วัตถุประสงค์เดิม", "cause and effect loops back to the same objective",
                          "to_objective")

    def every_objective_has_a_key_result(self) -> None:
        with_krs = {kr.objective_code for kr in self.strategy.key_results}
        for number, cells, table, collector in self.rows_of("objectives"):
            code = self.text(table, cells, "objective_code")
            if code and self.rows.get(("objectives", code)) == number and code not in with_krs:
                collector.add(number, self.header(table, "objective_code"), code,
                              "วัตถุประสงค์นี้ไม่มีผลลัพธ์หลัก (ต้องมีอย่างน้อยหนึ่งผลลัพธ์หลัก)",
                              "this objective has no key result (it needs at least one)", "objective_code")

    def run(self) -> StrategyFile:
        self.plan_items()
        self.objectives()
        self.key_results()
        self.key_result_kpis()
        self.end_products()
        self.handoffs()
        self.objective_links()
        self.every_objective_has_a_key_result()
        return self.strategy


def _cycles(successors: dict[str, list[str]]) -> list[list[str]]:
    """Each loop of a directed graph once, as the nodes on it in order (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    found: list[list[str]] = []
    for start in list(successors):
        if state.get(start):
            continue
        path: list[str] = []
        stack = [(start, iter(successors.get(start, ())))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                found.append(path[path.index(child):])
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(successors.get(child, ()))))
    return found


def strategy_year(read: _Read, override: int | None) -> int | None:
    """The file's one fiscal year: the option, else the objectives' fiscal_year column (or the block above it)."""
    _, table, collector = read.tables["objectives"]
    return file_fiscal_year(table, collector, override, "ไฟล์แผนยุทธศาสตร์หนึ่งไฟล์ต้องเป็นปีงบประมาณเดียว",
                            "one strategy file must hold one fiscal year",
                            "ไม่ระบุปีงบประมาณ (เพิ่มคอลัมน์ ปีงบประมาณ ในแผ่นงานวัตถุประสงค์ หรือใช้ --fiscal-year)",
                            "no fiscal year: add a fiscal_year column to the objectives or use --fiscal-year")


def validate_strategy(
    files: Sequence[tuple[str, bytes]], units: set[str], catalogue_of: Callable[[int], Mapping[str, KpiDef]],
    fiscal_year: int | None = None,
) -> tuple[StrategyFile | None, list[Problem]]:
    """Read and check a strategy (one workbook, or CSV files one per table) against the org units and the year's
    catalogue (`catalogue_of(year)` -> {KPI code: KpiDef}); the strategy, or every problem found."""
    read = _read_tables(files)
    if read.problems:
        return None, read.problems
    year = strategy_year(read, fiscal_year)
    problems = [problem for _, _, collector in read.tables.values() for problem in collector.problems]
    if year is None or problems:
        return None, problems
    checker = _Checker(read, year, units, dict(catalogue_of(year)))
    if not checker.catalogue and read.tables.get("key_result_kpis") and read.tables["key_result_kpis"][1].data_rows():
        file_name, table, _ = read.tables["key_result_kpis"]
        return None, [Problem(file_name, table.sheet, None, "", "",
                              f"ยังไม่มีบัญชีตัวชี้วัดปีงบประมาณ {year} (โหลดบัญชีตัวชี้วัดก่อน)",
                              f"fiscal year {year} has no KPI catalogue (load the catalogue first)")]
    strategy = checker.run()
    problems = [problem for _, _, collector in read.tables.values() for problem in collector.problems]
    if problems:
        return None, problems
    if not strategy.objectives:
        file_name, table, _ = read.tables["objectives"]
        return None, [Problem(file_name, table.sheet, None, "", "", "ไม่มีแถวข้อมูลวัตถุประสงค์", "no objective rows")]
    return strategy, []


_TABLE_OF: dict[str, str] = {
    "plan_items": "plan_item", "objectives": "objective", "key_results": "key_result",
    "key_result_kpis": "key_result_kpi", "end_products": "end_product", "end_product_units": "end_product_unit",
    "end_product_key_results": "end_product_key_result", "handoffs": "handoff", "objective_links": "objective_link",
}
"""Each part of a StrategyFile -> the table that stores it (migration 010)."""
_ORDERED = {"plan_items", "objectives", "key_results", "end_products", "end_product_units"}
_NUMBERED = {"handoffs"}


def save_strategy(
    con: duckdb.DuckDBPyConnection, strategy: StrategyFile, file_name: str, sha256: str, loaded_by: str | None,
    *, edit_summary: str | None = None,
) -> None:
    """Replace the fiscal year's strategy and add its load history row (an in-app edit says what it changed in
    `edit_summary`), in one transaction."""
    year = strategy.fiscal_year
    with transaction(con):
        bump_generation(con)
        for table in _TABLE_OF.values():
            con.execute(queries.DELETE_STRATEGY_ROWS[table], [year])
        for part, table in _TABLE_OF.items():
            records = getattr(strategy, part)
            if not records:
                continue
            record_type = type(records[0])
            columns = ["fiscal_year", *(item.name for item in fields(record_type))]
            rows = [(year, *astuple(record)) for record in records]
            if part in _ORDERED:
                columns.append("sort_order")
                rows = [(*row, order) for order, row in enumerate(rows)]
            if part in _NUMBERED:
                columns.append("handoff_number")
                rows = [(*row, number) for number, row in enumerate(rows, start=1)]
            insert_rows(con, table, columns, rows)
        con.execute(queries.INSERT_STRATEGY_LOAD, [year, file_name, sha256, len(strategy.objectives),
                                                   len(strategy.key_results), loaded_by, edit_summary])


def strategy_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Fiscal years that have a strategy stored."""
    return [row[0] for row in con.execute(queries.STRATEGY_YEARS).fetchall()]


# --- in-app edits (the admin's strategy editor): one change to a stored strategy, checked as its file would be --

EDIT_ACTIONS = ("add", "edit", "retire")
EDIT_KINDS: dict[str, str] = {"objective": "objectives", "key_result": "key_results", "end_product": "end_products"}
"""What the strategy editor changes -> the table of its own row, whose `<kind>_code` column holds its code."""
_OWNED: dict[str, dict[str, str]] = {
    "objective": {"objectives": "objective_code", "objective_links": "from_objective"},
    "key_result": {"key_results": "key_result_code", "key_result_kpis": "key_result_code"},
    "end_product": {"end_products": "end_product_code", "end_product_units": "end_product_code",
                    "end_product_key_results": "end_product_code", "handoffs": "end_product_code"},
}
"""Each kind's own rows, table -> the column that holds its code: an edit replaces them, a retire removes them (an
objective owns the cause-and-effect links that leave it; an End Product its units, linked key results, hand-offs)."""
_POINTING_AT: dict[str, dict[str, str]] = {
    "objective": {"objective_links": "to_objective"},
    "key_result": {"end_product_key_results": "key_result_code"},
    "end_product": {},
}
"""Rows of other items that point at an item and are retired with it (the links into a retired objective, the
End Products' links to a retired key result)."""
_RECORD_OF = {"plan_items": PlanItem, "objectives": Objective, "key_results": KeyResult,
              "key_result_kpis": KeyResultKpi, "end_products": EndProduct, "end_product_units": EndProductUnit,
              "end_product_key_results": EndProductKeyResult, "handoffs": Handoff, "objective_links": ObjectiveLink}

Tables = dict[str, list[dict[str, object]]]
"""A strategy as the rows of its file: table -> rows as {column of STRATEGY_TABLES: value}."""


@dataclass(frozen=True)
class StrategyChange:
    """One edit of a fiscal year's stored strategy: add, edit or retire an objective, key result or End Product."""

    action: str
    kind: str
    code: str
    rows: Mapping[str, Sequence[Mapping[str, object]]] = field(default_factory=dict)
    """The item's rows after an add or edit, in the strategy file's tables and columns: they replace the item's own
    rows (`_OWNED`). An added objective brings its first key result (key_results and key_result_kpis rows)."""

    def __post_init__(self) -> None:
        if self.action not in EDIT_ACTIONS or self.kind not in EDIT_KINDS or set(self.rows) - set(STRATEGY_TABLES):
            raise ValueError(f"not a strategy change: {self.action} {self.kind} {sorted(self.rows)}")

    @property
    def summary(self) -> str:
        """What the change does, as the history and the audit trail keep it: "retire end_product EP1"."""
        return f"{self.action} {self.kind} {self.code}"


def stored_strategy(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> StrategyFile:
    """The fiscal year's strategy as stored now (empty when it has none), in file order."""
    strategy = StrategyFile(fiscal_year)
    for part, table in _TABLE_OF.items():
        rows = con.execute(queries.SELECT_STRATEGY_ROWS[table], [fiscal_year]).fetchall()
        setattr(strategy, part, [_RECORD_OF[part](*row) for row in rows])
    return strategy


def strategy_tables(strategy: StrategyFile) -> Tables:
    """The strategy as the rows of its file, what strategy_workbook writes and the strategy reader reads back."""
    tables: Tables = {}
    for part in STRATEGY_TABLES:
        tables[part] = [asdict(record) for record in getattr(strategy, part)]
    for row in tables["objectives"]:
        row["fiscal_year"] = strategy.fiscal_year
    for row in tables["key_results"]:
        row["pmqa"] = ",".join(str(category) for category in row["pmqa"])
    return tables


def _has(row: Mapping[str, object], column: str, code: str) -> bool:
    return clean_text(row.get(column)) == code


def retired_with(tables: Tables, kind: str, code: str) -> list[tuple[str, str]]:
    """(kind, code) of what retiring an objective takes with it: its key results and End Products."""
    if kind != "objective":
        return []
    return [(child, clean_text(row.get(f"{child}_code"))) for child in ("key_result", "end_product")
            for row in tables[EDIT_KINDS[child]] if _has(row, "objective_code", code)]


def apply_change(tables: Tables, change: StrategyChange) -> Tables:
    """The strategy's rows with the change made. Edit: the item's own rows are replaced where they stood (its other
    tables' rows too); add: its rows are appended; retire: its own rows go, with the rows pointing at it and (for an
    objective) its key results and End Products. Nothing is checked here: check_change runs the file's checks."""
    result = {name: list(rows) for name, rows in tables.items()}
    if change.action == "retire":
        for kind, code in [*retired_with(tables, change.kind, change.code), (change.kind, change.code)]:
            for name, column in [*_OWNED[kind].items(), *_POINTING_AT[kind].items()]:
                result[name] = [row for row in result[name] if not _has(row, column, code)]
        return result
    owned = _OWNED[change.kind] if change.action == "edit" else {}
    for name in dict.fromkeys([*owned, *change.rows]):
        rows = result.setdefault(name, [])
        own = [name in owned and _has(row, owned[name], change.code) for row in rows]
        place = own.index(True) if True in own else len(rows)  # where the item's first row stood
        kept = [row for row, mine in zip(rows, own, strict=True) if not mine]
        new_rows = [{column: clean_text(value) if isinstance(value, str) else value for column, value in row.items()}
                    for row in change.rows.get(name, ())]  # as the reader would read them, and writable in a cell
        result[name] = [*kept[:place], *new_rows, *kept[place:]]
    return result


def edit_file_name(fiscal_year: int) -> str:
    """The name of the workbook an edit stores (archived by content, one per version) and its problems cite."""
    return f"strategy_{fiscal_year}_edit.xlsx"


def check_change(
    current: StrategyFile, change: StrategyChange, units: set[str], catalogue_of: Callable[[int], Mapping[str, KpiDef]]
) -> tuple[StrategyFile | None, list[Problem], bytes]:
    """The would-be strategy (current + change) written as a workbook and checked by validate_strategy, the file
    load's checks, so an edit is refused with the file's own Thai and English problems: (the new strategy or None,
    the problems, the workbook that will be archived as the new version)."""
    year = current.fiscal_year
    tables = strategy_tables(current)
    table, column = EDIT_KINDS[change.kind], f"{change.kind}_code"
    if change.action != "add" and not any(_has(row, column, change.code) for row in tables[table]):
        name_th, name_en = STRATEGY_TABLES[table].th, change.kind.replace("_", " ")
        return None, [Problem(edit_file_name(year), table, None, column, change.code,
                              f"ไม่พบ{name_th} {change.code} ในแผนยุทธศาสตร์ปี {year}",
                              f"no {name_en} {change.code} in the {year} strategy", column)], b""
    data = strategy_workbook(apply_change(tables, change))
    strategy, problems = validate_strategy([(edit_file_name(year), data)], units, catalogue_of, year)
    return strategy, problems, data


def strategy_kpis_dropped(con: duckdb.DuckDBPyConnection, catalogue: CatalogueFile) -> list[tuple[str, str, str]]:
    """(key result, owner unit, KPI) of the catalogue year's strategy whose KPI the new catalogue drops, or no
    longer gives to the key result's owner: a key result is measured by KPIs its owner owns (docs/domain.md
    section 10), so such a catalogue may not replace the year's."""
    kept = {(owner, kpi.kpi_code) for kpi in catalogue.kpis for owner in kpi.owners}
    uses = con.execute(queries.STRATEGY_KPI_USES, [catalogue.fiscal_year]).fetchall()
    return [(kr, owner, kpi) for kr, owner, kpi in uses if (owner, kpi) not in kept]



def _thai_header(spec: TableSpec, column: str) -> str:
    """The first Thai spelling of a column's header (the one a Thai workbook shows)."""
    thai = next((alias for alias in spec.columns[column] if re.search(r"[\u0e00-\u0e7f]", alias)), column)
    return thai.replace("pmqa", "PMQA")


def strategy_workbook(tables: Mapping[str, Sequence[Mapping[str, object]]], *, thai: bool = False) -> bytes:
    """A strategy workbook: one sheet per table given (rows as {column: value}), in the order of STRATEGY_TABLES,
    with English or Thai sheet names and headers. What the demo writes, and an empty one is a template."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)  # streamed: an in-app edit writes the year's whole strategy each time
    for name, spec in STRATEGY_TABLES.items():
        if name not in tables:
            continue
        sheet = workbook.create_sheet(spec.th if thai else name)
        columns = list(spec.columns)
        sheet.append([_thai_header(spec, column) if thai else column for column in columns])
        for row in tables[name]:
            sheet.append([row.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def empty_strategy_workbook(*, thai: bool = True) -> bytes:
    """Every sheet of a strategy with its headers and no rows: the planning division's starting point."""
    return strategy_workbook({name: [] for name in STRATEGY_TABLES}, thai=thai)
