"""The product's fixed vocabulary (DOMAIN.md sections 2-4 and 6), in one place so every layer names things alike."""

DIMENSIONS: dict[str, tuple[str, str]] = {
    "effectiveness": ("มิติด้านประสิทธิผล", "Effectiveness"),
    "service_quality": ("มิติด้านคุณภาพการให้บริการ", "Service quality"),
    "efficiency": ("มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "Efficiency"),
    "org_development": ("มิติด้านการพัฒนาองค์กร", "Organisational development"),
}
"""Dimension code -> (Thai, English), in the order that gives each dimension its number 1-4."""

DIMENSION_COLOURS: dict[str, str] = {
    "effectiveness": "#1565c0",
    "service_quality": "#6a1b9a",
    "efficiency": "#00838f",
    "org_development": "#ef6c00",
}
"""Dimension code -> its colour in every chart: the dashboard's and the executive report's."""

PMQA_CATEGORIES: dict[int, tuple[str, str, str]] = {
    1: ("การนำองค์การ", "Leadership", "think"),
    2: ("การวางแผนเชิงยุทธศาสตร์", "Strategic planning", "prepare"),
    3: ("การให้ความสำคัญกับผู้รับบริการและผู้มีส่วนได้ส่วนเสีย", "Customer and stakeholder focus", "think"),
    4: ("การวัด การวิเคราะห์ และการจัดการความรู้", "Measurement, analysis and knowledge management", "do"),
    5: ("การมุ่งเน้นบุคลากร", "Workforce focus", "do"),
    6: ("การมุ่งเน้นระบบปฏิบัติการ", "Operations focus", "do"),
    7: ("ผลลัพธ์การดำเนินการ", "Results", "think"),
}
"""PMQA category number -> (Thai, English, 3:1:3 group)."""

PMQA_GROUPS: dict[str, tuple[str, str]] = {
    "think": ("คิด", "Think"),
    "prepare": ("เตรียม", "Prepare"),
    "do": ("ทำ", "Do"),
}

STATUSES: dict[str, tuple[str, str, str]] = {
    "on_track": ("บรรลุเป้าหมาย", "On track", "#2e7d32"),
    "at_risk": ("ต้องเฝ้าระวัง", "At risk", "#f9a825"),
    "off_track": ("ต่ำกว่าเป้าหมาย", "Off track", "#c62828"),
    "not_reported": ("ยังไม่รายงาน", "Not reported", "#9e9e9e"),
}
"""Status code -> (Thai, English, colour) of a KPI result; the rule that picks one is `scoring.status_of`."""

AGGREGATE_STATUSES: dict[str, tuple[str, str, str]] = STATUSES | {
    "provisional": ("ข้อมูลยังไม่ครบ", "Incomplete", "#546e7a"),
}
"""The statuses of a unit, dimension or agency score: those of a result, and `provisional` (DOMAIN section 8:
less than half the weight reported), picked by `scoring.aggregate_status`."""

ORG_LEVELS: dict[str, tuple[str, str]] = {
    "agency": ("ส่วนราชการ", "Agency"),
    "division": ("สำนัก/กอง", "Division"),
    "group": ("กลุ่มงาน", "Work group"),
    "individual": ("บุคคล", "Individual"),
}
"""Org level -> (Thai, English), from the top of the tree down."""

PERCENT_UNITS: frozenset[str] = frozenset({"ร้อยละ", "%", "percent", "percentage", "เปอร์เซ็นต์"})
"""Units (casefolded) whose percent-formatted Excel cells hold a fraction: 0.85 means 85."""

UNITS_OF_MEASURE: dict[str, str] = {
    "ร้อยละ": "percent",
    "เปอร์เซ็นต์": "percent",
    "%": "%",
    "ครั้ง": "times",
    "คน": "persons",
    "ราย": "cases",
    "เรื่อง": "cases",
    "ระดับ": "level",
    "ขั้นตอน": "steps",
    "ขั้น": "steps",
    "วัน": "days",
    "วันทำการ": "working days",
    "ชั่วโมง": "hours",
    "นาที": "minutes",
    "เดือน": "months",
    "ปี": "years",
    "บาท": "baht",
    "ล้านบาท": "million baht",
    "แห่ง": "sites",
    "หน่วยงาน": "units",
    "จังหวัด": "provinces",
    "เครือข่าย": "networks",
    "โครงการ": "projects",
    "กิจกรรม": "activities",
    "หลักสูตร": "courses",
    "ฉบับ": "documents",
    "ชิ้น": "pieces",
    "รายการ": "items",
    "ระบบ": "systems",
    "แผน": "plans",
    "คะแนน": "points",
    "ครัวเรือน": "households",
    "ตำบล": "subdistricts",
    "หมู่บ้าน": "villages",
}
"""Thai unit of measure -> its English name, for every place a KPI's unit is shown in English
(`unit_of_measure_name`); a unit not listed is shown as written."""
_PER_UNIT: dict[str, str] = {"คน": "person", "ปี": "year", "เดือน": "month", "วัน": "day", "ครั้ง": "time",
                             "ราย": "case", "เรื่อง": "case", "แห่ง": "site", "หน่วยงาน": "unit",
                             "ครัวเรือน": "household", "โครงการ": "project"}
"""The singular after 'per', for units such as บาท/คน (baht per person)."""


def unit_of_measure_name(unit: object, lang: str) -> str:
    """A KPI's unit of measure in the language: Thai as the catalogue writes it; English from UNITS_OF_MEASURE,
    `บาท/คน` as 'baht per person', and a unit not listed as written. Empty for no unit."""
    text = "" if unit is None or unit != unit else " ".join(str(unit).split())
    if lang == "th" or not text:
        return text
    first, *per = (part.strip() for part in text.split("/"))
    if first not in UNITS_OF_MEASURE or any(part not in _PER_UNIT for part in per):
        return UNITS_OF_MEASURE.get(text, text)
    return " per ".join([UNITS_OF_MEASURE[first], *(_PER_UNIT[part] for part in per)])

THRUSTS: dict[str, tuple[str, str]] = {
    "start": ("ทำ", "Start"),
    "expand": ("ขยาย", "Expand"),
    "elevate": ("ยกระดับ", "Elevate"),
    "drive": ("ขับเคลื่อน", "Drive"),
}
"""The agency's four policy thrusts an objective is tagged with (issue 13): code -> (Thai, English)."""

PLAN_LEVELS: dict[str, tuple[str, str]] = {
    "national_strategy": ("ยุทธศาสตร์ชาติ", "National strategy"),
    "master_plan": ("แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "Master plan"),
    "ministry_plan": ("แผนระดับกระทรวง", "Ministry plan"),
    "agency_plan": ("แผนระดับหน่วยงาน", "Agency plan"),
}
"""Plan item level -> (Thai, English), from the top of the plan hierarchy down (numbered 1-4)."""
