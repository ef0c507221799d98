"""The roles and the one table of pages: which pages exist, where each sits in the navigation, and who may open it.

Adding a page is one row in PAGES (and its script in dashboard/app_pages/). dashboard/app.py declares every
page from this table, the sidebar lists each role the rows it may open, and the server refuses the others
(`pipelines.auth.can_open`) whether they were clicked, typed or shared as a link. No streamlit here: a page's
name and its section's are the dashboard's string-table keys page_<key> and section_<section>.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: dict[str, tuple[str, str]] = {
    "executive": ("ผู้บริหาร", "Executive"),
    "division_head": ("หัวหน้าหน่วยงาน (ผู้นำส่งข้อมูล)", "Division head"),
    "analyst": ("นักวิเคราะห์", "Analyst"),
    "reviewer": ("ผู้ตรวจสอบผลการดำเนินงาน (กองแผน/กพร.)", "Reviewer (planning division)"),
    "admin": ("ผู้ดูแลระบบ", "Administrator"),
}
"""Role -> (Thai, English). What each may do is the `roles` of the PAGES rows plus `auth.can_submit_for`."""

ALL_ROLES = tuple(ROLES)


@dataclass(frozen=True)
class Page:
    key: str
    """The URL path (English, so a link survives a language switch) and the script dashboard/app_pages/<key>.py."""
    section: str
    """The navigation section the page is listed under; named by the string-table key `section_<section>`, as the
    page itself is by `page_<key>` (Thai and English)."""
    icon: str
    roles: tuple[str, ...]
    """The roles that may open the page; the server refuses every other one and writes the attempt to the audit."""
    default: bool = False
    """The page a signed-in user lands on."""
    own_period: bool = False
    """The page's form picks the fiscal year and quarter (and unit), so the sidebar's pickers are not drawn."""

    @property
    def script(self) -> str:
        return f"{self.key}.py"


_UPLOADERS = ("division_head", "admin")
_ANALYSTS = ("analyst", "admin")
_ADMINS = ("admin",)
_REVIEWERS = ("reviewer", "admin")  # pipelines.approval.REVIEWER_ROLES

PAGES: tuple[Page, ...] = (
    Page("overview", "executive", ":material/dashboard:", ALL_ROLES, default=True),
    Page("dimensions", "executive", ":material/view_quilt:", ALL_ROLES),
    Page("units", "executive", ":material/account_tree:", ALL_ROLES),
    Page("kpi", "executive", ":material/query_stats:", ALL_ROLES),
    Page("pmqa", "executive", ":material/checklist:", ALL_ROLES),
    Page("okr", "executive", ":material/flag:", ALL_ROLES),
    Page("strategy_map", "executive", ":material/map:", ALL_ROLES),
    Page("end_products", "executive", ":material/call_split:", ALL_ROLES),
    Page("alignment", "executive", ":material/account_balance:", ALL_ROLES),
    Page("submissions", "executive", ":material/fact_check:", ALL_ROLES),
    Page("upload", "submit", ":material/upload_file:", _UPLOADERS, own_period=True),
    Page("review", "submit", ":material/rule:", _REVIEWERS, own_period=True),
    Page("sql", "analysis", ":material/terminal:", _ANALYSTS),
    Page("admin_users", "admin", ":material/group:", _ADMINS),
    Page("admin_data", "admin", ":material/database_upload:", _ADMINS),
    Page("admin_strategy", "admin", ":material/edit_note:", _ADMINS, own_period=True),
    Page("admin_periods", "admin", ":material/event:", _ADMINS, own_period=True),
    Page("admin_audit", "admin", ":material/history:", _ADMINS),
)
"""Every page of the dashboard in navigation order, grouped by section in that order."""

_BY_KEY = {page.key: page for page in PAGES}


def page(key: str) -> Page:
    """The row of a page; "" is the default page (Streamlit's url_path of the page at the root URL). KeyError for
    a key that names no page."""
    return next(row for row in PAGES if row.default) if key == "" else _BY_KEY[key]


def may_open(role: str, key: str) -> bool:
    """Whether the role may open the page (`page(key)`); a key that names no page is opened by nobody."""
    try:
        return role in page(key).roles
    except KeyError:
        return False


def pages_for(role: str) -> list[Page]:
    """The pages the role may open, in navigation order."""
    return [row for row in PAGES if role in row.roles]
