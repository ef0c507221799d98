"""Every user-visible string of the SQL page (วิเคราะห์ข้อมูล SQL), Thai and English; `t` works like `i18n.t`.

Kept apart from dashboard/i18n.py and i18n_accounts.py so the three tables can be edited at the same time.
"""

from __future__ import annotations

from dashboard import i18n

TEXT: dict[str, tuple[str, str]] = {
    "page_sql": ("วิเคราะห์ข้อมูล SQL", "SQL workbench"),
    "intro": (
        "อ่านอย่างเดียวจากสำเนาข้อมูลสำหรับนักวิเคราะห์ (ข้อมูล ณ {published}) · รันได้ครั้งละหนึ่งคำสั่ง SELECT · "
        "หยุดอัตโนมัติเมื่อเกิน {seconds:g} วินาที หรือใช้หน่วยความจำเกิน {memory} · แสดง {display:,} แถวแรก · "
        "ผลลัพธ์เก็บได้สูงสุด {download:,} แถวหรือ {result_size} · ดาวน์โหลด CSV/Parquet ได้ทั้งหมด, Excel {xlsx:,} แถว",
        "Read-only, on the analyst snapshot (data as of {published}) · one SELECT at a time · "
        "stopped after {seconds:g} s or at {memory} of memory · shows the first {display:,} rows · keeps up to "
        "{download:,} rows or {result_size} of result, all of it in the CSV and Parquet downloads, {xlsx:,} rows "
        "as Excel",
    ),
    "no_snapshot": (
        "ยังไม่มีสำเนาข้อมูลสำหรับนักวิเคราะห์ — ผู้ดูแลระบบสร้างได้ด้วย `python -m pipelines snapshot`",
        "No analyst snapshot yet: an administrator creates it with `python -m pipelines snapshot`",
    ),
    "admin_audit_note": (
        "บันทึกการใช้งาน (audit_log) ไม่อยู่ในสำเนานี้ จึงค้นด้วย SQL ที่นี่ไม่ได้: กรองและดาวน์โหลดเป็น CSV ได้ที่หน้าบันทึกการใช้งาน",
        "The audit trail (audit_log) is not in the snapshot, so it cannot be queried here: filter it and download "
        "it as CSV on the audit page",
    ),
    "editor": ("คำสั่ง SQL", "SQL"),
    "editor_help": ("Ctrl+Enter หรือปุ่ม รัน เพื่อรันคำสั่ง", "Ctrl+Enter or the Run button runs the query"),
    "run": ("รัน", "Run"),
    "examples": ("ตัวอย่างคำสั่ง", "Example queries"),
    "saved": ("คำสั่งที่บันทึกไว้", "My saved queries"),
    "history": ("คำสั่งล่าสุด (50 รายการ)", "My last 50 queries"),
    "load": ("เปิด", "Open"),
    "delete": ("ลบ", "Delete"),
    "none_saved": ("ยังไม่มีคำสั่งที่บันทึกไว้", "No saved queries yet"),
    "none_history": ("ยังไม่มีประวัติการรัน", "No queries run yet"),
    "save_title": ("ชื่อคำสั่งที่จะบันทึก", "Title to save under"),
    "save": ("บันทึกคำสั่ง", "Save query"),
    "saved_ok": ("บันทึก “{title}” แล้ว", "Saved “{title}”"),
    "saved_full": ("บันทึกคำสั่งไว้ครบ {limit:,} รายการแล้ว ลบรายการที่ไม่ใช้ก่อน หรือบันทึกทับชื่อเดิม",
                   "You have {limit:,} saved queries, the most allowed: delete one first, or save under an existing "
                   "title"),
    "save_needs": ("ใส่ชื่อและคำสั่ง SQL (ไม่เกิน {limit:,} ตัวอักษร) ก่อนบันทึก",
                   "Give a title and some SQL (at most {limit:,} characters) to save"),
    "deleted_ok": ("ลบ “{title}” แล้ว", "Deleted “{title}”"),
    "history_not_saved": ("บันทึกประวัติการรันไม่ได้: {error}", "Could not record the run in your history: {error}"),
    "schema": ("วิวสาธารณะ", "Public views"),
    "schema_help": ("คลิกชื่อเพื่อแทรกลงในคำสั่ง", "Click a name to insert it into the editor"),
    "insert_view": ("แทรก {view}", "Insert {view}"),
    "result_summary": ("{rows:,} แถว · {seconds:.3f} วินาที", "{rows:,} rows · {seconds:.3f} s"),
    "result_bytes_capped": (
        "ผลลัพธ์ใหญ่เกิน {size}: เก็บไว้เฉพาะ {rows:,} แถวแรก เลือกคอลัมน์ให้น้อยลง กรองให้แคบลง หรือใช้ DuckDB CLI",
        "The result is over {size}: only the first {rows:,} rows were kept; select fewer columns, filter, or use "
        "the DuckDB CLI",
    ),
    "result_truncated": (
        "ผลลัพธ์มีมากกว่า {limit:,} แถว: เก็บไว้เฉพาะ {limit:,} แถวแรก ใช้ DuckDB CLI หรือคำสั่ง export สำหรับทั้งหมด",
        "More than {limit:,} rows: only the first {limit:,} were kept; use the DuckDB CLI or the export command "
        "for all of them",
    ),
    "display_capped": (
        "แสดง {shown:,} แถวแรกจาก {rows:,} แถว ไฟล์ดาวน์โหลดมีครบทุกแถว",
        "Showing the first {shown:,} of {rows:,} rows; the downloads have them all",
    ),
    "no_rows": ("ไม่มีแถวที่ตรงเงื่อนไข", "No rows"),
    "download_csv": ("ดาวน์โหลด CSV", "Download CSV"),
    "download_xlsx": ("ดาวน์โหลด Excel", "Download Excel"),
    "download_parquet": ("ดาวน์โหลด Parquet", "Download Parquet"),
    "xlsx_too_long": ("เกิน {limit:,} แถวสำหรับ Excel: ใช้ CSV หรือ Parquet",
                      "Over {limit:,} rows for Excel: use CSV or Parquet"),
    "chart": ("กราฟด่วน", "Quick chart"),
    "chart_kind": ("ชนิดกราฟ", "Chart"),
    "chart_bar": ("แท่ง", "Bar"),
    "chart_line": ("เส้น", "Line"),
    "chart_scatter": ("จุด", "Scatter"),
    "chart_x": ("แกน X", "x"),
    "chart_y": ("แกน Y", "y"),
    "chart_colour": ("สี", "Colour"),
    "chart_no_colour": ("(ไม่แยกสี)", "(none)"),
    "chart_row_number": ("(ลำดับแถว)", "(row number)"),
    "chart_needs_number": ("ผลลัพธ์ไม่มีคอลัมน์ตัวเลขสำหรับแกน Y", "The result has no numeric column for y"),
    "kind_refused": ("ไม่อนุญาต", "Refused"),
    "kind_timeout": ("เกินเวลา", "Time limit"),
    "kind_memory": ("เกินหน่วยความจำ", "Memory limit"),
    "kind_bytes": ("ผลลัพธ์ใหญ่เกิน", "Result too large"),
    "kind_busy": ("ไม่ว่าง", "Busy"),
    "kind_error": ("ข้อผิดพลาด", "Error"),
    "kind_unavailable": ("ไม่มีข้อมูล", "Unavailable"),
}


t = i18n.translator(TEXT)
