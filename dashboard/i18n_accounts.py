"""Every user-visible string of the login gate, the upload page and the admin pages, Thai and English.

The companion of dashboard/i18n.py (whose shared vocabulary it reuses: statuses, periods, units); kept apart so
the two tables can be edited at the same time. `t` works like `i18n.t`.
"""

from __future__ import annotations

import streamlit as st

from dashboard import i18n, i18n_sql
from pipelines.audit import ACTIONS, OUTCOMES
from pipelines.auth import ROLES
from pipelines.calendar import format_date
from pipelines.problems import Problem

LANGUAGE_STATE_KEY = "filter_lang"  # the sidebar's language switch (dashboard.filters.language)

TEXT: dict[str, tuple[str, str]] = {
    # login gate
    "login_title": ("เข้าสู่ระบบติดตามตัวชี้วัด BSC", "Sign in to the BSC KPI dashboard"),
    "login_intro": ("ใช้ชื่อผู้ใช้และรหัสผ่านที่ผู้ดูแลระบบกำหนดให้",
                    "Use the user name and password your administrator gave you"),
    "username": ("ชื่อผู้ใช้", "User name"),
    "password": ("รหัสผ่าน", "Password"),
    "login_button": ("เข้าสู่ระบบ", "Sign in"),
    "login_missing": ("กรุณากรอกชื่อผู้ใช้และรหัสผ่าน", "Enter your user name and password"),
    "login_wrong": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong user name or password"),
    "login_attempts_left": ("(ลองได้อีก {left} ครั้งก่อนบัญชีถูกล็อก)", "({left} attempts left before the lock)"),
    "login_locked": ("บัญชีถูกล็อกชั่วคราว {minutes} นาที เพราะใส่รหัสผ่านผิด 5 ครั้งติดต่อกัน "
                     "ลองใหม่หลังเวลา {until} น. หรือติดต่อผู้ดูแลระบบ",
                     "Account locked for {minutes} minutes after 5 wrong passwords in a row; try again after "
                     "{until} or ask an administrator"),
    "login_rate_limited": ("เข้าสู่ระบบไม่สำเร็จจากเครื่องนี้หลายครั้งเกินไปภายใน {minutes} นาที "
                           "จึงระงับไว้ชั่วคราว ลองใหม่หลังเวลา {until} น.",
                           "Too many failed sign-ins from this address within {minutes} minutes; sign-ins "
                           "from it are paused until {until}"),
    "login_too_long": ("ชื่อผู้ใช้ยาวได้ไม่เกิน {username} ตัวอักษร และรหัสผ่านยาวได้ไม่เกิน {password} ตัวอักษร",
                       "A user name has at most {username} characters and a password at most {password}"),
    "login_busy": ("มีผู้เข้าสู่ระบบพร้อมกันจำนวนมาก กรุณากดเข้าสู่ระบบอีกครั้ง",
                   "Many people are signing in at this moment; please press Sign in again"),
    "page_failed": ("ขออภัย เกิดข้อผิดพลาดในการแสดงหน้านี้ ลองโหลดหน้าใหม่อีกครั้ง หากยังเกิดขึ้นอีก "
                    "แจ้งผู้ดูแลระบบพร้อมรหัสอ้างอิง {reference}",
                    "Sorry, something went wrong while showing this page. Reload it; if it happens again, give "
                    "your administrator the reference {reference}"),
    "login_disabled": ("บัญชีนี้ถูกระงับการใช้งาน ติดต่อผู้ดูแลระบบ", "This account is disabled; ask an administrator"),
    "sso_button": ("เข้าสู่ระบบด้วยบัญชีองค์กร (SSO)", "Sign in with your organisation account (SSO)"),
    "sso_no_account": ("อีเมล {email} ยังไม่ได้ผูกกับบัญชีผู้ใช้ในระบบ ติดต่อผู้ดูแลระบบ",
                       "No account in this system has the e-mail {email}; ask an administrator"),
    "logout_button": ("ออกจากระบบ", "Sign out"),
    "access_denied": ("บทบาท {role} ไม่มีสิทธิ์เปิดหน้านี้ (บันทึกการเข้าถึงไว้แล้ว)",
                      "The role {role} may not open this page (the attempt has been logged)"),
    "db_missing": ("ยังไม่มีฐานข้อมูลที่ `{path}` — สร้างข้อมูลตัวอย่างด้วย `make run`",
                   "No database at `{path}` yet: build the demo with `make run`"),
    "db_not_migrated": ("ฐานข้อมูล `{path}` ยังไม่มีตารางผู้ใช้ — รัน `python -m pipelines init` แล้วเพิ่มผู้ใช้ด้วย "
                        "`python -m pipelines users add`",
                        "The database `{path}` has no accounts yet: run `python -m pipelines init`, then "
                        "`python -m pipelines users add`"),
    "snapshot_failed": ("บันทึกแล้ว แต่สำเนาสำหรับนักวิเคราะห์ปรับปรุงไม่ได้ ({error}) จึงถูกถอนออกจนกว่าจะรัน "
                        "`python -m pipelines snapshot` — หน้าสรุปผลยังแสดงข้อมูลล่าสุด",
                        "Stored, but the analysts' copy could not be refreshed ({error}), so it is withdrawn until "
                        "`python -m pipelines snapshot` runs; the dashboard pages still show the latest data"),
    "no_accounts": ("ยังไม่มีบัญชีผู้ใช้ — สร้างผู้ดูแลระบบคนแรกด้วย `python -m pipelines users add admin --role admin`",
                    "No accounts yet: create the first admin with `python -m pipelines users add admin --role admin`"),
    # navigation
    "section_submit": ("นำส่งข้อมูล", "Submit"),
    "section_analysis": ("วิเคราะห์ข้อมูล", "Analysis"),
    "page_sql": i18n_sql.TEXT["page_sql"],
    "section_admin": ("ผู้ดูแลระบบ", "Administration"),
    "page_upload": ("นำส่งข้อมูลตัวชี้วัด", "Submit KPI results"),
    "page_admin_users": ("ผู้ใช้งาน", "Users"),
    "page_admin_data": ("หน่วยงานและบัญชีตัวชี้วัด", "Org units and catalogues"),
    "page_admin_periods": ("รอบการรายงานและกำหนดส่ง", "Quarters and deadlines"),
    "page_admin_audit": ("บันทึกการใช้งาน", "Audit trail"),
    # upload page
    "unit": ("หน่วยงาน", "Org unit"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "quarter": ("ไตรมาส", "Quarter"),
    "unit_refused": ("คุณไม่มีสิทธิ์นำส่งข้อมูลของหน่วยงาน {unit} (บันทึกความพยายามนี้ไว้แล้ว)",
                     "You may not submit for unit {unit} (the attempt has been logged)"),
    "no_unit_assigned": ("บัญชีของคุณยังไม่ได้ผูกกับหน่วยงาน ติดต่อผู้ดูแลระบบ",
                         "Your account has no unit yet; ask an administrator"),
    "no_catalogue_yet": ("ยังไม่มีบัญชีตัวชี้วัด ผู้ดูแลระบบต้องโหลดบัญชีตัวชี้วัดก่อน",
                         "No KPI catalogue yet: an administrator must load one first"),
    "deadline_is": ("กำหนดส่ง {date}", "deadline {date}"),
    "no_deadline": ("ยังไม่กำหนดวันส่ง", "no deadline set"),
    "no_kpis_for_unit": ("{unit} ไม่มีตัวชี้วัดในปีงบประมาณ {year}", "{unit} owns no KPI in fiscal year {year}"),
    "download_template": ("ดาวน์โหลดแบบฟอร์ม ({count} ตัวชี้วัด)", "Download the template ({count} KPIs)"),
    "step_upload": ("อัปโหลดไฟล์ผลการดำเนินงาน {period}", "Upload the results file for {period}"),
    "choose_file": ("เลือกไฟล์ {types} (ไม่เกิน {mb} MB)", "Choose a {types} file (up to {mb} MB)"),
    "period_rule": ("ไฟล์จะบันทึกเป็นข้อมูลของหน่วยงานและ{period} ที่เลือกไว้ด้านบน ไฟล์ที่ระบุหน่วยงาน ปีงบประมาณ หรือไตรมาสอื่นไว้ "
                    "(ที่หัวแบบฟอร์ม ในคอลัมน์ หรือในชื่อไฟล์ เช่น PLAN_2568_Q3.xlsx) จะไม่ถูกรับ",
                    "The file is stored for the unit and {period} selected above; a file that names another unit, "
                    "fiscal year or quarter (in the form header, a column or its name, e.g. PLAN_2568_Q3.xlsx) "
                    "is refused"),
    "file_too_large": ("ไฟล์ใหญ่เกิน {mb} MB", "The file is larger than {mb} MB"),
    "period_closed": ("{period} ปิดรับข้อมูลแล้ว (เหตุผล: {reason}) หากต้องแก้ไขข้อมูล ติดต่อผู้ดูแลระบบเพื่อเปิดรับอีกครั้ง",
                      "{period} is closed to uploads (reason: {reason}); ask an administrator to reopen it"),
    "problems_found": ("พบปัญหา {count} รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่",
                       "{count} problem(s) found; nothing was stored. Fix the file and upload it again"),
    "problem_line": ("แถว {row} คอลัมน์ {column} ค่า “{value}”: {reason}",
                     "row {row}, column {column}, value “{value}”: {reason}"),
    "problems_more": ("และอีก {count} รายการในตารางด้านล่าง", "and {count} more in the table below"),
    "file_preview": ("ข้อมูลในไฟล์ (ช่องสีแดงคือช่องที่ต้องแก้ไข)", "The file's rows (red cells need fixing)"),
    "problem_list": ("รายการปัญหาทั้งหมด", "Every problem"),
    "file_clean": ("ไฟล์ถูกต้อง ({count} แถว) ตรวจสอบข้อมูลด้านล่างแล้วกดยืนยันเพื่อบันทึก",
                   "The file is clean ({count} rows): check below, then confirm to store it"),
    "identical": ("ไฟล์นี้เหมือนกับฉบับล่าสุด (ฉบับที่ {version}) ทุกไบต์ ไม่มีอะไรต้องบันทึกเพิ่ม",
                  "This file is identical to the latest version ({version}); nothing new to store"),
    "resulting_score": ("คะแนนถ่วงน้ำหนักของหน่วยงานหากบันทึก", "Unit's weighted score if stored"),
    "reported_weight": ("น้ำหนักที่รายงานแล้ว", "Weight reported"),
    "will_store": ("ข้อมูลที่จะบันทึก", "What will be stored"),
    "changes": ("การเปลี่ยนแปลงเทียบกับฉบับที่ {version}", "Changes against version {version}"),
    "first_version": ("ฉบับแรกของไตรมาสนี้", "The first version of this quarter"),
    "no_value_changes": ("ค่าผลการดำเนินงานไม่เปลี่ยน (อาจเปลี่ยนเฉพาะหมายเหตุหรือหลักฐาน)",
                         "No value changes (notes or evidence may differ)"),
    "change_new": ("ใหม่", "new"),
    "change_changed": ("เปลี่ยน", "changed"),
    "change_removed": ("ลบออก", "removed"),
    "change_unchanged": ("เหมือนเดิม", "unchanged"),
    "notes_needed": ("ปัญหาอุปสรรคและแนวทางแก้ไข", "Problems and remedies"),
    "notes_needed_help": ("ตัวชี้วัดที่ต่ำกว่าเป้าหมายหรือยังไม่รายงานต้องมีหมายเหตุ (ปัญหาอุปสรรคและแนวทางแก้ไข) "
                          "กรอกในช่องด้านล่าง หรือใส่ในคอลัมน์หมายเหตุของไฟล์",
                          "A KPI that is off track or not reported needs a note (the problem and the remedy): "
                          "type it below or put it in the file's note column"),
    "note_placeholder": ("ปัญหา: ... แนวทางแก้ไข: ...", "Problem: ... Remedy: ..."),
    "notes_missing": ("ยังขาดหมายเหตุของ {codes}", "Notes still missing for {codes}"),
    "note_too_long": ("หมายเหตุของ {codes} ยาวเกิน {limit:,} ตัวอักษร ให้ย่อลง", "The note for {codes} is longer than "
                      "{limit:,} characters: shorten it"),
    "confirm": ("ยืนยันบันทึกข้อมูล", "Confirm and store"),
    "saving": ("กำลังบันทึก…", "Storing…"),
    "refused_on_commit": ("บันทึกไม่ได้: ไตรมาสนี้เพิ่งถูกปิดรับข้อมูล", "Not stored: this quarter was just closed"),
    "saved_version": ("บันทึกแล้ว: {file} เป็นฉบับที่ {version} ของ{period}",
                      "Stored: {file} is version {version} of {period}"),
    "unit_score_now": ("คะแนนถ่วงน้ำหนักของหน่วยงาน (ที่หน้าภาพรวมแสดง)", "Unit's weighted score (as the overview shows)"),
    "history": ("ประวัติการนำส่งของ {unit}", "Submission history of {unit}"),
    "no_history": ("ยังไม่เคยนำส่งข้อมูล", "Nothing submitted yet"),
    "download_version": ("เลือกฉบับที่จะดาวน์โหลด", "Version to download"),
    "version_n": ("ฉบับที่ {version}", "version {version}"),
    "download_file": ("ดาวน์โหลดไฟล์ที่นำส่ง", "Download the submitted file"),
    "file_not_archived": ("ไม่พบไฟล์นี้ในคลังไฟล์", "This file is not in the archive"),
    # admin: users
    "add_user": ("เพิ่มผู้ใช้", "Add a user"),
    "edit_user": ("แก้ไขผู้ใช้", "Change a user"),
    "username_help": ("อักษรอังกฤษตัวเล็ก ตัวเลข . _ - เช่น somchai.k", "a-z, 0-9, '.', '_', '-', e.g. somchai.k"),
    "unit_help": ("จำเป็นสำหรับหัวหน้าหน่วยงาน: นำส่งข้อมูลได้เฉพาะหน่วยงานนี้และหน่วยงานในสังกัด",
                  "Needed for a division head, who submits for this unit and the units below it"),
    "email_help": ("ใช้จับคู่บัญชีเมื่อเข้าสู่ระบบด้วย SSO", "Matches the account at single sign-on"),
    "password_help": ("อย่างน้อย {length} ตัวอักษร เว้นว่างเพื่อให้ระบบสร้างรหัสผ่านให้",
                      "At least {length} characters; leave empty to generate one"),
    "no_unit": ("— ไม่ระบุ —", "— none —"),
    "no_users": ("ยังไม่มีผู้ใช้", "No users yet"),
    "save_changes": ("บันทึกการแก้ไข", "Save changes"),
    "new_password": ("รหัสผ่านใหม่", "New password"),
    "set_password": ("ตั้งรหัสผ่านใหม่", "Set the password"),
    "disable_user": ("ระงับผู้ใช้", "Disable"),
    "enable_user": ("เปิดใช้ผู้ใช้", "Enable"),
    "unlock_user": ("ปลดล็อก", "Unlock"),
    "user_added": ("เพิ่มผู้ใช้ {username} แล้ว", "Added {username}"),
    "user_saved": ("บันทึกการแก้ไขของ {username} แล้ว", "Saved {username}"),
    "password_changed": ("ตั้งรหัสผ่านใหม่ของ {username} แล้ว (ออกจากระบบทุกเครื่องแล้ว)",
                         "New password set for {username} (signed out everywhere)"),
    "generated_password": ("รหัสผ่านที่สร้างให้: `{password}` — แจ้งผู้ใช้ตอนนี้ ระบบจะไม่แสดงอีก",
                           "Generated password: `{password}`; pass it on now, it is not shown again"),
    "user_disabled": ("ระงับ {username} แล้ว", "Disabled {username}"),
    "user_enabled": ("เปิดใช้ {username} แล้ว", "Enabled {username}"),
    "user_unlocked": ("ปลดล็อก {username} แล้ว", "Unlocked {username}"),
    # admin: org units and catalogues
    "orgs_file": ("ไฟล์โครงสร้างหน่วยงาน", "Org unit file"),
    "catalogue_file": ("ไฟล์บัญชีตัวชี้วัด", "KPI catalogue file"),
    "orgs_help": ("คอลัมน์: รหัสหน่วยงาน ชื่อหน่วยงาน ชื่อภาษาอังกฤษ หน่วยงานต้นสังกัด ระดับ — หน่วยงานเดิมจะถูกแก้ไข "
                  "หน่วยงานที่ไม่อยู่ในไฟล์คงไว้",
                  "Columns: code, name_th, name_en, parent_code, level. Existing units are updated; units missing "
                  "from the file are kept"),
    "catalogue_help": ("หนึ่งไฟล์ต่อหนึ่งปีงบประมาณ แทนที่บัญชีตัวชี้วัดเดิมของปีนั้นทั้งหมด และคำนวณคะแนนที่ส่งแล้วใหม่",
                       "One file per fiscal year; replaces that year's catalogue and re-scores what was submitted"),
    "catalogue_year": ("ปีงบประมาณ (หากไฟล์ไม่ระบุ)", "Fiscal year (if the file has none)"),
    "year_from_file": ("ตามที่ระบุในไฟล์", "as the file says"),
    "orgs_clean": ("ไฟล์ถูกต้อง: {count} หน่วยงาน (ใหม่ {new})", "Clean: {count} units ({new} new)"),
    "file_stored": ("บันทึก {file} แล้ว", "{file} has been stored"),
    "confirm_orgs": ("ยืนยันบันทึกโครงสร้างหน่วยงาน", "Confirm and store the org units"),
    "orgs_saved": ("บันทึกหน่วยงาน {count} หน่วยแล้ว", "Stored {count} org units"),
    "catalogue_clean": ("ไฟล์ถูกต้อง: {count} ตัวชี้วัด ปีงบประมาณ {year}", "Clean: {count} KPIs for fiscal year {year}"),
    "catalogue_replaces": ("บัญชีตัวชี้วัดปี {year} ที่มีอยู่จะถูกแทนที่ และคะแนนที่ส่งแล้วจะคำนวณใหม่",
                           "The existing {year} catalogue will be replaced and its stored scores recomputed"),
    "catalogue_drops_used": ("บันทึกไม่ได้: ไฟล์ใหม่ตัดตัวชี้วัด {count} รายการที่มีผลการดำเนินงานส่งแล้ว ({pairs})",
                             "Cannot store: the new file drops {count} KPI(s) that submissions use ({pairs})"),
    "confirm_catalogue": ("ยืนยันบันทึกบัญชีตัวชี้วัดปี {year}", "Confirm and store the {year} catalogue"),
    "catalogue_saved": ("บันทึกบัญชีตัวชี้วัดปี {year} แล้ว ({count} ตัวชี้วัด)", "Stored the {year} catalogue ({count} KPIs)"),
    # admin: periods
    "set_deadline": ("กำหนดวันส่งข้อมูล {period}", "Deadline for {period}"),
    "save_deadline": ("บันทึกกำหนดส่ง", "Save the deadline"),
    "clear_deadline": ("ยกเลิกกำหนดส่ง", "Clear"),
    "deadline_saved": ("กำหนดส่ง{period} เป็น {date} แล้ว", "{period} deadline set to {date}"),
    "deadline_cleared": ("ยกเลิกกำหนดส่ง{period} แล้ว", "{period} deadline cleared"),
    "close_period": ("ปิดรับข้อมูล {period}", "Close {period} to uploads"),
    "close_reason": ("เหตุผลในการปิดรับข้อมูล (จำเป็น)", "Why close it (required)"),
    "close_button": ("ปิดรับข้อมูล", "Close the quarter"),
    "period_closed_done": ("ปิดรับข้อมูล{period} แล้ว", "{period} closed"),
    "reopen_period": ("เปิดรับข้อมูล {period} อีกครั้ง", "Reopen {period}"),
    "closed_because": ("ปิดรับข้อมูลอยู่ เหตุผล: {reason}", "Closed; reason: {reason}"),
    "reopen_reason": ("เหตุผลในการเปิดรับข้อมูลอีกครั้ง (จำเป็น)", "Why reopen it (required)"),
    "reopen_button": ("เปิดรับข้อมูลอีกครั้ง", "Reopen"),
    "period_reopened": ("เปิดรับข้อมูล{period} อีกครั้งแล้ว", "{period} reopened"),
    "timeliness_title": ("การส่งข้อมูลของแต่ละหน่วยงาน {period}", "Who submitted {period}, and when"),
    # admin: audit
    "audit_help": ("บันทึกนี้เพิ่มได้อย่างเดียว แก้ไขหรือลบไม่ได้ กรองได้ที่นี่ และดาวน์โหลดเป็น CSV ด้านล่างเพื่อวิเคราะห์ต่อ "
                   "(เปิดด้วย Excel หรือ DuckDB) บันทึกนี้อยู่ในฐานข้อมูลหลักเท่านั้น ไม่อยู่ในสำเนาสำหรับนักวิเคราะห์ "
                   "จึงค้นด้วยหน้า SQL ไม่ได้",
                   "Append-only: never edited or deleted. Filter it here and download it as CSV below to analyse it "
                   "further (Excel or DuckDB). It lives only in the live database, not in the analyst snapshot, so the "
                   "SQL page cannot query it"),
    "everyone": ("ทุกคน", "everyone"),
    "every_action": ("ทุกการกระทำ", "every action"),
    "since": ("ตั้งแต่", "from"),
    "until": ("ถึง", "to"),
    "date_help": ("พิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ. หรือ ค.ศ. เช่น 15/10/2568, 15 ต.ค. 2568 หรือ 2025-10-15",
                  "Type the date as day/month/year, BE or CE, e.g. 15/10/2568, 15 Oct 2568 or 2025-10-15"),
    "audit_count": ("{count} รายการ (ล่าสุดก่อน)", "{count} events, newest first"),
    "download_csv": ("ดาวน์โหลด CSV", "Download CSV"),
    "yes": ("ใช่", "yes"),
    "no": ("ไม่", "no"),
    # column headers
    "col_row": ("แถว", "Row"),
    "col_problem": ("ปัญหาในแถวนี้", "Problem in this row"),
    "col_division": ("หน่วยงาน", "Unit"),
    "col_fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "col_quarter": ("ไตรมาส", "Quarter"),
    "col_kpi_code": ("รหัสตัวชี้วัด", "KPI code"),
    "col_actual": ("ผลการดำเนินงาน", "Actual"),
    "col_note": ("หมายเหตุ", "Note"),
    "col_evidence": ("หลักฐาน", "Evidence"),
    "col_sheet": ("ชีต", "Sheet"),
    "col_column": ("คอลัมน์", "Column"),
    "col_value": ("ค่าในไฟล์", "Value"),
    "col_reason": ("สาเหตุ", "Reason"),
    "col_change": ("การเปลี่ยนแปลง", "Change"),
    "col_score": ("คะแนน", "Score"),
    "col_name": ("ชื่อตัวชี้วัด", "KPI"),
    "col_unit": ("หน่วยนับ", "Unit of measure"),
    "col_unit_name": ("หน่วยงาน", "Unit"),
    "col_status": ("สถานะ", "Status"),
    "col_period": ("รอบ", "Period"),
    "col_version": ("ฉบับที่", "Version"),
    "col_is_latest": ("ฉบับล่าสุด", "Latest"),
    "col_file_name": ("ไฟล์", "File"),
    "col_submitted_by": ("ผู้นำส่ง", "Submitted by"),
    "col_submitted_at": ("เวลานำส่ง", "Submitted at"),
    "col_row_count": ("จำนวนแถว", "Rows"),
    "col_sha256": ("SHA-256", "SHA-256"),
    "col_username": ("ชื่อผู้ใช้", "User name"),
    "col_display_name": ("ชื่อที่แสดง", "Display name"),
    "col_role": ("บทบาท", "Role"),
    "col_unit_code": ("หน่วยงาน", "Unit"),
    "col_email": ("อีเมล", "E-mail"),
    "col_disabled": ("ระงับ", "Disabled"),
    "col_locked_until": ("ล็อกถึง", "Locked until"),
    "col_last_login_at": ("เข้าระบบล่าสุด", "Last sign-in"),
    "col_code": ("รหัส", "Code"),
    "col_name_th": ("ชื่อหน่วยงาน", "Thai name"),
    "col_name_en": ("ชื่อภาษาอังกฤษ", "English name"),
    "col_parent_code": ("ต้นสังกัด", "Parent"),
    "col_level": ("ระดับ", "Level"),
    "col_is_new": ("ใหม่", "New"),
    "col_dimension": ("มิติ", "Dimension"),
    "col_owner": ("หน่วยงานรับผิดชอบ", "Owner"),
    "col_weight": ("น้ำหนัก", "Weight"),
    "col_kind": ("ประเภท", "Kind"),
    "col_direction": ("ทิศทาง", "Direction"),
    "col_thresholds": ("เกณฑ์ระดับ 1–5", "Thresholds 1–5"),
    "col_pmqa": ("หมวด PMQA", "PMQA"),
    "col_deadline": ("กำหนดส่ง", "Deadline"),
    "col_is_closed": ("ปิดรับข้อมูล", "Closed"),
    "col_updated_by": ("แก้ไขโดย", "Changed by"),
    "col_updated_at": ("แก้ไขเมื่อ", "Changed at"),
    "col_first_submitted_at": ("ส่งครั้งแรก", "First submitted"),
    "col_latest_version": ("ฉบับล่าสุด", "Latest version"),
    "col_timeliness": ("ตรงเวลา/ล่าช้า", "On time / late"),
    "col_occurred_at": ("เวลา", "When"),
    "col_actor": ("ผู้ใช้", "Who"),
    "col_action": ("การกระทำ", "Action"),
    "col_outcome": ("ผล", "Outcome"),
    "col_detail": ("รายละเอียด", "Detail"),
    "col_channel": ("ช่องทาง", "Channel"),
}


t = i18n.translator(TEXT)


def ui_lang() -> str:
    """The language the sidebar switch (or ?lang=) chose; Thai by default and on the login page."""
    lang = st.session_state.get(LANGUAGE_STATE_KEY) or st.query_params.get("lang")
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def role_name(role: str, lang: str) -> str:
    thai, english = ROLES.get(role, (role, role))
    return thai if lang == "th" else english


def action_name(action: str, lang: str) -> str:
    thai, english = ACTIONS.get(action, (action, action))
    return thai if lang == "th" else english


def outcome_name(outcome: str, lang: str) -> str:
    thai, english = OUTCOMES.get(outcome, (outcome, outcome))
    return thai if lang == "th" else english


def date_text(value: object, lang: str, *, with_time: bool = False) -> str:
    """One date with its year in BE ('15 เม.ย. 2568'), as `pipelines.calendar.format_date` writes every date."""
    return format_date(value, lang, with_time=with_time)


def yes_no(value: bool, lang: str) -> str:
    return t("yes" if value else "no", lang)


def problem_text(problem: Problem, lang: str) -> str:
    reason = problem.reason_th if lang == "th" else problem.reason_en
    return f"{problem.value}: {reason}" if problem.value else reason
