"""The Thai text of pipelines.view_docs: one line per public view and per column, for the SQL page's schema
browser in the Thai interface.  Kept beside the English so either can be edited alone; a column missing here
shows its English line, and tests/test_view_docs_th.py fails until it is added."""

from __future__ import annotations

_FY = "ปีงบประมาณ พ.ศ. (2568 = ต.ค. 2567 - ก.ย. 2568)"
_Q = "ไตรมาส 1-4 ของปีงบประมาณ (ไตรมาส 1 = ต.ค.-ธ.ค.)"
_SCORE = "คะแนนถ่วงน้ำหนัก 0-5 จากผลที่มีคะแนน; NULL เมื่อยังไม่มีการรายงาน"
_REPORTED = "ร้อยละของน้ำหนักตัวชี้วัดทั้งหมดที่มีคะแนนแล้ว (0 เมื่อยังไม่มีการรายงาน)"
_STATUS = ("on_track (คะแนน >= 3), at_risk (2 <= คะแนน < 3), off_track (< 2), not_reported (ไม่มีคะแนน)")
_PROVISIONAL = "true เมื่อมีคะแนนแต่รายงานแล้วไม่ถึงร้อยละ 50 ของน้ำหนัก: ตัวเลขยังไม่ครบ"
_AGGREGATE_STATUS = "provisional (ข้อมูลยังไม่ครบ) เมื่อ provisional เป็น true มิฉะนั้นเท่ากับ score_status"
_SCORE_STATUS = "สถานะตามคะแนนอย่างเดียว ไม่ว่ารายงานแล้วเท่าใด: " + _STATUS
_DIMENSION = "มิติ BSC ของตัวชี้วัด"

VIEW_SUMMARIES_TH: dict[str, str] = {
    "org_units": "หน่วยงานตามลำดับในไฟล์: ส่วนราชการ กอง กลุ่มงาน และรายบุคคล",
    "org_tree": "ทุกคู่ (หน่วยเหนือ, หน่วยใต้) ของผังองค์กร; หน่วยงานเป็นหน่วยเหนือของตัวเองที่ระดับ 0",
    "kpi_catalogue": "หนึ่งแถวต่อตัวชี้วัดและผู้รับผิดชอบในแต่ละปีงบประมาณ (ตัวชี้วัดที่มีผู้รับผิดชอบสองหน่วยมีสองแถว)",
    "submissions": "ทุกฉบับของการส่งผลรายไตรมาส (ส่งไฟล์ใหม่ = ฉบับใหม่)",
    "submission_values": "ทุกค่าของทุกฉบับ: ประวัติ หมายเหตุ และหลักฐาน",
    "fiscal_quarters": "สี่ไตรมาสของทุกปีงบประมาณที่มีรายการตัวชี้วัด",
    "kpi_results": "ค่าล่าสุดของทุกตัวชี้วัดที่มีผู้รับผิดชอบในทุกไตรมาส; not_reported เมื่อยังไม่มีค่า",
    "score_scopes": "ผลของหน่วยใดนับรวมในคะแนนของหน่วยใด: ของตัวเอง; ส่วนราชการนับทั้งผังองค์กร",
    "scored_results": "kpi_results หนึ่งครั้งต่อหน่วยที่นำไปคิดคะแนน: ของตัวเอง และส่วนราชการนับทั้งหมด",
    "scored_totals": "ผลรวมของ scored_results ต่อหน่วยเจ้าของและมิติ: ใช้รวมคะแนนของกลุ่มหน่วยงานใดก็ได้อย่างรวดเร็ว",
    "unit_scores": "คะแนนถ่วงน้ำหนักและน้ำหนักที่รายงานแล้ว ต่อหน่วยงานและไตรมาส (แถวส่วนราชการ = ทั้งส่วนราชการ)",
    "dimension_scores": "ต่อหน่วยงาน ไตรมาส และมิติ; ส่วนราชการมีครบทั้งสี่มิติเสมอ",
    "pmqa_coverage": "เจ็ดแถวต่อปีงบประมาณและไตรมาส หนึ่งแถวต่อหมวด PMQA; หมวดที่ไม่มีตัวชี้วัดมี kpi_count เป็น 0",
    "kpi_forecasts": "ค่าคาดการณ์สิ้นปี (ไตรมาส 4) ของทุกตัวชี้วัดและผู้รับผิดชอบ ณ แต่ละไตรมาสที่รายงานแล้ว "
                     "(docs/reference/forecast.md)",
    "submission_periods": "ทุกไตรมาสที่มีรายการตัวชี้วัด: ปิดรับการส่งหรือไม่ และวันครบกำหนด",
    "submission_timeliness": "ทุกหน่วยที่รับผิดชอบตัวชี้วัด ต่อไตรมาส: ส่งเมื่อใดเทียบกับวันครบกำหนด",
}

COLUMNS_TH: dict[str, dict[str, str]] = {
    "org_units": {
        "code": "รหัสหน่วยงาน ไม่ซ้ำกัน",
        "name_th": "ชื่อภาษาไทย",
        "name_en": "ชื่อภาษาอังกฤษ (อาจเป็น NULL)",
        "parent_code": "รหัสหน่วยงานที่อยู่เหนือขึ้นไป; NULL สำหรับส่วนราชการ",
        "level": "agency (ส่วนราชการ), division (กอง), group (กลุ่มงาน) หรือ individual (รายบุคคล)",
    },
    "org_tree": {
        "ancestor_code": "หน่วยงานที่อยู่สูงกว่า (หรือหน่วยงานนั้นเอง)",
        "unit_code": "หน่วยงานที่อยู่ที่หรือใต้ ancestor_code",
        "depth": "จำนวนระดับระหว่างกัน: 0 = หน่วยเดียวกัน, 1 = หน่วยใต้โดยตรง",
    },
    "kpi_catalogue": {
        "fiscal_year": _FY,
        "kpi_code": "รหัสตัวชี้วัด ไม่ซ้ำกันภายในปีงบประมาณ",
        "name_th": "ชื่อตัวชี้วัดภาษาไทย",
        "name_en": "ชื่อภาษาอังกฤษ (อาจเป็น NULL)",
        "dimension": "effectiveness (ประสิทธิผล), service_quality (คุณภาพการให้บริการ), efficiency (ประสิทธิภาพ) "
                     "หรือ org_development (การพัฒนาองค์การ)",
        "pmqa": "รายการหมวด PMQA 1-7 ที่เชื่อมโยง เช่น [2, 7]; ว่างเมื่อไม่มี",
        "owner_code": "หน่วยงานที่รายงานตัวชี้วัดนี้",
        "unit": "หน่วยนับ (ร้อยละ, วัน, ระดับ, ...)",
        "direction": "higher (มากดี) หรือ lower (น้อยดี)",
        "kind": "numeric (ตัวเลข) หรือ milestone (ขั้นความสำเร็จ: actual = จำนวนขั้นที่สำเร็จ 0-5)",
        "weight": "น้ำหนักร้อยละของตัวชี้วัดในคะแนนของผู้รับผิดชอบ",
        "t1": "เกณฑ์สำหรับคะแนน 1",
        "t2": "เกณฑ์สำหรับคะแนน 2",
        "t3": "เกณฑ์สำหรับคะแนน 3",
        "t4": "เกณฑ์สำหรับคะแนน 4",
        "t5": "เกณฑ์สำหรับคะแนน 5",
        "target": "เป้าหมายทั้งปีที่แสดงบนกราฟ; เท่ากับ t3 เมื่อรายการไม่ระบุ (3 ขั้นสำหรับขั้นความสำเร็จ)",
    },
    "submissions": {
        "submission_id": "รหัสของฉบับนี้",
        "unit_code": "หน่วยงานที่ส่ง",
        "fiscal_year": _FY,
        "quarter": _Q,
        "version": "1 สำหรับการส่งครั้งแรกของหน่วยงานและไตรมาส จากนั้น 2, 3, ...",
        "is_latest": "true สำหรับฉบับที่ใช้คิดผล",
        "file_name": "ชื่อไฟล์ที่ส่ง",
        "sha256": "SHA-256 ของไฟล์ (สำเนาที่เก็บไว้คือ uploads/<sha256>.<นามสกุล>)",
        "row_count": "จำนวนแถวตัวชี้วัดในไฟล์ (= จำนวนแถวใน submission_values)",
        "submitted_by": "ผู้ส่ง",
        "submitted_at": "เวลาที่บันทึก (เวลาของเซิร์ฟเวอร์)",
    },
    "submission_values": {
        "submission_id": "ฉบับที่ค่านี้สังกัด (ดู submissions)",
        "unit_code": "หน่วยงานที่ส่ง",
        "fiscal_year": _FY,
        "quarter": _Q,
        "version": "เลขฉบับของการส่ง",
        "is_latest": "true เมื่อเป็นฉบับล่าสุด",
        "kpi_code": "ตัวชี้วัดที่รายงาน",
        "actual": "ผลสะสมตั้งแต่ต้นปีตามที่ส่ง; NULL = เว้นว่าง (ยังไม่รายงาน)",
        "score": "คะแนน 0-5 ของผลนี้แบบละเอียดเต็ม; NULL เมื่อยังไม่รายงาน",
        "status": _STATUS,
        "note": "หมายเหตุ / ปัญหาอุปสรรค ของหน่วยงาน",
        "evidence": "ข้อความหรือลิงก์หลักฐาน",
        "submitted_by": "ผู้ส่งฉบับนี้",
        "submitted_at": "เวลาที่บันทึกฉบับนี้",
    },
    "fiscal_quarters": {
        "fiscal_year": _FY,
        "quarter": _Q,
    },
    "kpi_results": {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "ผู้รับผิดชอบตัวชี้วัด",
        "kpi_code": "รหัสตัวชี้วัด",
        "dimension": _DIMENSION,
        "actual": "ผลสะสมตั้งแต่ต้นปีจากฉบับล่าสุด; NULL = ยังไม่รายงาน",
        "score": "คะแนน 0-5 แบบละเอียดเต็ม (แสดงทศนิยมสี่ตำแหน่ง); NULL = ยังไม่รายงาน",
        "weight": "น้ำหนักร้อยละของตัวชี้วัดในคะแนนของผู้รับผิดชอบ",
        "status": _STATUS,
        "note": "หมายเหตุของฉบับล่าสุด",
        "version": "ฉบับที่ให้ค่านี้; NULL เมื่อหน่วยงานยังไม่ส่งไตรมาสนี้",
        "submitted_at": "เวลาที่บันทึกฉบับนั้น",
    },
    "score_scopes": {
        "scope_code": "หน่วยงานที่คิดคะแนน",
        "unit_code": "หน่วยงานที่ผลนับรวมในคะแนน (หน่วยงานนั้นเอง; สำหรับส่วนราชการคือทุกหน่วยในผัง)",
    },
    "scored_results": {
        "scope_code": "หน่วยงานที่ผลนี้นับรวมในคะแนน (ส่วนราชการนับทุกผลในผัง)",
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "ผู้รับผิดชอบตัวชี้วัด",
        "kpi_code": "รหัสตัวชี้วัด",
        "dimension": _DIMENSION,
        "actual": "ผลสะสมตั้งแต่ต้นปี; NULL = ยังไม่รายงาน",
        "score": "คะแนน 0-5; NULL = ยังไม่รายงาน",
        "weight": "น้ำหนักร้อยละของตัวชี้วัด",
        "status": _STATUS,
        "note": "หมายเหตุของฉบับล่าสุด",
        "version": "ฉบับที่ให้ค่านี้",
        "submitted_at": "เวลาที่บันทึกฉบับนั้น",
    },
    "scored_totals": {
        "scope_code": "หน่วยงานที่ผลเหล่านี้นับรวมในคะแนน (ส่วนราชการนับทุกหน่วยในผัง)",
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "ผู้รับผิดชอบตัวชี้วัดที่รวม",
        "dimension": "มิติ BSC ของตัวชี้วัดที่รวม",
        "result_count": "จำนวนผล (ตัวชี้วัดที่หน่วยงานรับผิดชอบในมิตินี้)",
        "weight": "ผลรวมน้ำหนัก",
        "scored_weight": "ผลรวมน้ำหนักของผลที่มีคะแนน (0 เมื่อไม่มี)",
        "weighted_sum": "ผลรวมของ น้ำหนัก x คะแนน; คะแนนของกลุ่ม = sum(weighted_sum) / sum(scored_weight)",
        "on_track_count": "จำนวนผล on_track",
        "at_risk_count": "จำนวนผล at_risk",
        "off_track_count": "จำนวนผล off_track",
        "not_reported_count": "จำนวนผล not_reported",
        "version": "ฉบับล่าสุดที่ส่งสำหรับไตรมาสนี้; NULL = ยังไม่ส่ง",
        "submitted_at": "เวลาที่บันทึกฉบับนั้น",
    },
    "unit_scores": {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "หน่วยงาน",
        "score": _SCORE,
        "reported_weight_pct": _REPORTED,
        "provisional": _PROVISIONAL,
        "status": _AGGREGATE_STATUS,
        "score_status": _SCORE_STATUS,
    },
    "dimension_scores": {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "หน่วยงาน",
        "dimension": "effectiveness (ประสิทธิผล), service_quality (คุณภาพการให้บริการ), efficiency (ประสิทธิภาพ) "
                     "หรือ org_development (การพัฒนาองค์การ)",
        "score": _SCORE,
        "reported_weight_pct": _REPORTED,
        "provisional": _PROVISIONAL,
        "status": _AGGREGATE_STATUS,
        "score_status": _SCORE_STATUS,
    },
    "pmqa_coverage": {
        "fiscal_year": _FY,
        "quarter": _Q,
        "category": "หมวด PMQA 1-7",
        "kpi_count": "จำนวนตัวชี้วัดที่เชื่อมโยงกับหมวด (ตัวชี้วัดที่มีผู้รับผิดชอบสองหน่วยนับครั้งเดียว)",
        "weight_share_pct": "สัดส่วนร้อยละของน้ำหนักตัวชี้วัดทั้งหมดของไตรมาส",
        "reported_count": "จำนวนตัวชี้วัดที่เชื่อมโยงและมีคะแนนแล้ว",
        "score": "คะแนนเฉลี่ยถ่วงน้ำหนักของผลที่เชื่อมโยง; NULL เมื่อยังไม่มีการรายงาน",
    },
    "kpi_forecasts": {
        "fiscal_year": _FY,
        "as_of_quarter": "ไตรมาสที่ใช้คาดการณ์ (1-3): ใช้เฉพาะค่าที่รายงานถึงไตรมาสนั้น",
        "kpi_code": "รหัสตัวชี้วัด",
        "unit_code": "หน่วยงานที่รับผิดชอบตัวชี้วัด",
        "method": "naive (ค่าล่าสุด), run_rate (ค่า x 4 / ไตรมาส) หรือ last_year_shape (รูปแบบปีก่อนของตัวชี้วัด "
                  "ปรับตามค่าปีนี้): วิธีที่ชนะการทดสอบย้อนหลังของปีก่อน",
        "projected_actual": "ผลการดำเนินงานสะสมที่คาดว่าจะได้ ณ ไตรมาส 4 (ตัวชี้วัดขั้นตอน: จำนวนขั้นตอนเต็ม 0-5)",
        "low": "ขอบล่างของช่วงคาดการณ์ (ร้อยละ 80 ของความคลาดเคลื่อนของวิธีในการทดสอบย้อนหลังปีก่อน; "
               "ช่วงคงที่เมื่อข้อมูลไม่พอ)",
        "high": "ขอบบนของช่วงคาดการณ์",
        "projected_score": "คะแนน 0-5 ที่ค่าคาดการณ์จะได้ ความละเอียดเต็ม",
        "projected_status": "สถานะของ projected_score: on_track (>= 3), at_risk (2 ถึง < 3) หรือ off_track (< 2)",
    },
    "submission_periods": {
        "fiscal_year": _FY,
        "quarter": _Q,
        "is_closed": "true เมื่อปิดรับการส่งของไตรมาสนี้แล้ว",
        "reason": "เหตุผลของการปิดหรือเปิดรับครั้งล่าสุด",
        "deadline": "วันสุดท้ายของการส่ง; NULL = ไม่ได้กำหนด",
    },
    "submission_timeliness": {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "หน่วยงานที่รับผิดชอบตัวชี้วัดในปีนั้น",
        "deadline": "วันสุดท้ายของการส่ง; NULL = ไม่ได้กำหนด",
        "is_closed": "true เมื่อปิดรับการส่งของไตรมาสนี้แล้ว",
        "first_submitted_at": "เวลาที่บันทึกฉบับที่ 1; NULL = ยังไม่ส่ง",
        "latest_submitted_at": "เวลาที่บันทึกฉบับล่าสุด",
        "latest_version": "เลขฉบับล่าสุด; NULL = ยังไม่ส่ง",
        "timeliness": "on_time (ทันเวลา), late (ฉบับที่ 1 หลังวันครบกำหนด), submitted (ไม่มีกำหนด), "
                      "overdue (ยังไม่ส่งและเลยกำหนด) หรือ pending (รอส่ง)",
    },
}
