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

# --- dashboard -----------------------------------------------------------------------------------
# Named parameters: $unit is the selected org unit; "subtree" = the unit and every unit below it (org_tree).
# Weighted scores follow DOMAIN section 6: Σ(weight·score)/Σ(weight) over scored results, reported weight in %.
DASHBOARD_LATEST_PERIOD = """
SELECT fiscal_year, quarter FROM submissions ORDER BY fiscal_year DESC, quarter DESC LIMIT 1
"""
DASHBOARD_SUBTREE_SCORES = """
SELECT r.fiscal_year, r.quarter, r.dimension,
       sum(r.weight * r.score) / nullif(sum(r.weight) FILTER (WHERE r.score IS NOT NULL), 0) AS score,
       coalesce(100 * sum(r.weight) FILTER (WHERE r.score IS NOT NULL) / nullif(sum(r.weight), 0), 0)
           AS reported_weight_pct,
       sum(r.weight) AS weight
FROM kpi_results AS r
JOIN org_tree AS t ON t.unit_code = r.unit_code
WHERE t.ancestor_code = $unit AND r.fiscal_year BETWEEN $first_year AND $last_year
GROUP BY GROUPING SETS ((r.fiscal_year, r.quarter, r.dimension), (r.fiscal_year, r.quarter))
ORDER BY r.fiscal_year, r.quarter, r.dimension NULLS FIRST
"""
DASHBOARD_CHILD_DIMENSION_SCORES = """
WITH heat_rows AS (
    SELECT CAST($unit AS VARCHAR) AS row_code, CAST($unit AS VARCHAR) AS unit_code
    UNION ALL
    SELECT child.code, t.unit_code
    FROM org_unit AS child JOIN org_tree AS t ON t.ancestor_code = child.code
    WHERE child.parent_code = $unit
)
SELECT h.row_code AS unit_code, any_value(u.name_th) AS name_th, any_value(u.name_en) AS name_en,
       h.row_code = $unit AS own_kpis_only, r.dimension,
       sum(r.weight * r.score) / nullif(sum(r.weight) FILTER (WHERE r.score IS NOT NULL), 0) AS score,
       coalesce(100 * sum(r.weight) FILTER (WHERE r.score IS NOT NULL) / nullif(sum(r.weight), 0), 0)
           AS reported_weight_pct
FROM heat_rows AS h
JOIN kpi_results AS r ON r.unit_code = h.unit_code
JOIN org_unit AS u ON u.code = h.row_code
WHERE r.fiscal_year = $fiscal_year AND r.quarter = $quarter
GROUP BY h.row_code, r.dimension
ORDER BY any_value(u.sort_order), r.dimension
"""
DASHBOARD_BELOW_TARGET = """
SELECT r.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, r.kpi_code,
       c.name_th, c.name_en, r.dimension, c.unit, c.direction, r.actual, c.target, r.score, r.weight, r.status
FROM kpi_results AS r
JOIN org_tree AS t ON t.unit_code = r.unit_code
JOIN kpi_catalogue AS c
  ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
JOIN org_unit AS u ON u.code = r.unit_code
WHERE t.ancestor_code = $unit AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
  AND r.status IN ('off_track', 'at_risk')
ORDER BY r.score, r.weight DESC, u.sort_order, r.kpi_code
LIMIT $limit
"""
DASHBOARD_SUBTREE_RESULTS = """
SELECT r.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, r.kpi_code,
       c.name_th, c.name_en, r.dimension, c.unit, c.direction, c.kind, r.actual, c.target,
       r.score, r.weight, r.status
FROM kpi_results AS r
JOIN org_tree AS t ON t.unit_code = r.unit_code
JOIN kpi_catalogue AS c
  ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
JOIN org_unit AS u ON u.code = r.unit_code
WHERE t.ancestor_code = $unit AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
  AND r.dimension = $dimension
ORDER BY u.sort_order, c.kpi_code
"""
DASHBOARD_DIMENSION_WEIGHT_BY_UNIT = """
SELECT r.unit_code, any_value(u.name_th) AS name_th, any_value(u.name_en) AS name_en,
       100 * coalesce(sum(r.weight) FILTER (WHERE r.dimension = $dimension), 0) / nullif(sum(r.weight), 0)
           AS weight_share_pct,
       sum(r.weight * r.score) FILTER (WHERE r.dimension = $dimension)
           / nullif(sum(r.weight) FILTER (WHERE r.dimension = $dimension AND r.score IS NOT NULL), 0) AS score
FROM kpi_results AS r
JOIN org_tree AS t ON t.unit_code = r.unit_code
JOIN org_unit AS u ON u.code = r.unit_code
WHERE t.ancestor_code = $unit AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
GROUP BY r.unit_code
ORDER BY any_value(u.sort_order)
"""
DASHBOARD_UNIT_RESULTS = """
SELECT r.fiscal_year, r.quarter, r.kpi_code, c.name_th, c.name_en, r.dimension, c.unit, c.direction, c.kind,
       r.actual, c.target, r.score, r.weight, r.status, r.version
FROM kpi_results AS r
JOIN kpi_catalogue AS c
  ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
WHERE r.unit_code = $unit AND r.fiscal_year * 4 + r.quarter BETWEEN $first_ordinal AND $last_ordinal
ORDER BY r.fiscal_year, r.quarter, c.kpi_code
"""
DASHBOARD_UNIT_SCORES = """
SELECT s.unit_code, s.score, s.reported_weight_pct
FROM unit_scores AS s
WHERE s.fiscal_year = $fiscal_year AND s.quarter = $quarter AND list_contains($units, s.unit_code)
"""
DASHBOARD_UNIT_DIMENSION_SCORES = """
SELECT d.dimension, d.score, d.reported_weight_pct
FROM dimension_scores AS d
WHERE d.fiscal_year = $fiscal_year AND d.quarter = $quarter AND d.unit_code = $unit
"""
DASHBOARD_SUBTREE_KPIS = """
SELECT c.kpi_code, any_value(c.name_th) AS name_th, any_value(c.name_en) AS name_en,
       any_value(c.dimension) AS dimension, any_value(c.pmqa) AS pmqa
FROM kpi_catalogue AS c
JOIN org_tree AS t ON t.unit_code = c.owner_code
WHERE t.ancestor_code = $unit AND c.fiscal_year = $fiscal_year
GROUP BY c.kpi_code
ORDER BY c.kpi_code
"""
DASHBOARD_KPI_DEFINITION = """
SELECT kpi_code, name_th, name_en, dimension, pmqa, unit, direction, kind, weight, t1, t2, t3, t4, t5, target
FROM kpi_catalogue
WHERE fiscal_year = $fiscal_year AND kpi_code = $kpi_code
LIMIT 1
"""
DASHBOARD_KPI_RESULTS = """
SELECT r.quarter, r.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en,
       r.actual, r.score, r.weight, r.status, r.version
FROM kpi_results AS r
JOIN org_tree AS t ON t.unit_code = r.unit_code
JOIN org_unit AS u ON u.code = r.unit_code
WHERE t.ancestor_code = $unit AND r.fiscal_year = $fiscal_year AND r.kpi_code = $kpi_code
ORDER BY u.sort_order, r.quarter
"""
DASHBOARD_KPI_VERSIONS = """
SELECT v.quarter, v.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, v.version, v.is_latest,
       v.actual, v.score, v.status, v.note, v.evidence, v.submitted_by, v.submitted_at
FROM submission_values AS v
JOIN org_tree AS t ON t.unit_code = v.unit_code
JOIN org_unit AS u ON u.code = v.unit_code
WHERE t.ancestor_code = $unit AND v.fiscal_year = $fiscal_year AND v.kpi_code = $kpi_code
ORDER BY v.quarter, u.sort_order, v.version DESC
"""
DASHBOARD_PMQA_COVERAGE = """
WITH scoped AS (
    SELECT r.unit_code, r.kpi_code, r.weight, r.score, c.pmqa
    FROM kpi_results AS r
    JOIN org_tree AS t ON t.unit_code = r.unit_code
    JOIN kpi_catalogue AS c
      ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
    WHERE t.ancestor_code = $unit AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
), categories AS (
    SELECT unnest($categories) AS category, unnest($groups) AS pmqa_group
), linked AS (
    SELECT s.unit_code, s.kpi_code, s.weight, s.score, c.category, c.pmqa_group
    FROM scoped AS s, unnest(s.pmqa) AS p(category)
    JOIN categories AS c USING (category)
), total AS (
    SELECT sum(weight) AS total_weight FROM scoped
), per_category AS (
    SELECT c.category, c.pmqa_group, l.kpi_code, l.weight, l.score
    FROM categories AS c LEFT JOIN linked AS l USING (category)
), per_group AS (
    SELECT DISTINCT c.pmqa_group, l.unit_code, l.kpi_code, l.weight, l.score
    FROM (SELECT DISTINCT pmqa_group FROM categories) AS c LEFT JOIN linked AS l USING (pmqa_group)
)
SELECT category, pmqa_group,
       count(DISTINCT kpi_code) AS kpi_count,
       coalesce(100 * sum(weight) / nullif(any_value(total.total_weight), 0), 0) AS weight_share_pct,
       count(DISTINCT kpi_code) FILTER (WHERE score IS NOT NULL) AS reported_count,
       sum(weight * score) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0) AS score
FROM per_category, total
GROUP BY category, pmqa_group
UNION ALL
SELECT NULL, pmqa_group,
       count(DISTINCT kpi_code),
       coalesce(100 * sum(weight) / nullif(any_value(total.total_weight), 0), 0),
       count(DISTINCT kpi_code) FILTER (WHERE score IS NOT NULL),
       sum(weight * score) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0)
FROM per_group, total
GROUP BY pmqa_group
"""
DASHBOARD_SUBMISSION_MATRIX = """
SELECT r.unit_code, any_value(u.name_th) AS name_th, any_value(u.name_en) AS name_en, r.quarter,
       count(*) AS kpi_count,
       count(*) FILTER (WHERE r.status = 'not_reported') AS missing_count,
       max(r.version) AS version, max(r.submitted_at) AS submitted_at
FROM kpi_results AS r
JOIN org_tree AS t ON t.unit_code = r.unit_code
JOIN org_unit AS u ON u.code = r.unit_code
WHERE t.ancestor_code = $unit AND r.fiscal_year = $fiscal_year
GROUP BY r.unit_code, r.quarter
ORDER BY any_value(u.sort_order), r.quarter
"""
