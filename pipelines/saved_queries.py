"""The SQL page's example queries, each user's saved queries and each user's last 50 queries (migration 003).

Saved queries and the history live in the live database (never in the snapshot) and are written with a
short-lived connection through pipelines.db, like every other write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines import db, queries
from pipelines.calendar import quarter_ordinal_sql
from pipelines.sqlconsole import MAX_SQL_CHARACTERS

HISTORY_LENGTH = 50
MAX_TITLE_LENGTH = 120
MAX_SAVED_QUERIES = 200
"""Saved queries per user: each holds up to MAX_SQL_CHARACTERS, so without a count one user could grow the
database without limit."""


class SavedQueriesFull(ValueError):
    """The user already has MAX_SAVED_QUERIES saved queries (replacing one under its title still works)."""


@dataclass(frozen=True)
class ExampleQuery:
    title_th: str
    title_en: str
    sql: str


@dataclass(frozen=True)
class SavedQuery:
    title: str
    sql: str
    updated_at: datetime


@dataclass(frozen=True)
class HistoryEntry:
    sql: str
    outcome: str
    row_count: int | None
    elapsed_ms: int | None
    ran_at: datetime


_ORDINAL = quarter_ordinal_sql()
"""The quarter's place on one scale (calendar.quarter_ordinal); the examples compare quarters with it."""
_LATEST_QUARTER = f"(SELECT max({_ORDINAL}) FROM submissions)"

EXAMPLES: tuple[ExampleQuery, ...] = (
    ExampleQuery(
        "หน่วยงานที่ส่งช้า ค้างส่ง หรือยังไม่ส่ง",
        "Units that reported late, are overdue or have not reported",
        """SELECT fiscal_year, quarter, t.unit_code, u.name_th, t.deadline, t.first_submitted_at, t.timeliness
FROM submission_timeliness AS t
JOIN org_units AS u ON u.code = t.unit_code
WHERE t.timeliness IN ('late', 'overdue', 'pending')
  AND """ + _ORDINAL + " <= " + _LATEST_QUARTER + """
ORDER BY fiscal_year DESC, quarter DESC, t.timeliness, t.unit_code""",
    ),
    ExampleQuery(
        "คะแนนรายมิติของทั้งส่วนราชการ แยกตามไตรมาส",
        "Agency dimension scores by quarter",
        """SELECT d.fiscal_year, d.quarter, d.dimension, round(d.score, 4) AS score,
       round(d.reported_weight_pct, 1) AS reported_pct
FROM dimension_scores AS d
JOIN org_units AS u ON u.code = d.unit_code AND u.level = 'agency'
ORDER BY d.fiscal_year, d.quarter,
         list_position(['effectiveness', 'service_quality', 'efficiency', 'org_development'], d.dimension)""",
    ),
    ExampleQuery(
        "ตัวชี้วัดที่คะแนนลดลงสามไตรมาสติดกัน",
        "KPIs whose score fell three quarters running",
        """WITH ordered AS (
    SELECT unit_code, kpi_code, fiscal_year, quarter, score,
           """ + _ORDINAL + """ AS quarter_index,
           lag(score, 1) OVER w AS score_1_before,
           lag(score, 2) OVER w AS score_2_before,
           lag(score, 3) OVER w AS score_3_before,
           lag(""" + _ORDINAL + """, 3) OVER w AS index_3_before
    FROM kpi_results
    WHERE score IS NOT NULL
    WINDOW w AS (PARTITION BY unit_code, kpi_code ORDER BY fiscal_year, quarter)
)
SELECT unit_code, kpi_code, fiscal_year, quarter,
       round(score_3_before, 4) AS three_before, round(score_2_before, 4) AS two_before,
       round(score_1_before, 4) AS one_before, round(score, 4) AS now
FROM ordered
WHERE score < score_1_before AND score_1_before < score_2_before AND score_2_before < score_3_before
  AND quarter_index - index_3_before = 3   -- four consecutive quarters, no gap
ORDER BY fiscal_year DESC, quarter DESC, unit_code, kpi_code""",
    ),
    ExampleQuery(
        "น้ำหนักและคะแนนตามหมวด PMQA ไตรมาสล่าสุด (รวมหมวดที่ไม่มีตัวชี้วัด)",
        "PMQA weight and score by category, latest quarter (gaps included)",
        """SELECT category, kpi_count, round(weight_share_pct, 1) AS weight_share_pct, reported_count,
       round(score, 4) AS score, kpi_count = 0 AS coverage_gap
FROM pmqa_coverage
WHERE """ + _ORDINAL + " = " + _LATEST_QUARTER + """
ORDER BY category""",
    ),
    ExampleQuery(
        "ตัวชี้วัดที่ต่ำกว่าเป้าหมายในไตรมาสล่าสุด พร้อมหมายเหตุ",
        "Off-track KPIs in the latest quarter, with the units' notes",
        """SELECT r.unit_code, r.kpi_code, c.name_th, r.actual, c.target, round(r.score, 4) AS score, r.note
FROM kpi_results AS r
JOIN kpi_catalogue AS c
  ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
WHERE r.status = 'off_track' AND """ + quarter_ordinal_sql("r.fiscal_year", "r.quarter") + " = " + _LATEST_QUARTER + """
ORDER BY r.score, r.unit_code""",
    ),
    ExampleQuery(
        "อันดับหน่วยงานตามคะแนนถ่วงน้ำหนัก ไตรมาสล่าสุด",
        "Units ranked by weighted score, latest quarter",
        """SELECT rank() OVER (ORDER BY s.score DESC NULLS LAST) AS rank, s.unit_code, u.name_th, u.level,
       round(s.score, 4) AS score, round(s.reported_weight_pct, 1) AS reported_pct
FROM unit_scores AS s
JOIN org_units AS u ON u.code = s.unit_code
WHERE """ + quarter_ordinal_sql("s.fiscal_year", "s.quarter") + " = " + _LATEST_QUARTER + """
ORDER BY rank, s.unit_code""",
    ),
    ExampleQuery(
        "ตัวชี้วัดที่ยังไม่รายงาน แยกตามหน่วยงานและไตรมาส",
        "KPIs not reported, by unit and quarter",
        """SELECT fiscal_year, quarter, unit_code, count(*) AS not_reported,
       string_agg(kpi_code, ', ' ORDER BY kpi_code) AS kpis
FROM kpi_results
WHERE status = 'not_reported' AND """ + _ORDINAL + " <= " + _LATEST_QUARTER + """
GROUP BY ALL
ORDER BY fiscal_year DESC, quarter DESC, not_reported DESC""",
    ),
    ExampleQuery(
        "การส่งซ้ำ: ค่าที่เปลี่ยนระหว่างฉบับ",
        "Re-uploads: values that changed between versions",
        """SELECT unit_code, fiscal_year, quarter, kpi_code, version,
       lag(actual) OVER w AS previous_actual, actual, submitted_by, submitted_at
FROM submission_values
WINDOW w AS (PARTITION BY unit_code, fiscal_year, quarter, kpi_code ORDER BY version)
QUALIFY version > 1 AND actual IS DISTINCT FROM lag(actual) OVER w
ORDER BY submitted_at DESC""",
    ),
    ExampleQuery(
        "คะแนนทั้งส่วนราชการ เทียบไตรมาสเดียวกันของปีก่อน",
        "Agency score against the same quarter of the previous year",
        """SELECT this.fiscal_year, this.quarter, round(this.score, 4) AS score,
       round(last.score, 4) AS same_quarter_last_year, round(this.score - last.score, 4) AS change
FROM unit_scores AS this
JOIN org_units AS u ON u.code = this.unit_code AND u.level = 'agency'
LEFT JOIN unit_scores AS last
  ON last.unit_code = this.unit_code AND last.fiscal_year = this.fiscal_year - 1 AND last.quarter = this.quarter
WHERE this.score IS NOT NULL
ORDER BY this.fiscal_year, this.quarter""",
    ),
    ExampleQuery(
        "จำนวนและน้ำหนักตัวชี้วัดแยกตามมิติ ในแต่ละปีงบประมาณ",
        "Number and weight of KPIs per dimension and fiscal year",
        """SELECT fiscal_year, dimension, count(DISTINCT kpi_code) AS kpis, count(*) AS kpi_owner_pairs,
       sum(weight) AS total_weight
FROM kpi_catalogue
GROUP BY fiscal_year, dimension
ORDER BY fiscal_year,
         list_position(['effectiveness', 'service_quality', 'efficiency', 'org_development'], dimension)""",
    ),
)


def save_query(db_path: Path, username: str, title: str, sql: str) -> None:
    """Save under `title` (trimmed); the same user saving the same title again replaces the text."""
    title = title.strip()[:MAX_TITLE_LENGTH]
    if not title or not sql.strip():
        raise ValueError("a saved query needs a title and SQL")
    if len(sql) > MAX_SQL_CHARACTERS:
        raise ValueError(f"a saved query holds at most {MAX_SQL_CHARACTERS:,} characters")
    with db.open_db(db_path) as con, db.transaction(con):
        found = con.execute(queries.SAVED_QUERY_ID, [username, title]).fetchone()
        if found:
            con.execute(queries.UPDATE_SAVED_QUERY, [sql, found[0]])
        elif con.execute(queries.COUNT_SAVED_QUERIES, [username]).fetchone()[0] >= MAX_SAVED_QUERIES:
            raise SavedQueriesFull(f"at most {MAX_SAVED_QUERIES} saved queries per user")
        else:
            con.execute(queries.INSERT_SAVED_QUERY, [username, title, sql])


def saved_queries(db_path: Path, username: str) -> list[SavedQuery]:
    with db.open_db(db_path, read_only=True) as con:
        return [SavedQuery(*row) for row in con.execute(queries.SAVED_QUERIES_OF, [username]).fetchall()]


def delete_saved_query(db_path: Path, username: str, title: str) -> None:
    with db.open_db(db_path) as con:
        con.execute(queries.DELETE_SAVED_QUERY, [username, title])


def record_run(
    db_path: Path, username: str, sql: str, outcome: str, row_count: int | None, elapsed_ms: int | None
) -> None:
    """Append to the user's history and keep only their newest HISTORY_LENGTH entries."""
    with db.open_db(db_path) as con, db.transaction(con):
        con.execute(queries.INSERT_QUERY_HISTORY, [username, sql[:MAX_SQL_CHARACTERS], outcome, row_count, elapsed_ms])
        con.execute(queries.TRIM_QUERY_HISTORY, [username, username, HISTORY_LENGTH])


def history(db_path: Path, username: str) -> list[HistoryEntry]:
    """The user's last queries, newest first."""
    with db.open_db(db_path, read_only=True) as con:
        return [HistoryEntry(*row) for row in con.execute(queries.QUERY_HISTORY_OF, [username]).fetchall()]
