"""The product's fixed vocabulary (DOMAIN.md sections 2-4 and 6), in one place so every layer names things alike."""

DIMENSIONS: dict[str, tuple[str, str]] = {
    "effectiveness": ("มิติด้านประสิทธิผล", "Effectiveness"),
    "service_quality": ("มิติด้านคุณภาพการให้บริการ", "Service quality"),
    "efficiency": ("มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "Efficiency"),
    "org_development": ("มิติด้านการพัฒนาองค์กร", "Organisational development"),
}
"""Dimension code -> (Thai, English), in the order that gives each dimension its number 1-4."""

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
