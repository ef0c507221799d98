"""Every SQL statement of the product outside migrations/ and views.sql, with bound parameters."""

from __future__ import annotations

# --- org units ---------------------------------------------------------------------------------
SELECT_ORG_UNITS = "SELECT code, name_th, name_en, parent_code, level FROM org_units"
NEXT_ORG_SORT_ORDER = "SELECT coalesce(max(sort_order) + 1, 0) FROM org_unit"
UPDATE_ORG_UNIT = "UPDATE org_unit SET name_th = ?, name_en = ?, parent_code = ?, level = ? WHERE code = ?"
INSERT_ORG_UNIT = (
    "INSERT INTO org_unit (code, name_th, name_en, parent_code, level, sort_order) VALUES (?, ?, ?, ?, ?, ?)"
)
SELECT_SUBTREE = "SELECT unit_code FROM org_tree WHERE ancestor_code = ? ORDER BY depth, unit_code"

# --- catalogue -----------------------------------------------------------------------------------
SELECT_CATALOGUE = """
SELECT k.fiscal_year, k.kpi_code, k.name_th, k.name_en, k.dimension, k.pmqa,
       list(o.owner_code ORDER BY o.owner_code), k.unit, k.direction, k.kind, k.weight,
       k.t1, k.t2, k.t3, k.t4, k.t5, k.target
FROM kpi AS k JOIN kpi_owner AS o USING (fiscal_year, kpi_code)
GROUP BY ALL
ORDER BY k.fiscal_year, any_value(k.sort_order)
"""
SUBMITTED_KPI_PAIRS = """
SELECT DISTINCT s.unit_code, v.kpi_code
FROM submission AS s JOIN submission_value AS v USING (submission_id)
WHERE s.fiscal_year = ?
"""
DELETE_KPI_OWNERS = "DELETE FROM kpi_owner WHERE fiscal_year = ?"
DELETE_KPIS = "DELETE FROM kpi WHERE fiscal_year = ?"
KPI_COLUMNS = [
    "fiscal_year", "kpi_code", "name_th", "name_en", "dimension", "pmqa", "unit", "direction", "kind", "weight",
    "t1", "t2", "t3", "t4", "t5", "target", "sort_order",
]
KPI_OWNER_COLUMNS = ["fiscal_year", "kpi_code", "owner_code"]
INSERT_CATALOGUE_LOAD = (
    "INSERT INTO catalogue_load (fiscal_year, file_name, sha256, kpi_count, loaded_by) VALUES (?, ?, ?, ?, ?)"
)
SELECT_VALUES_OF_YEAR = """
SELECT v.submission_id, v.kpi_code, v.actual
FROM submission_value AS v JOIN submission AS s USING (submission_id)
WHERE s.fiscal_year = ?
"""
CREATE_RESCORE_TEMP = (
    "CREATE OR REPLACE TEMP TABLE rescore (submission_id BIGINT, kpi_code VARCHAR, score DOUBLE, status VARCHAR)"
)
RESCORE_COLUMNS = ["submission_id", "kpi_code", "score", "status"]
APPLY_RESCORE = """
UPDATE submission_value AS v SET score = r.score, status = r.status
FROM rescore AS r
WHERE v.submission_id = r.submission_id AND v.kpi_code = r.kpi_code
"""
DROP_RESCORE_TEMP = "DROP TABLE rescore"
CATALOGUE_YEARS = "SELECT DISTINCT fiscal_year FROM kpi ORDER BY fiscal_year"

# --- submissions ---------------------------------------------------------------------------------
LATEST_SUBMISSION = """
SELECT submission_id, version, sha256
FROM submission
WHERE unit_code = ? AND fiscal_year = ? AND quarter = ?
ORDER BY version DESC
LIMIT 1
"""
LATEST_VALUES = """
SELECT v.kpi_code, v.actual, v.score, v.note, v.evidence
FROM submission_value AS v
WHERE v.submission_id = ?
"""
INSERT_SUBMISSION = """
INSERT INTO submission (unit_code, fiscal_year, quarter, version, file_name, sha256, row_count, submitted_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING submission_id, submitted_at
"""
SUBMISSION_VALUE_COLUMNS = ["submission_id", "kpi_code", "actual", "score", "status", "note", "evidence", "source_row"]
SELECT_SUBMISSION_FILE = "SELECT file_name, sha256 FROM submission WHERE submission_id = ?"

# --- scores --------------------------------------------------------------------------------------
SCORES_BY_UNIT = """
SELECT s.unit_code, u.name_th, u.name_en, u.level, s.score, s.reported_weight_pct
FROM unit_scores AS s JOIN org_unit AS u ON u.code = s.unit_code
WHERE s.fiscal_year = ? AND s.quarter = ?
ORDER BY (u.level <> 'agency'), u.sort_order
"""
SCORES_BY_DIMENSION = """
SELECT d.unit_code, d.dimension, d.score, d.reported_weight_pct
FROM dimension_scores AS d JOIN org_unit AS u ON u.code = d.unit_code
WHERE d.fiscal_year = ? AND d.quarter = ?
ORDER BY (u.level <> 'agency'), u.sort_order,
         list_position(['effectiveness', 'service_quality', 'efficiency', 'org_development'], d.dimension)
"""
SCORES_BY_KPI = """
SELECT r.unit_code, r.kpi_code, c.name_th, r.dimension, r.actual, c.target, r.score, r.weight, r.status, r.version
FROM kpi_results AS r
JOIN kpi_catalogue AS c
  ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
JOIN org_unit AS u ON u.code = r.unit_code
WHERE r.fiscal_year = ? AND r.quarter = ?
ORDER BY u.sort_order, r.kpi_code
"""
SCORES_BY_PMQA = """
SELECT category, kpi_count, weight_share_pct, reported_count, score
FROM pmqa_coverage
WHERE fiscal_year = ? AND quarter = ?
ORDER BY category
"""
KPIS_OWNED_BY = """
SELECT k.kpi_code, k.name_th, k.name_en, k.dimension, k.unit, k.direction, k.kind, k.weight,
       k.t1, k.t2, k.t3, k.t4, k.t5, k.target
FROM kpi AS k JOIN kpi_owner AS o USING (fiscal_year, kpi_code)
WHERE k.fiscal_year = ? AND o.owner_code = ?
ORDER BY k.sort_order
"""
