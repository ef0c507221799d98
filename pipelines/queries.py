"""Every SQL statement of the product outside migrations/ and views.sql, with bound parameters."""

from __future__ import annotations

from pipelines.calendar import quarter_ordinal_sql

# --- org units ---------------------------------------------------------------------------------
SELECT_ORG_UNITS = "SELECT code, name_th, name_en, parent_code, level FROM org_units"
UNITS_SPELLED = """
SELECT code, name_th FROM org_unit
WHERE list_contains($1, code) OR list_contains($1, name_th) OR list_contains($1, upper(code))
ORDER BY sort_order
"""
ORG_UNIT_CODES = "SELECT code FROM org_unit"
SELECT_ORG_UNIT = "SELECT code, name_th, name_en, parent_code, level FROM org_unit WHERE code = ?"
NEXT_ORG_SORT_ORDER = "SELECT coalesce(max(sort_order) + 1, 0) FROM org_unit"
UPDATE_ORG_UNIT = "UPDATE org_unit SET name_th = ?, name_en = ?, parent_code = ?, level = ? WHERE code = ?"
INSERT_ORG_UNIT = (
    "INSERT INTO org_unit (code, name_th, name_en, parent_code, level, sort_order) VALUES (?, ?, ?, ?, ?, ?)"
)
SELECT_SUBTREE = "SELECT unit_code FROM org_tree WHERE ancestor_code = ? ORDER BY depth, unit_code"
ORG_UNITS_DEPTH_FIRST = """
SELECT u.code, u.name_th, u.name_en, u.parent_code, u.level, o.depth
FROM org_unit AS u JOIN org_unit_outline AS o USING (code)
ORDER BY o.position
"""

# --- catalogue -----------------------------------------------------------------------------------
SELECT_CATALOGUE = """
SELECT fiscal_year, kpi_code, name_th, name_en, dimension, pmqa, unit, direction, kind, weight,
       t1, t2, t3, t4, t5, target
FROM kpi
WHERE fiscal_year = ?
ORDER BY sort_order
"""
SELECT_OWNERS = "SELECT kpi_code, owner_code FROM kpi_owner WHERE fiscal_year = ? ORDER BY owner_code"
KPI_CODES_NEEDED = """
SELECT kpi_code FROM kpi_owner WHERE fiscal_year = $1 AND owner_code IN (SELECT unnest($2::VARCHAR[]))
UNION
SELECT kpi_code FROM kpi
WHERE fiscal_year = $1
  AND (upper(replace(kpi_code, ' ', '')) IN (SELECT unnest($3::VARCHAR[])) OR strlen(kpi_code) <> length(kpi_code))
"""
SELECT_KPIS = """
SELECT fiscal_year, kpi_code, name_th, name_en, dimension, pmqa, unit, direction, kind, weight,
       t1, t2, t3, t4, t5, target
FROM kpi
WHERE fiscal_year = ? AND kpi_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY sort_order
"""
SELECT_OWNERS_OF_KPIS = """
SELECT kpi_code, owner_code FROM kpi_owner
WHERE fiscal_year = ? AND kpi_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY owner_code
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
CATALOGUE_FINGERPRINT = """
SELECT (SELECT count(*) || ':' || coalesce(sum(hash(k)), 0) FROM kpi AS k WHERE k.fiscal_year = $1)
       || '/' || (SELECT count(*) || ':' || coalesce(sum(hash(o)), 0) FROM kpi_owner AS o WHERE o.fiscal_year = $1)
"""
DATABASE_FILE = "SELECT coalesce(path, database_name) FROM duckdb_databases() WHERE database_name = current_database()"

# --- submissions ---------------------------------------------------------------------------------
LATEST_SUBMISSION = """
SELECT s.submission_id, s.version, s.sha256, r.status
FROM submission AS s LEFT JOIN submission_review AS r USING (submission_id)
WHERE s.unit_code = ? AND s.fiscal_year = ? AND s.quarter = ?
ORDER BY s.version DESC
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

# --- scores --------------------------------------------------------------------------------------
SCORES_BY_UNIT = """
SELECT s.unit_code, u.name_th, u.name_en, u.level, s.score, s.reported_weight_pct, s.status
FROM unit_scores AS s JOIN org_unit AS u ON u.code = s.unit_code
WHERE s.fiscal_year = ? AND s.quarter = ?
ORDER BY (u.level <> 'agency'), u.sort_order
"""
SCORES_BY_DIMENSION = """
SELECT d.unit_code, d.dimension, d.score, d.reported_weight_pct, d.status
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
# Weighted scores follow DOMAIN section 6 through the macros of views.sql (weighted_score and
# reported_weight_percent, the one place SQL writes the rule) applied to sums: a subtree's score reads its rows of
# kpi_subtree_total (kpi_result_total summed over the subtree, migration 015), so the agency of a large ministry
# is one row per quarter and dimension; per unit they add up kpi_result_total (the sums per unit and dimension).
# Queries that list results pick the rows they show from kpi_results first and join the catalogue to those rows
# only.
DASHBOARD_LATEST_PERIOD = """
SELECT fiscal_year, quarter FROM submission ORDER BY fiscal_year DESC, quarter DESC LIMIT 1
"""
DASHBOARD_SUBMITTED_PERIODS = """
SELECT t.fiscal_year, t.quarter, reported_weight_percent(sum(t.scored_weight), sum(t.weight))
FROM kpi_result_total AS t
WHERE EXISTS (SELECT 1 FROM submission AS s WHERE s.fiscal_year = t.fiscal_year AND s.quarter = t.quarter)
GROUP BY t.fiscal_year, t.quarter
ORDER BY t.fiscal_year DESC, t.quarter DESC
"""
DASHBOARD_SUBTREE_SCORES = """
WITH per_dimension AS (
    SELECT t.fiscal_year, t.quarter, t.dimension, t.weighted_sum, t.scored_weight, t.weight
    FROM kpi_subtree_total AS t
    WHERE t.unit_code = $unit AND t.fiscal_year BETWEEN $first_year AND $last_year
), rolled_up AS (
    SELECT fiscal_year, quarter, dimension, weighted_sum, scored_weight, weight FROM per_dimension
    UNION ALL
    SELECT fiscal_year, quarter, NULL, sum(weighted_sum), sum(scored_weight), sum(weight)
    FROM per_dimension GROUP BY fiscal_year, quarter
)
SELECT fiscal_year, quarter, dimension, weighted_score(weighted_sum, scored_weight) AS score,
       reported_weight_percent(scored_weight, weight) AS reported_weight_pct, weight
FROM rolled_up
ORDER BY fiscal_year, quarter, dimension NULLS FIRST
"""
DASHBOARD_CHILD_DIMENSION_SCORES = """
WITH heat_rows AS (  -- the unit's own KPIs (kpi_result_total), then each child's subtree (kpi_subtree_total)
    SELECT r.unit_code, true AS own_kpis_only, r.dimension, r.weighted_sum, r.scored_weight, r.weight
    FROM kpi_result_total AS r
    WHERE r.unit_code = $unit AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
    UNION ALL
    SELECT r.unit_code, false, r.dimension, r.weighted_sum, r.scored_weight, r.weight
    FROM kpi_subtree_total AS r
    WHERE r.unit_code IN (SELECT code FROM org_unit WHERE parent_code = $unit)
      AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
)
SELECT h.unit_code, u.name_th, u.name_en, h.own_kpis_only, h.dimension,
       weighted_score(h.weighted_sum, h.scored_weight) AS score,
       reported_weight_percent(h.scored_weight, h.weight) AS reported_weight_pct
FROM heat_rows AS h
JOIN org_unit AS u ON u.code = h.unit_code
ORDER BY u.sort_order, h.dimension
"""
_CATALOGUE_OF_PICKED = """
SELECT p.unit_code, p.unit_name_th, p.unit_name_en, p.kpi_code, c.name_th, c.name_en, p.dimension, c.unit,
       c.direction, c.kind, p.actual, c.target, p.score, p.weight, p.status
FROM picked AS p
JOIN kpi_catalogue AS c
  ON c.fiscal_year = $fiscal_year AND c.kpi_code = p.kpi_code AND c.owner_code = p.unit_code
"""
DASHBOARD_BELOW_TARGET = """
WITH picked AS (
    SELECT r.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, u.sort_order, r.kpi_code,
           r.dimension, r.actual, r.score, r.weight, r.status
    FROM kpi_results AS r
    JOIN org_unit AS u ON u.code = r.unit_code
    WHERE r.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
      AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter AND r.status IN ('off_track', 'at_risk')
    ORDER BY r.score, r.weight DESC, u.sort_order, r.kpi_code
    LIMIT $limit
)""" + _CATALOGUE_OF_PICKED + """ORDER BY p.score, p.weight DESC, p.sort_order, p.kpi_code
"""
_DIMENSION_RESULTS = """
    SELECT r.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, u.sort_order, r.kpi_code,
           r.dimension, r.actual, r.score, r.weight, r.status
    FROM kpi_results AS r
    JOIN org_unit AS u ON u.code = r.unit_code
    WHERE r.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
      AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter AND r.dimension = $dimension
"""
DASHBOARD_SUBTREE_RESULTS = (
    "WITH picked AS (" + _DIMENSION_RESULTS + ")" + _CATALOGUE_OF_PICKED + "ORDER BY p.sort_order, p.kpi_code\n"
)
DASHBOARD_DIMENSION_LOWEST = (
    "WITH picked AS (" + _DIMENSION_RESULTS
    + "      AND r.score IS NOT NULL\n    ORDER BY r.score, u.sort_order, r.kpi_code\n    LIMIT $limit\n)"
    + _CATALOGUE_OF_PICKED + "ORDER BY p.sort_order, p.kpi_code\n"
)
DASHBOARD_DIMENSION_UNREPORTED = """
SELECT r.kpi_code, r.unit_code
FROM kpi_results AS r
JOIN org_unit AS u ON u.code = r.unit_code
WHERE r.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
  AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter AND r.dimension = $dimension AND r.score IS NULL
ORDER BY u.sort_order, r.kpi_code
LIMIT $limit
"""
DASHBOARD_DIMENSION_TOTALS = """
SELECT weighted_score(sum(weighted_sum), sum(scored_weight)) AS score,
       reported_weight_percent(sum(scored_weight), sum(weight)) AS reported_weight_pct,
       coalesce(sum(result_count), 0)::BIGINT AS result_count,
       coalesce(sum(result_count - not_reported_count), 0)::BIGINT AS scored_count,
       coalesce(sum(on_track_count), 0)::BIGINT AS on_track,
       coalesce(sum(at_risk_count), 0)::BIGINT AS at_risk,
       coalesce(sum(off_track_count), 0)::BIGINT AS off_track,
       coalesce(sum(not_reported_count), 0)::BIGINT AS not_reported
FROM kpi_subtree_total
WHERE unit_code = $unit AND fiscal_year = $fiscal_year AND quarter = $quarter AND dimension = $dimension
"""
DASHBOARD_DIMENSION_WEIGHT_BY_UNIT = """
WITH per_unit AS (
    SELECT r.unit_code,
           100 * coalesce(sum(r.weight) FILTER (WHERE r.dimension = $dimension), 0) / nullif(sum(r.weight), 0)
               AS weight_share_pct,
           weighted_score(sum(r.weighted_sum) FILTER (WHERE r.dimension = $dimension),
                          sum(r.scored_weight) FILTER (WHERE r.dimension = $dimension)) AS score
    FROM kpi_result_total AS r
    WHERE r.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
      AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
    GROUP BY r.unit_code
), first_units AS (  -- named after the cut: a ministry's agency has tens of thousands of units
    SELECT p.*, u.sort_order, count(*) OVER () AS unit_total
    FROM per_unit AS p JOIN org_unit AS u ON u.code = p.unit_code
    ORDER BY u.sort_order
    LIMIT $limit
)
SELECT f.unit_code, u.name_th, u.name_en, f.weight_share_pct, f.score, f.unit_total
FROM first_units AS f JOIN org_unit AS u ON u.code = f.unit_code
ORDER BY f.sort_order
"""
"""What each unit of the subtree puts on the dimension, in org order, the first $limit units (all when NULL), with how
many units there are in all."""
DASHBOARD_UNIT_RESULTS = """
SELECT r.fiscal_year, r.quarter, r.kpi_code, c.name_th, c.name_en, r.dimension, c.unit, c.direction, c.kind,
       r.actual, c.target, r.score, r.weight, r.status, r.version
FROM kpi_results AS r
JOIN kpi_catalogue AS c
  ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
WHERE r.unit_code = $unit
  AND """ + quarter_ordinal_sql("r.fiscal_year", "r.quarter") + """ BETWEEN $first_ordinal AND $last_ordinal
ORDER BY r.fiscal_year, r.quarter, c.kpi_code
"""
DASHBOARD_UNIT_PEERS = """
WITH selected AS (SELECT code, parent_code FROM org_unit WHERE code = $unit),
peers AS (  -- the unit and its siblings; a unit at the top of the tree stands beside the units directly below it
    SELECT u.code, u.name_th, u.name_en, u.level, u.sort_order, u.code = s.code AS is_selected,
           u.code = s.code AND s.parent_code IS NULL AS heads_its_children
    FROM org_unit AS u, selected AS s
    WHERE u.parent_code = s.parent_code OR (s.parent_code IS NULL AND (u.code = s.code OR u.parent_code = s.code))
), scores AS (  -- as unit_scores scores them, for the peers only (not every unit of a ministry)
    SELECT scope_code AS code, weighted_score(sum(weighted_sum), sum(scored_weight)) AS score,
           reported_weight_percent(sum(scored_weight), sum(weight)) AS reported_weight_pct
    FROM scope_totals
    WHERE fiscal_year = $fiscal_year AND quarter = $quarter AND scope_code IN (SELECT code FROM peers)
    GROUP BY scope_code
)
SELECT p.code, p.name_th, p.name_en, p.level, s.score, s.reported_weight_pct, p.is_selected
FROM peers AS p
LEFT JOIN scores AS s USING (code)
ORDER BY p.heads_its_children DESC, p.sort_order
"""
DASHBOARD_UNIT_DIMENSION_SCORES = """
SELECT d.dimension, d.score, d.reported_weight_pct
FROM dimension_scores AS d
WHERE d.fiscal_year = $fiscal_year AND d.quarter = $quarter AND d.unit_code = $unit
"""
_SUBTREE_KPI = """
FROM kpi AS k
WHERE k.fiscal_year = $fiscal_year AND k.kpi_code IN (
    SELECT o.kpi_code FROM kpi_owner AS o
    WHERE o.fiscal_year = $fiscal_year
      AND o.owner_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
)
"""
DASHBOARD_SUBTREE_KPIS = "SELECT k.kpi_code, k.name_th, k.name_en, k.dimension" + _SUBTREE_KPI + "ORDER BY k.kpi_code\n"
"""The KPI picker's options: a ministry's agency owns tens of thousands of KPIs, so only what the picker shows and
searches (their PMQA categories, a list per KPI, cost as much again to fetch)."""
DASHBOARD_PMQA_MATRIX = """
SELECT k.kpi_code, k.name_th, k.name_en, k.dimension,
       list_contains(k.pmqa, 1) AS c1, list_contains(k.pmqa, 2) AS c2, list_contains(k.pmqa, 3) AS c3,
       list_contains(k.pmqa, 4) AS c4, list_contains(k.pmqa, 5) AS c5, list_contains(k.pmqa, 6) AS c6,
       list_contains(k.pmqa, 7) AS c7, count(*) OVER () AS kpi_total""" + _SUBTREE_KPI + """ORDER BY k.kpi_code
LIMIT $limit
"""
"""The subtree's KPIs (DASHBOARD_SUBTREE_KPIS) x the seven PMQA categories, the first $limit (all when NULL), with
how many there are in all."""
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
WITH versions AS (  -- the subtree's submissions of the year, each marked latest or not (as the view submissions)
    SELECT s.submission_id, s.unit_code, s.quarter, s.version, s.submitted_by, s.submitted_at,
           s.version = max(s.version) OVER (PARTITION BY s.unit_code, s.quarter) AS is_latest
    FROM submission AS s
    WHERE s.fiscal_year = $fiscal_year
      AND s.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
)
SELECT s.quarter, s.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, s.version, s.is_latest,
       v.actual, v.score, v.status, v.note, v.evidence, s.submitted_by, s.submitted_at
FROM versions AS s
JOIN submission_value AS v ON v.submission_id = s.submission_id AND v.kpi_code = $kpi_code
JOIN org_unit AS u ON u.code = s.unit_code
ORDER BY s.quarter, u.sort_order, s.version DESC
"""
DASHBOARD_PMQA_COVERAGE = """
WITH per_kpi AS (  -- the subtree's results summed per KPI first: a KPI with several owners counts once
    SELECT r.kpi_code, sum(r.weight) AS weight, sum(r.weight * r.score) AS weighted_sum,
           sum(r.weight) FILTER (WHERE r.score IS NOT NULL) AS scored_weight, bool_or(r.score IS NOT NULL) AS reported
    FROM kpi_results AS r
    WHERE r.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
      AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
    GROUP BY r.kpi_code
), categories AS (
    SELECT unnest($categories) AS category, unnest($groups) AS pmqa_group
), category_kpis AS (  -- one row per category and KPI (the catalogue keeps a KPI's categories unique)
    SELECT p.*, unnest(k.pmqa) AS category
    FROM per_kpi AS p JOIN kpi AS k ON k.fiscal_year = $fiscal_year AND k.kpi_code = p.kpi_code
), group_kpis AS (  -- a KPI linked to two categories of one group counts once in the group
    SELECT DISTINCT c.pmqa_group, k.kpi_code, k.weight, k.weighted_sum, k.scored_weight, k.reported
    FROM category_kpis AS k JOIN categories AS c USING (category)
), total AS (
    SELECT sum(weight) AS total_weight FROM per_kpi
)
SELECT c.category, c.pmqa_group, count(k.kpi_code) AS kpi_count,
       coalesce(100 * sum(k.weight) / nullif(any_value(t.total_weight), 0), 0) AS weight_share_pct,
       count(k.kpi_code) FILTER (WHERE k.reported) AS reported_count,
       weighted_score(sum(k.weighted_sum), sum(k.scored_weight)) AS score
FROM categories AS c LEFT JOIN category_kpis AS k USING (category) CROSS JOIN total AS t
GROUP BY c.category, c.pmqa_group
UNION ALL
SELECT NULL, g.pmqa_group, count(k.kpi_code),
       coalesce(100 * sum(k.weight) / nullif(any_value(t.total_weight), 0), 0),
       count(k.kpi_code) FILTER (WHERE k.reported),
       weighted_score(sum(k.weighted_sum), sum(k.scored_weight))
FROM (SELECT DISTINCT pmqa_group FROM categories) AS g LEFT JOIN group_kpis AS k USING (pmqa_group)
CROSS JOIN total AS t
GROUP BY g.pmqa_group
"""
_SUBMISSION_CELLS = """
WITH cells AS (  -- unit x quarter of the fiscal year for every unit of the subtree that owns KPIs
    SELECT r.unit_code, r.quarter, sum(r.result_count)::BIGINT AS kpi_count,
           sum(r.not_reported_count)::BIGINT AS missing_count, max(r.version) AS version,
           max(r.submitted_at) AS submitted_at,
           CASE WHEN max(r.version) IS NULL THEN 'not_submitted'
                WHEN sum(r.not_reported_count) > 0 THEN 'partial' ELSE 'submitted' END AS state
    FROM kpi_result_total AS r
    WHERE r.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
      AND r.fiscal_year = $fiscal_year
    GROUP BY r.unit_code, r.quarter
)"""
DASHBOARD_SUBMISSION_REPORTED = """
SELECT quarter, weighted_score(sum(weighted_sum), sum(scored_weight)) AS score,
       reported_weight_percent(sum(scored_weight), sum(weight)) AS reported_weight_pct
FROM kpi_subtree_total
WHERE unit_code = $unit AND fiscal_year = $fiscal_year
GROUP BY quarter
"""
DASHBOARD_SUBMISSION_MATRIX = _SUBMISSION_CELLS + """
SELECT c.unit_code, u.name_th, u.name_en, c.quarter, c.kpi_count, c.missing_count, c.version, c.submitted_at,
       c.state
FROM cells AS c JOIN org_unit AS u ON u.code = c.unit_code
ORDER BY u.sort_order, c.quarter
"""
DASHBOARD_SUBMISSION_SHOWN = _SUBMISSION_CELLS + """, counts AS (  -- every unit's state, counted per quarter
    SELECT quarter, count(*) FILTER (WHERE state = 'submitted') AS submitted,
           count(*) FILTER (WHERE state = 'partial') AS partial,
           count(*) FILTER (WHERE state = 'not_submitted') AS not_submitted,
           count(*) AS unit_count
    FROM cells
    GROUP BY quarter
), ranked AS (
    -- all units in org order when they fit in $limit rows; otherwise those furthest behind in $quarter first
    -- (not submitted, then most KPIs missing), then in org order
    SELECT c.unit_code, u.sort_order,
           row_number() OVER (ORDER BY CASE c.state WHEN 'not_submitted' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END,
                                       c.missing_count DESC, u.sort_order) AS attention,
           count(*) OVER () AS unit_count
    FROM cells AS c JOIN org_unit AS u ON u.code = c.unit_code
    WHERE c.quarter = $quarter
), shown AS (
    SELECT unit_code, CASE WHEN unit_count <= $limit THEN sort_order ELSE attention END AS position
    FROM ranked
    WHERE unit_count <= $limit OR attention <= $limit
)
SELECT c.unit_code, u.name_th, u.name_en, c.quarter, c.kpi_count, c.missing_count, c.version, c.submitted_at,
       c.state, n.submitted, n.partial, n.not_submitted, n.unit_count
FROM cells AS c JOIN shown AS s USING (unit_code) JOIN org_unit AS u ON u.code = c.unit_code
JOIN counts AS n ON n.quarter = c.quarter
ORDER BY s.position, c.quarter
"""
"""The cells of the units the submission status page draws, each with its quarter's counts of units per state (the
cells are summed once for both: every unit shown has a cell in every quarter)."""

DASHBOARD_TIMELINESS = """
SELECT t.unit_code, u.name_th, u.name_en, t.quarter, t.deadline, t.first_submitted_at, t.latest_version,
       t.timeliness,
       CASE t.timeliness WHEN 'late' THEN date_diff('day', t.deadline, CAST(t.first_submitted_at AS DATE))
                         WHEN 'overdue' THEN date_diff('day', t.deadline, CAST($today AS DATE)) END AS days_late
FROM submission_timeliness AS t
JOIN org_unit AS u ON u.code = t.unit_code
WHERE t.fiscal_year = $fiscal_year AND list_contains($listed, t.timeliness)
  AND ($quarter IS NULL OR t.quarter = $quarter)
  AND t.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
ORDER BY t.quarter, u.sort_order
"""
"""The subtree's units in the timeliness `listed` (of one quarter, or every quarter when $quarter is NULL)."""
DASHBOARD_TIMELINESS_COUNTS = """
SELECT t.quarter, t.timeliness, any_value(t.deadline) AS deadline, count(*)::INTEGER AS units
FROM submission_timeliness AS t
WHERE t.fiscal_year = $fiscal_year
  AND t.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
GROUP BY t.quarter, t.timeliness
"""
"""How many units of the subtree are in each timeliness per quarter, with the quarter's deadline: DASHBOARD_TIMELINESS
counted in SQL, for the overview, which shows only the counts (the agency's rows are 100,000 at 5M)."""

# --- accounts and audit --------------------------------------------------------------------------
_USER_COLUMNS = "username, display_name, role, unit_code, email, disabled"
SELECT_USER = f"SELECT {_USER_COLUMNS} FROM app_user WHERE username = ?"
SELECT_USERS_BY_EMAIL = f"SELECT {_USER_COLUMNS} FROM app_user WHERE lower(email) = ? AND NOT disabled"
SELECT_LOGIN_STATE = f"SELECT {_USER_COLUMNS}, password_hash, locked_until FROM app_user WHERE username = ?"
LIST_USERS = """
SELECT username, display_name, role, unit_code, email, disabled, failed_logins, locked_until, last_login_at,
       created_at, created_by
FROM app_user
ORDER BY list_position(['admin', 'executive', 'analyst', 'division_head'], role), unit_code NULLS FIRST, username
"""
UNIT_EXISTS = "SELECT count(*) FROM org_unit WHERE code = ?"
EMAIL_TAKEN = "SELECT count(*) FROM app_user WHERE lower(email) = ? AND username <> ?"
OTHER_ENABLED_ADMINS = "SELECT count(*) FROM app_user WHERE role = 'admin' AND NOT disabled AND username <> ?"
INSERT_USER = """
INSERT INTO app_user (username, display_name, role, unit_code, email, password_hash, created_at, created_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
UPDATE_USER = "UPDATE app_user SET display_name = ?, role = ?, unit_code = ?, email = ? WHERE username = ?"
SET_PASSWORD = "UPDATE app_user SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE username = ?"
SET_DISABLED = "UPDATE app_user SET disabled = ? WHERE username = ?"
CLEAR_FAILED_LOGINS = "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE username = ?"
COUNT_FAILED_LOGIN = "UPDATE app_user SET failed_logins = failed_logins + 1 WHERE username = ? RETURNING failed_logins"
LOCK_USER = "UPDATE app_user SET failed_logins = 0, locked_until = ? WHERE username = ?"
RECORD_LOGIN = "UPDATE app_user SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE username = ?"
RECORD_LOGIN_GIVING_BACK = """
UPDATE app_user SET failed_logins = greatest(failed_logins - ?, 0), locked_until = NULL, last_login_at = ?
WHERE username = ?
"""
RECORD_LAST_LOGIN = "UPDATE app_user SET last_login_at = ? WHERE username = ?"
SELECT_LOCKED_UNTIL = "SELECT locked_until FROM app_user WHERE username = ?"
INSERT_SESSION = (
    "INSERT INTO user_session (session_id, username, method, started_at, expires_at) VALUES (?, ?, ?, ?, ?)"
)
SELECT_SESSION_USER = """
SELECT u.username, u.display_name, u.role, u.unit_code, u.email, u.disabled
FROM user_session AS s JOIN app_user AS u USING (username)
WHERE s.session_id = ? AND s.ended_at IS NULL AND s.expires_at > ? AND NOT u.disabled
"""
SELECT_SESSION_USER_UNTIL = """
SELECT u.username, u.display_name, u.role, u.unit_code, u.email, u.disabled, s.expires_at
FROM user_session AS s JOIN app_user AS u USING (username)
WHERE s.session_id = ? AND s.ended_at IS NULL AND s.expires_at > ? AND NOT u.disabled
"""
"""SELECT_SESSION_USER and the session's expiry: a page run's session check (auth.signed_in_user)."""
END_SESSION = "UPDATE user_session SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL RETURNING username"
END_SESSIONS_OF_USER = "UPDATE user_session SET ended_at = ? WHERE username = ? AND ended_at IS NULL"
INSERT_AUDIT_EVENT = """
INSERT INTO audit_event (occurred_at, actor, action, outcome, unit_code, fiscal_year, quarter, detail, channel)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
SELECT_AUDIT_EVENTS = """
SELECT event_id, occurred_at, actor, action, outcome, unit_code, fiscal_year, quarter, detail, channel
FROM audit_log
WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action = ?)
  AND (CAST(? AS TIMESTAMP) IS NULL OR occurred_at >= ?) AND (CAST(? AS TIMESTAMP) IS NULL OR occurred_at < ?)
ORDER BY event_id DESC
LIMIT ?
"""

# --- periods and uploads -------------------------------------------------------------------------
SELECT_PERIOD = """
SELECT fiscal_year, quarter, is_closed, reason, deadline, updated_by, updated_at
FROM fiscal_period WHERE fiscal_year = ? AND quarter = ?
"""
LIST_PERIODS = """
SELECT v.fiscal_year, v.quarter, v.is_closed, v.reason, v.deadline, p.updated_by, p.updated_at
FROM submission_periods AS v
LEFT JOIN fiscal_period AS p USING (fiscal_year, quarter)
ORDER BY v.fiscal_year DESC, v.quarter
"""
UPSERT_PERIOD_CLOSED = """
INSERT INTO fiscal_period (fiscal_year, quarter, is_closed, reason, updated_by, updated_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (fiscal_year, quarter) DO UPDATE
SET is_closed = excluded.is_closed, reason = excluded.reason,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at
"""
UPSERT_PERIOD_DEADLINE = """
INSERT INTO fiscal_period (fiscal_year, quarter, deadline, updated_by, updated_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (fiscal_year, quarter) DO UPDATE
SET deadline = excluded.deadline, updated_by = excluded.updated_by, updated_at = excluded.updated_at
"""
TIMELINESS_OF_PERIOD = """
SELECT t.unit_code, u.name_th, u.name_en, t.deadline, t.first_submitted_at, t.latest_submitted_at,
       t.latest_version, t.timeliness
FROM submission_timeliness AS t JOIN org_unit AS u ON u.code = t.unit_code
WHERE t.fiscal_year = ? AND t.quarter = ?
ORDER BY u.sort_order
"""
LATEST_QUARTER_OF_UNIT = "SELECT max(quarter) FROM submission WHERE unit_code = ? AND fiscal_year = ?"
UNIT_SUBMISSION_HISTORY = """
SELECT submission_id, fiscal_year, quarter, version, is_latest, file_name, sha256, row_count,
       submitted_by, submitted_at, approval_status
FROM submissions
WHERE unit_code = ?
ORDER BY fiscal_year DESC, quarter DESC, version DESC
"""

# --- my tasks (pipelines.tasks) ------------------------------------------------------------------
MY_TASKS_DUE = """
SELECT t.unit_code, u.name_th, u.name_en, t.fiscal_year, t.quarter, t.deadline
FROM submission_timeliness AS t JOIN org_unit AS u ON u.code = t.unit_code
WHERE list_contains(?, t.unit_code) AND NOT coalesce(t.is_closed, false) AND t.first_submitted_at IS NULL
ORDER BY t.deadline NULLS LAST, t.fiscal_year, t.quarter, u.sort_order
"""
# --- review and approval (pipelines.approval, migration 012) ---------------------------------------
APPROVAL_REQUIRED = "SELECT approval_required FROM approval_setting WHERE fiscal_year = ?"
UPSERT_APPROVAL_SETTING = """
INSERT OR REPLACE INTO approval_setting (fiscal_year, approval_required, updated_by, updated_at) VALUES (?, ?, ?, ?)
"""
APPROVAL_SETTINGS = """
SELECT y.fiscal_year, coalesce(a.approval_required, false) AS approval_required, a.updated_by, a.updated_at
FROM (SELECT DISTINCT fiscal_year FROM kpi) AS y
LEFT JOIN approval_setting AS a USING (fiscal_year)
ORDER BY y.fiscal_year DESC
"""
INSERT_REVIEW = "INSERT INTO submission_review (submission_id, status) VALUES (?, 'submitted')"
WAITING_IN_YEAR = """
SELECT count(*) FROM submissions WHERE fiscal_year = ? AND approval_status = 'submitted'
"""
SUBMISSION_STATE = """
SELECT submission_id, unit_code, fiscal_year, quarter, version, is_latest, approval_status
FROM submissions WHERE submission_id = ?
"""
DECIDE_REVIEW = """
UPDATE submission_review SET status = ?, reviewed_by = ?, reviewed_at = ?, review_id = nextval('submission_id')
WHERE submission_id = ? AND status = 'submitted'
"""
INSERT_RETURN_REASON = "INSERT INTO submission_return_reason (submission_id, kpi_code, reason) VALUES (?, ?, ?)"
SUBMISSION_KPI_CODES = "SELECT kpi_code FROM submission_value WHERE submission_id = ?"
REVIEW_QUEUE = """
SELECT s.submission_id, s.unit_code, u.name_th, u.name_en, s.fiscal_year, s.quarter, s.version, s.file_name,
       s.row_count, s.submitted_by, s.submitted_at, p.deadline
FROM submissions AS s
JOIN org_unit AS u ON u.code = s.unit_code
LEFT JOIN fiscal_period AS p ON p.fiscal_year = s.fiscal_year AND p.quarter = s.quarter
WHERE s.approval_status = 'submitted'
ORDER BY p.deadline NULLS LAST, s.fiscal_year, s.quarter, s.submitted_at, u.sort_order
"""
REVIEW_DIFF = """
WITH counted AS (  -- the version the dashboard counts now: the last approved one (or one needing no approval)
    SELECT c.submission_id
    FROM submissions AS n JOIN submissions AS c
      ON c.unit_code = n.unit_code AND c.fiscal_year = n.fiscal_year AND c.quarter = n.quarter AND c.is_counted
    WHERE n.submission_id = $submission_id
)
SELECT v.kpi_code, k.name_th, k.name_en, k.unit, o.actual AS old_actual, v.actual AS new_actual,
       o.score AS old_score, v.score AS new_score, v.status, v.note, v.evidence
FROM submission_value AS v
JOIN submission AS s ON s.submission_id = v.submission_id
LEFT JOIN kpi AS k ON k.fiscal_year = s.fiscal_year AND k.kpi_code = v.kpi_code
LEFT JOIN submission_value AS o ON o.submission_id = (SELECT submission_id FROM counted) AND o.kpi_code = v.kpi_code
WHERE v.submission_id = $submission_id
ORDER BY coalesce(k.sort_order, 2147483647), v.kpi_code
"""
LATEST_RETURN = """
SELECT s.submission_id, s.version, r.reviewed_by, r.reviewed_at
FROM submissions AS s JOIN submission_review AS r USING (submission_id)
WHERE s.unit_code = ? AND s.fiscal_year = ? AND s.quarter = ? AND s.is_latest AND s.approval_status = 'returned'
"""
LATEST_APPROVAL_STATE = """
SELECT version, approval_status FROM submissions
WHERE unit_code = ? AND fiscal_year = ? AND quarter = ? AND is_latest
"""
RETURN_REASONS = """
SELECT x.kpi_code, k.name_th, k.name_en, x.reason
FROM submission_return_reason AS x
JOIN submission AS s ON s.submission_id = x.submission_id
LEFT JOIN kpi AS k ON k.fiscal_year = s.fiscal_year AND k.kpi_code = x.kpi_code
WHERE x.submission_id = ?
ORDER BY coalesce(k.sort_order, 2147483647), x.kpi_code
"""
RETURNED_VERSIONS = """
SELECT s.unit_code, u.name_th, u.name_en, s.fiscal_year, s.quarter, s.version, s.submission_id,
       r.reviewed_by AS returned_by, r.reviewed_at AS returned_at,
       (SELECT count(*) FROM submission_return_reason AS x WHERE x.submission_id = s.submission_id) AS reason_count
FROM submissions AS s
JOIN submission_review AS r USING (submission_id)
JOIN org_unit AS u ON u.code = s.unit_code
WHERE s.is_latest AND s.approval_status = 'returned' AND s.unit_code IN (SELECT unnest(?::VARCHAR[]))
ORDER BY s.fiscal_year DESC, s.quarter DESC, u.sort_order
"""
WAITING_IN_SUBTREE = """
SELECT w.unit_code
FROM include_submitted.waiting_versions AS w
WHERE w.fiscal_year = $fiscal_year AND w.quarter = $quarter
  AND w.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
ORDER BY w.unit_code
"""
"""Read from the review rows waiting (a handful), not the window over every submission of the view submissions."""
INCLUDE_SUBMITTED = "SET search_path = 'include_submitted,main'"
"""A dashboard read with the switch "include submitted, not yet approved" on: the same queries, where the schema
include_submitted shadows kpi_results, kpi_result_total and the scored views (views_include_submitted.sql)."""

# --- sql console ---------------------------------------------------------------------------------
LIVE_MAIN_TABLES = (
    "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
)
CREATE_SNAPSHOT_INFO = (
    "CREATE TABLE snapshot_info AS SELECT current_timestamp::TIMESTAMP AS published_at, ?::INTEGER AS schema_version,"
    " ?::BIGINT AS generation, ?::VARCHAR AS database_id"
)
SNAPSHOT_PUBLISHED_AT = "SELECT strftime(max(published_at), '%Y-%m-%d %H:%M:%S') FROM snapshot_info"
SNAPSHOT_SCHEMA_VERSION = "SELECT max(schema_version) FROM snapshot_info"
SNAPSHOT_STATE = "SELECT max(schema_version), max(database_id), max(generation) FROM snapshot_info"
"""(schema version, database id, data generation) of a snapshot; a snapshot published before migration 007 has
neither: use SNAPSHOT_SCHEMA_VERSION there."""

# --- data generation (migration 007) -------------------------------------------------------------
BUMP_GENERATION_RETURNING = "UPDATE data_generation SET generation = generation + 1 RETURNING generation"
SELECT_GENERATION = "SELECT max(database_id), max(generation) FROM data_generation"
SNAPSHOT_VIEW_COLUMNS = """
SELECT table_name, column_name, data_type
FROM information_schema.columns
WHERE table_schema = 'main'
ORDER BY table_name, ordinal_position
"""
SAVED_QUERY_ID = "SELECT query_id FROM saved_query WHERE username = ? AND title = ?"
UPDATE_SAVED_QUERY = "UPDATE saved_query SET sql = ?, updated_at = current_timestamp WHERE query_id = ?"
INSERT_SAVED_QUERY = "INSERT INTO saved_query (username, title, sql) VALUES (?, ?, ?)"
COUNT_SAVED_QUERIES = "SELECT count(*) FROM saved_query WHERE username = ?"
SAVED_QUERIES_OF = "SELECT title, sql, updated_at FROM saved_query WHERE username = ? ORDER BY lower(title), title"
DELETE_SAVED_QUERY = "DELETE FROM saved_query WHERE username = ? AND title = ?"
INSERT_QUERY_HISTORY = (
    "INSERT INTO query_history (username, sql, outcome, row_count, elapsed_ms) VALUES (?, ?, ?, ?, ?)"
)
TRIM_QUERY_HISTORY = """
DELETE FROM query_history
WHERE username = ? AND history_id NOT IN (
    SELECT history_id FROM query_history WHERE username = ? ORDER BY history_id DESC LIMIT ?
)
"""
QUERY_HISTORY_OF = """
SELECT sql, outcome, row_count, elapsed_ms, ran_at
FROM query_history
WHERE username = ?
ORDER BY history_id DESC
"""

# --- materialised views (pipelines.results) -----------------------------------------------------------------
# kpi_result mirrors the view kpi_results_computed, kpi_result_total kpi_result_totals_computed,
# kpi_subtree_total kpi_subtree_totals_computed, org_unit_closure org_tree_computed, org_unit_outline
# org_outline_computed.
DELETE_ORG_CLOSURE = "DELETE FROM org_unit_closure"
INSERT_ORG_CLOSURE = "INSERT INTO org_unit_closure SELECT * FROM org_tree_computed ORDER BY ancestor_code, depth"
DELETE_ORG_OUTLINE = "DELETE FROM org_unit_outline"
INSERT_ORG_OUTLINE = "INSERT INTO org_unit_outline SELECT * FROM org_outline_computed"
DELETE_RESULTS_OF_PERIOD = "DELETE FROM kpi_result WHERE unit_code = ? AND fiscal_year = ? AND quarter = ?"
INSERT_RESULTS_OF_PERIOD = (
    "INSERT INTO kpi_result SELECT * FROM kpi_results_computed WHERE unit_code = ? AND fiscal_year = ? AND quarter = ?"
)
DELETE_TOTALS_OF_PERIOD = "DELETE FROM kpi_result_total WHERE unit_code = ? AND fiscal_year = ? AND quarter = ?"
INSERT_TOTALS_OF_PERIOD = (
    "INSERT INTO kpi_result_total SELECT * FROM kpi_result_totals_computed "
    "WHERE unit_code = ? AND fiscal_year = ? AND quarter = ?"
)
DELETE_RESULTS_OF_YEAR = "DELETE FROM kpi_result WHERE fiscal_year = ?"
INSERT_RESULTS_OF_YEAR = (
    "INSERT INTO kpi_result SELECT * FROM kpi_results_computed WHERE fiscal_year = ? ORDER BY quarter, unit_code"
)
DELETE_TOTALS_OF_YEAR = "DELETE FROM kpi_result_total WHERE fiscal_year = ?"
INSERT_TOTALS_OF_YEAR = (
    "INSERT INTO kpi_result_total SELECT * FROM kpi_result_totals_computed WHERE fiscal_year = ? "
    "ORDER BY quarter, unit_code"
)
DELETE_ALL_RESULTS = "DELETE FROM kpi_result"
INSERT_ALL_RESULTS = (
    "INSERT INTO kpi_result SELECT * FROM kpi_results_computed ORDER BY fiscal_year, quarter, unit_code"
)
DELETE_ALL_TOTALS = "DELETE FROM kpi_result_total"
INSERT_ALL_TOTALS = (
    "INSERT INTO kpi_result_total SELECT * FROM kpi_result_totals_computed ORDER BY fiscal_year, quarter, unit_code"
)
ANCESTORS_OF_UNIT = "SELECT ancestor_code FROM org_unit_closure WHERE unit_code = ?"
DELETE_SUBTREE_TOTALS_OF_PERIOD = """
DELETE FROM kpi_subtree_total
WHERE fiscal_year = $fiscal_year AND quarter = $quarter AND list_contains($ancestors, unit_code)
"""
INSERT_SUBTREE_TOTALS_OF_PERIOD = """
INSERT INTO kpi_subtree_total
SELECT * FROM kpi_subtree_totals_computed
WHERE fiscal_year = $fiscal_year AND quarter = $quarter AND list_contains($ancestors, unit_code)
"""
"""The subtree totals of the $ancestors of a unit (ANCESTORS_OF_UNIT, itself included) in one quarter: what a new
version changes. A list, not a subquery: DuckDB then sums those subtrees only, not every subtree before filtering."""
DELETE_SUBTREE_TOTALS_OF_YEAR = "DELETE FROM kpi_subtree_total WHERE fiscal_year = ?"
INSERT_SUBTREE_TOTALS_OF_YEAR = (
    "INSERT INTO kpi_subtree_total SELECT * FROM kpi_subtree_totals_computed WHERE fiscal_year = ? "
    "ORDER BY unit_code, quarter"
)
DELETE_ALL_SUBTREE_TOTALS = "DELETE FROM kpi_subtree_total"
INSERT_ALL_SUBTREE_TOTALS = (
    "INSERT INTO kpi_subtree_total SELECT * FROM kpi_subtree_totals_computed ORDER BY unit_code, fiscal_year, quarter"
)
"""In unit order: a page reads one subtree's rows, and DuckDB skips the row groups whose unit codes cannot hold it."""

# --- sign-in throttle (pipelines.auth): failed attempts per source and per unknown user name -------------------

PRUNE_LOGIN_THROTTLE = """
DELETE FROM login_throttle
WHERE (window_start < ? OR (bucket LIKE 'source:%' AND window_start < ?)) AND coalesce(refused_until < ?, true)
"""
SELECT_LOGIN_THROTTLE = "SELECT failures, window_start, refused_until FROM login_throttle WHERE bucket = ?"
UPSERT_LOGIN_THROTTLE = """
INSERT INTO login_throttle (bucket, failures, window_start, refused_until) VALUES (?, ?, ?, ?)
ON CONFLICT (bucket) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
    refused_until = excluded.refused_until
"""
RELEASE_LOGIN_THROTTLE = "UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE bucket = ?"
COUNT_LOGIN_THROTTLE = "SELECT count(*) FROM login_throttle"

# --- check (pipelines.maintenance) ---------------------------------------------------------------
CHECK_VERSION_RUNS = """
SELECT unit_code, fiscal_year, quarter, count(*) AS versions, count(DISTINCT version) AS distinct_versions,
       min(version) AS first_version, max(version) AS last_version
FROM submission
GROUP BY ALL
HAVING count(*) <> count(DISTINCT version) OR min(version) <> 1 OR max(version) <> count(*)
ORDER BY ALL
"""
CHECK_TORN_SUBMISSIONS = """
SELECT s.unit_code, s.fiscal_year, s.quarter, s.version, s.row_count, count(v.submission_id) AS stored_rows
FROM submission AS s LEFT JOIN submission_value AS v USING (submission_id)
GROUP BY ALL
HAVING count(v.submission_id) <> s.row_count
ORDER BY ALL
"""
CHECK_ARCHIVED_FILES = """
SELECT unit_code || ' ' || fiscal_year || ' Q' || quarter || ' v' || version AS what, file_name, sha256
FROM submission
UNION ALL
SELECT 'catalogue ' || fiscal_year || ' load ' || load_id, file_name, sha256 FROM catalogue_load
ORDER BY ALL
"""
CHECK_STORED_SCORES = """
SELECT s.fiscal_year, s.unit_code, s.quarter, s.version, v.kpi_code, v.actual, v.score, v.status
FROM submission_value AS v JOIN submission AS s USING (submission_id)
ORDER BY ALL
"""
KEPT_TABLE_DRIFT = "(SELECT * FROM {table} EXCEPT ALL SELECT * FROM {view}) UNION ALL " \
                   "(SELECT * FROM {view} EXCEPT ALL SELECT * FROM {table})"
"""Rows where a kept table and the view it is kept equal to differ; formatted with names from
maintenance.KEPT_TABLES only."""

# ---------------------------------------------------------------------------- forecasts (pipelines.forecast)

FORECAST_SERIES = """
WITH wide AS (
    SELECT fiscal_year, kpi_code, unit_code,
           max(actual) FILTER (WHERE quarter = 1) AS q1, max(actual) FILTER (WHERE quarter = 2) AS q2,
           max(actual) FILTER (WHERE quarter = 3) AS q3, max(actual) FILTER (WHERE quarter = 4) AS q4
    FROM kpi_results
    WHERE fiscal_year BETWEEN ? - 1 AND ?
      AND (?::VARCHAR[] IS NULL OR unit_code IN (SELECT unnest(?::VARCHAR[])))
    GROUP BY fiscal_year, kpi_code, unit_code
)
SELECT w.fiscal_year, w.kpi_code, w.unit_code, k.direction, k.kind, k.unit AS measure, k.t1, k.t2, k.t3, k.t4, k.t5,
       w.q1, w.q2, w.q3, w.q4, ly.q1 AS ly1, ly.q2 AS ly2, ly.q3 AS ly3, ly.q4 AS ly4
FROM wide AS w
JOIN kpi AS k USING (fiscal_year, kpi_code)
LEFT JOIN wide AS ly
       ON ly.fiscal_year = w.fiscal_year - 1 AND ly.kpi_code = w.kpi_code AND ly.unit_code = w.unit_code
WHERE w.fiscal_year BETWEEN ? AND ?
ORDER BY w.fiscal_year, w.unit_code, w.kpi_code
"""
"""One row per KPI, owner and fiscal year (? to ?, then the owners, NULL for all, given twice, then the years
again): its scoring rule, its year-to-date actuals q1..q4 and the same KPI and owner's of the year before, ly1..ly4
(NULL where not reported): what pipelines.forecast reads."""
FORECAST_REPORTED_QUARTERS = """
SELECT DISTINCT fiscal_year, quarter FROM kpi_results WHERE version IS NOT NULL ORDER BY fiscal_year, quarter
"""
"""The quarters of each fiscal year for which at least one unit has submitted."""
FORECAST_QUARTERS_REPORTED_BY = """
SELECT DISTINCT quarter FROM kpi_results
WHERE fiscal_year = ? AND version IS NOT NULL
  AND (?::VARCHAR[] IS NULL OR unit_code IN (SELECT unnest(?::VARCHAR[])))
"""
"""The quarters of a fiscal year for which the units (NULL: any unit; given twice) have submitted."""
FORECAST_RULES = """
SELECT (SELECT max(version) FROM schema_version)::VARCHAR || '/' || coalesce((SELECT max(sha256) FROM schema_views), '')
"""
"""The schema the forecasts were computed on: a migration or new views may change what kpi_results holds."""
FORECAST_STATE = """
SELECT database_id, generation, rules, submission_id, submissions, load_id, loads FROM kpi_forecast_state
"""
_RESULT_CHANGES = """
WITH changes AS (  -- each new version, and each review decision (migration 012: numbered from the same sequence)
    SELECT submission_id AS change_id, fiscal_year, unit_code FROM submission
    UNION ALL
    SELECT r.review_id, s.fiscal_year, s.unit_code
    FROM submission_review AS r JOIN submission AS s USING (submission_id)
    WHERE r.review_id IS NOT NULL
)"""
FORECAST_SOURCES = _RESULT_CHANGES + """
SELECT (SELECT count(*) FROM changes WHERE change_id <= ?),
       (SELECT count(*) FROM catalogue_load WHERE load_id <= ?),
       (SELECT coalesce(max(change_id), 0) FROM changes), (SELECT count(*) FROM changes),
       (SELECT coalesce(max(load_id), 0) FROM catalogue_load), (SELECT count(*) FROM catalogue_load)
"""
"""Given the newest submission (or review decision: a change to what kpi_results counts) and catalogue load the
forecasts include: how many there are up to them (fewer or more than then: not append-only after all), and the
newest ones and their counts now."""
FORECAST_NEW_SUBMISSIONS = _RESULT_CHANGES + """
SELECT fiscal_year, unit_code, max(change_id) FROM changes WHERE change_id > ? GROUP BY ALL
"""
"""Each fiscal year and unit with a submission newer than ?, and its newest."""
FORECAST_NEW_LOADS = "SELECT fiscal_year, max(load_id) FROM catalogue_load WHERE load_id > ? GROUP BY ALL"
"""Each fiscal year whose catalogue was loaded after load ?, and its newest load."""
FORECAST_YEARS = "SELECT fiscal_year, submission_id, load_id, quarters, basis, overall FROM kpi_forecast_year"
FORECAST_METHODS_OF_YEAR = """
SELECT kpi_code, unit_code, method FROM kpi_forecast_method
WHERE fiscal_year = ? AND (?::VARCHAR[] IS NULL OR unit_code IN (SELECT unnest(?::VARCHAR[])))
"""
"""The per-KPI methods stored for a fiscal year, of the units (NULL: all; given twice)."""
FORECAST_BOUNDS_OF_YEAR = "SELECT method, as_of_quarter, below, above FROM kpi_forecast_bounds WHERE fiscal_year = ?"
DELETE_FORECASTS_OF_YEAR = "DELETE FROM kpi_forecast WHERE fiscal_year = ?"
DELETE_FORECASTS_OF_UNITS = """
DELETE FROM kpi_forecast WHERE fiscal_year = ? AND unit_code IN (SELECT unnest(?::VARCHAR[]))
"""
DELETE_FORECAST_YEAR = "DELETE FROM kpi_forecast_year WHERE fiscal_year = ?"
DELETE_FORECAST_METHODS = "DELETE FROM kpi_forecast_method WHERE fiscal_year = ?"
DELETE_FORECAST_BOUNDS = "DELETE FROM kpi_forecast_bounds WHERE fiscal_year = ?"
INSERT_FORECAST_YEAR = "INSERT INTO kpi_forecast_year VALUES (?, ?, ?, ?, ?, ?)"
INSERT_FORECAST_METHODS = "INSERT INTO kpi_forecast_method SELECT ?, kpi_code, unit_code, method FROM forecast_methods"
"""From the frame pipelines.forecast.refresh_table registers as forecast_methods."""
INSERT_FORECAST_BOUNDS = "INSERT INTO kpi_forecast_bounds VALUES (?, ?, ?, ?, ?)"
DELETE_ALL_FORECASTS = tuple(f"DELETE FROM {table}" for table in (
    "kpi_forecast", "kpi_forecast_year", "kpi_forecast_method", "kpi_forecast_bounds"))
DELETE_FORECAST_STATE = "DELETE FROM kpi_forecast_state"
INSERT_FORECAST_STATE = "INSERT INTO kpi_forecast_state VALUES (?, ?, ?, ?, ?, ?, ?)"
FORECAST_COLUMNS = [
    "fiscal_year", "as_of_quarter", "kpi_code", "unit_code", "method", "projected_actual", "low", "high",
    "projected_score", "projected_status",
]
INSERT_FORECASTS = """
INSERT INTO kpi_forecast
SELECT fiscal_year, as_of_quarter, kpi_code, unit_code, method, projected_actual, low, high, projected_score,
       projected_status
FROM forecast_rows
"""
"""From the frame pipelines.forecast.refresh_table registers as forecast_rows."""


# --- the strategy (migration 010, pipelines.strategy) ---------------------------------------------------------
STRATEGY_TABLES = ("plan_item", "objective", "key_result", "key_result_kpi", "end_product", "end_product_unit",
                   "end_product_key_result", "handoff", "objective_link")
DELETE_STRATEGY_ROWS: dict[str, str] = {
    table: f"DELETE FROM {table} WHERE fiscal_year = ?"  # noqa: S608 - table names are the constants above
    for table in STRATEGY_TABLES
}
"""One statement per strategy table: delete a fiscal year's rows (a load replaces the year's strategy)."""
INSERT_STRATEGY_LOAD = """
INSERT INTO strategy_load (fiscal_year, file_name, sha256, objective_count, key_result_count, loaded_by,
                           edit_summary)
VALUES (?, ?, ?, ?, ?, ?, ?)
"""
STRATEGY_YEARS = "SELECT DISTINCT fiscal_year FROM objective ORDER BY fiscal_year"
STRATEGY_LOADS = """
SELECT load_id, fiscal_year, file_name, sha256, objective_count, key_result_count, loaded_by, loaded_at
FROM strategy_load ORDER BY load_id DESC
"""

# --- the strategy editor: the stored strategy read back, and its versions (workflows.edit_strategy) ------------
SELECT_STRATEGY_ROWS: dict[str, str] = {
    "plan_item": "SELECT plan_code, name_th, name_en, level, parent_code FROM plan_item WHERE fiscal_year = ? "
                 "ORDER BY sort_order",
    "objective": "SELECT objective_code, name_th, name_en, dimension, plan_code, thrust, owner_unit, owner_executive "
                 "FROM objective WHERE fiscal_year = ? ORDER BY sort_order",
    "key_result": "SELECT key_result_code, objective_code, name_th, name_en, owner_unit, target, due_quarter, pmqa, "
                  "weight FROM key_result WHERE fiscal_year = ? ORDER BY sort_order",
    "key_result_kpi": "SELECT m.key_result_code, m.kpi_code, m.weight FROM key_result_kpi AS m "
                      "LEFT JOIN key_result AS k USING (fiscal_year, key_result_code) WHERE m.fiscal_year = ? "
                      "ORDER BY k.sort_order, m.kpi_code",
    "end_product": "SELECT end_product_code, objective_code, name_th, name_en FROM end_product WHERE fiscal_year = ? "
                   "ORDER BY sort_order",
    "end_product_unit": "SELECT end_product_code, unit_code, part FROM end_product_unit WHERE fiscal_year = ? "
                        "ORDER BY sort_order",
    "end_product_key_result": "SELECT l.end_product_code, l.key_result_code, l.weight FROM end_product_key_result AS l "
                              "LEFT JOIN end_product AS e USING (fiscal_year, end_product_code) "
                              "WHERE l.fiscal_year = ? ORDER BY e.sort_order, l.key_result_code",
    "handoff": "SELECT from_unit, to_unit, what, end_product_code FROM handoff WHERE fiscal_year = ? "
               "ORDER BY handoff_number",
    "objective_link": "SELECT from_objective, to_objective FROM objective_link WHERE fiscal_year = ? "
                      "ORDER BY from_objective, to_objective",
}
"""Each strategy table's rows of one fiscal year, in the columns and order of its pipelines.strategy record."""
STRATEGY_VERSIONS = """
SELECT * FROM (
    SELECT row_number() OVER (ORDER BY load_id) AS version, load_id, fiscal_year, file_name, sha256, edit_summary,
           objective_count, key_result_count, loaded_by, loaded_at
    FROM strategy_load WHERE fiscal_year = ?
) ORDER BY version DESC
"""
"""Every version of one fiscal year's strategy (a file load or an edit), newest first, numbered from 1."""
# --- End Products, alignment, the PMQA 3:1:3 view per objective, the catalogue's strategy check (ep-align) -----
STRATEGY_KPI_USES = """
SELECT k.key_result_code, k.owner_unit, m.kpi_code
FROM key_result AS k
JOIN key_result_kpi AS m USING (fiscal_year, key_result_code)
WHERE k.fiscal_year = ?
ORDER BY k.sort_order, m.kpi_code
"""
"""(key result, its owner unit, KPI) of every KPI a fiscal year's strategy measures a key result by."""
_CHOSEN_END_PRODUCTS = """
chosen AS (  -- the year's End Products the subtree contributes to
    SELECT e.end_product_code, any_value(e.sort_order) AS sort_order
    FROM end_product AS e
    JOIN end_product_unit AS u USING (fiscal_year, end_product_code)
    WHERE e.fiscal_year = $fiscal_year
      AND u.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
    GROUP BY e.end_product_code
), progress AS (
    SELECT key_result_code, score FROM okr_progress
    WHERE fiscal_year = $fiscal_year AND quarter = $quarter AND key_result_code IS NOT NULL
), linked AS (  -- each End Product's key results with their owner and their okr_progress score that quarter
    SELECT l.end_product_code, k.owner_unit, l.key_result_code, l.weight, p.score, k.sort_order
    FROM end_product_key_result AS l
    JOIN key_result AS k USING (fiscal_year, key_result_code)
    LEFT JOIN progress AS p ON p.key_result_code = l.key_result_code
    WHERE l.fiscal_year = $fiscal_year
)"""
END_PRODUCT_PARTS = """
WITH""" + _CHOSEN_END_PRODUCTS + """, parts AS (
    SELECT u.end_product_code, u.unit_code, u.part, u.sort_order, l.key_result_code, l.weight, l.score,
           l.sort_order AS key_result_order
    FROM end_product_unit AS u
    LEFT JOIN linked AS l ON l.end_product_code = u.end_product_code AND l.owner_unit = u.unit_code
    WHERE u.fiscal_year = $fiscal_year AND u.end_product_code IN (SELECT end_product_code FROM chosen)
), scored AS (  -- per unit's part, and (unit_code NULL) per End Product over every part's key results
    SELECT end_product_code, unit_code, any_value(part) AS part, any_value(sort_order) AS sort_order,
           list(key_result_code ORDER BY key_result_order) FILTER (WHERE key_result_code IS NOT NULL) AS key_results,
           count(key_result_code) AS key_result_count,
           weighted_score(sum(weight * score), sum(weight) FILTER (WHERE score IS NOT NULL)) AS score,
           reported_weight_percent(coalesce(sum(weight) FILTER (WHERE score IS NOT NULL), 0), sum(weight))
               AS reported_weight_pct
    FROM parts
    GROUP BY GROUPING SETS ((end_product_code, unit_code), (end_product_code))
)
SELECT s.end_product_code, e.objective_code, e.name_th, e.name_en, o.name_th AS objective_name_th,
       o.name_en AS objective_name_en, s.unit_code, g.name_th AS unit_name_th, g.name_en AS unit_name_en, s.part,
       coalesce(s.key_results, []) AS key_results, s.key_result_count, s.score, s.reported_weight_pct,
       aggregate_status(s.score, s.reported_weight_pct) AS status
FROM scored AS s
JOIN chosen AS c USING (end_product_code)
JOIN end_product AS e ON e.fiscal_year = $fiscal_year AND e.end_product_code = s.end_product_code
LEFT JOIN objective AS o ON o.fiscal_year = e.fiscal_year AND o.objective_code = e.objective_code
LEFT JOIN org_unit AS g ON g.code = s.unit_code
ORDER BY c.sort_order, s.unit_code IS NOT NULL, s.sort_order
"""
"""The End Products the subtree contributes to, each scored (the row whose unit_code is NULL) over all its key
results, then each contributing unit's part: the key results of the End Product the unit owns (a linked key
result is always owned by a contributor) and their weighted score. Key-result scores are okr_progress's, weights
the End Product's key-result weights, key results without a score not counted; status by aggregate_status."""
END_PRODUCT_HANDOFFS = """
WITH subtree AS (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit),
chosen AS (
    SELECT DISTINCT end_product_code FROM end_product_unit
    WHERE fiscal_year = $fiscal_year AND unit_code IN (SELECT unit_code FROM subtree)
), givers AS (
    SELECT unit_code, score, reported_weight_pct FROM unit_scores
    WHERE fiscal_year = $fiscal_year AND quarter = $quarter
)
SELECT h.handoff_number, h.end_product_code, h.from_unit, f.name_th AS from_name_th, f.name_en AS from_name_en,
       h.to_unit, t.name_th AS to_name_th, t.name_en AS to_name_en, h.what,
       s.score AS from_unit_score, coalesce(s.reported_weight_pct, 0) AS from_unit_reported_weight_pct
FROM handoff AS h
JOIN org_unit AS f ON f.code = h.from_unit
JOIN org_unit AS t ON t.code = h.to_unit
LEFT JOIN givers AS s ON s.unit_code = h.from_unit
WHERE h.fiscal_year = $fiscal_year
  AND (h.end_product_code IN (SELECT end_product_code FROM chosen)
       OR (h.end_product_code IS NULL AND (h.from_unit IN (SELECT unit_code FROM subtree)
                                            OR h.to_unit IN (SELECT unit_code FROM subtree))))
ORDER BY h.handoff_number
"""
"""The hand-offs of those End Products, and those of no End Product from or to a unit of the subtree, with the
giving unit's own score that quarter (unit_scores), for a giver that is no contributor of the End Product."""
_ALIGNED_RESULTS = """
WITH RECURSIVE results AS (  -- every KPI of every unit of the subtree that fiscal year, at its catalogue weight
    SELECT o.kpi_code, o.owner_code AS unit_code, k.weight, k.sort_order AS kpi_order, u.sort_order AS unit_order
    FROM kpi_owner AS o
    JOIN kpi AS k USING (fiscal_year, kpi_code)
    JOIN org_unit AS u ON u.code = o.owner_code
    WHERE o.fiscal_year = $fiscal_year
      AND o.owner_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
), served AS (  -- the objective (and its plan item) each KPI of a unit serves through a key result that unit owns
    SELECT DISTINCT m.kpi_code, k.owner_unit AS unit_code, k.objective_code, o.plan_code
    FROM key_result_kpi AS m
    JOIN key_result AS k USING (fiscal_year, key_result_code)
    JOIN objective AS o USING (fiscal_year, objective_code)
    WHERE m.fiscal_year = $fiscal_year
), above(plan_code, served_code) AS (  -- each plan item, and every item above it, that it serves
    SELECT plan_code, plan_code FROM plan_item WHERE fiscal_year = $fiscal_year
    UNION
    SELECT a.plan_code, p.parent_code
    FROM above AS a
    JOIN plan_item AS p ON p.fiscal_year = $fiscal_year AND p.plan_code = a.served_code
    WHERE p.parent_code IS NOT NULL
)"""
ALIGNMENT_BY_PLAN_ITEM = _ALIGNED_RESULTS + """, serving AS (  -- each KPI of a unit once per plan item it serves
    SELECT DISTINCT s.kpi_code, s.unit_code, a.served_code AS plan_code
    FROM served AS s JOIN above AS a ON a.plan_code = s.plan_code
)
SELECT p.plan_code, p.level, p.name_th, p.name_en, p.parent_code,
       count(DISTINCT r.kpi_code) AS kpi_count, coalesce(sum(r.weight), 0) AS weight,
       coalesce(100 * sum(r.weight) / nullif((SELECT sum(weight) FROM results), 0), 0) AS weight_share_pct
FROM plan_item AS p
LEFT JOIN serving AS v ON v.plan_code = p.plan_code
LEFT JOIN results AS r ON r.kpi_code = v.kpi_code AND r.unit_code = v.unit_code
WHERE p.fiscal_year = $fiscal_year
GROUP BY p.plan_code, p.level, p.name_th, p.name_en, p.parent_code, p.sort_order
ORDER BY p.sort_order
"""
"""Every plan item of the year with the share of the subtree's KPI weight that serves it (docs/guides/executive.md:
each KPI of a unit counted once per plan item, over the weight of every KPI of every unit of the subtree)."""
ALIGNMENT_TOTALS = _ALIGNED_RESULTS + """
SELECT count(*) AS result_count, coalesce(sum(r.weight), 0) AS weight,
       coalesce(sum(r.weight) FILTER (WHERE s.serves), 0) AS objective_weight,
       coalesce(sum(r.weight) FILTER (WHERE s.serves_plan), 0) AS plan_weight,
       count(*) FILTER (WHERE s.serves IS NULL) AS unserved_count
FROM results AS r
LEFT JOIN (SELECT kpi_code, unit_code, true AS serves, bool_or(plan_code IS NOT NULL) AS serves_plan
           FROM served GROUP BY kpi_code, unit_code) AS s USING (kpi_code, unit_code)
"""
"""The subtree's KPIs of units and their weight in all, the weight that serves an objective, the weight that serves
a plan item, and how many KPIs of units serve no objective."""
ALIGNMENT_UNSERVED = _ALIGNED_RESULTS + """, listed AS (  -- ordered and cut on narrow rows; names joined after
    SELECT r.kpi_code, r.unit_code, r.weight, r.unit_order, r.kpi_order
    FROM results AS r
    WHERE NOT EXISTS (SELECT 1 FROM served AS s WHERE s.kpi_code = r.kpi_code AND s.unit_code = r.unit_code)
    ORDER BY unit_order, kpi_order
    LIMIT $limit
)
SELECT l.kpi_code, k.name_th, k.name_en, k.dimension, l.unit_code, u.name_th AS unit_name_th,
       u.name_en AS unit_name_en, l.weight
FROM listed AS l
JOIN kpi AS k ON k.fiscal_year = $fiscal_year AND k.kpi_code = l.kpi_code
JOIN org_unit AS u ON u.code = l.unit_code
ORDER BY l.unit_order, l.kpi_order
"""
"""The first `limit` KPIs of units of the subtree (in org and catalogue order) that no key result of that unit is
measured by: they serve no objective."""
OBJECTIVE_PMQA = """
SELECT o.objective_code, o.name_th, o.name_en, o.dimension, k.key_result_code,
       CASE WHEN len(k.pmqa) > 0 THEN k.pmqa ELSE k.kpi_pmqa END AS pmqa
FROM objective AS o
JOIN key_results AS k USING (fiscal_year, objective_code)
JOIN key_result AS r USING (fiscal_year, key_result_code)
WHERE o.fiscal_year = $fiscal_year
ORDER BY o.sort_order, r.sort_order
"""
"""Each objective's key results with their PMQA categories: the strategy file's, else (none given) those of the
KPIs that measure it; objectives, then key results, in the file's order."""
# --- the OKR page and the strategy map (pipelines.okr_reports; views_strategy.sql) --------------------------------
_HELD_BY_SUBTREE = """
held AS (  -- the key results the unit's subtree owns, in file order
    SELECT k.fiscal_year, k.objective_code, k.key_result_code, k.name_th, k.name_en, k.owner_unit, k.target,
           k.due_quarter, k.weight, row_number() OVER () AS position
    FROM key_results AS k
    WHERE k.fiscal_year = $fiscal_year
      AND k.owner_unit IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
)"""
OKR_PROGRESS = """
SELECT objective_code, key_result_code, score, progress_pct, status, reported_weight_pct
FROM okr_progress
WHERE fiscal_year = $fiscal_year AND quarter = $quarter
"""
"""Score, progress and status of every objective (key_result_code NULL) and key result in the quarter: read once
for the OKR page, whose objectives and key results below take them by code."""
OKR_OBJECTIVES = """
WITH listed AS (
    SELECT o.*, row_number() OVER () AS position FROM objectives AS o WHERE o.fiscal_year = $fiscal_year
), """ + _HELD_BY_SUBTREE + """, owners AS (
    SELECT objective_code, list(DISTINCT owner_unit ORDER BY owner_unit) AS key_result_owners
    FROM key_results WHERE fiscal_year = $fiscal_year GROUP BY objective_code
)
SELECT o.objective_code, o.name_th, o.name_en, o.dimension, o.thrust, o.plan_code, o.owner_unit, o.owner_executive,
       coalesce(w.key_result_owners, []) AS key_result_owners
FROM listed AS o
LEFT JOIN owners AS w USING (objective_code)
WHERE o.objective_code IN (SELECT objective_code FROM held)
   OR o.owner_unit IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
ORDER BY o.position
"""
"""The objectives the unit's subtree owns or holds a key result of, in file order; `key_result_owners`: the units
that hold the objective's key results."""
OKR_KEY_RESULTS = "WITH " + _HELD_BY_SUBTREE + """
SELECT objective_code, key_result_code, name_th, name_en, owner_unit, target, due_quarter, weight
FROM held
ORDER BY position
"""
"""The key results the unit's subtree owns, in file order."""
OKR_KPIS = "WITH " + _HELD_BY_SUBTREE + """, measured AS (
    SELECT k.position, k.key_result_code, k.owner_unit, m.kpi_code, m.weight
    FROM held AS k
    JOIN key_result_kpis AS m ON m.fiscal_year = k.fiscal_year AND m.key_result_code = k.key_result_code
), names AS (
    SELECT DISTINCT kpi_code, name_th, name_en FROM kpi_catalogue
    WHERE fiscal_year = $fiscal_year AND kpi_code IN (SELECT kpi_code FROM measured)
)
SELECT m.key_result_code, m.kpi_code, c.name_th, c.name_en, m.weight, r.actual, r.score,
       coalesce(r.status, 'not_reported') AS status
FROM measured AS m
LEFT JOIN names AS c ON c.kpi_code = m.kpi_code
LEFT JOIN kpi_results AS r
       ON r.fiscal_year = $fiscal_year AND r.quarter = $quarter AND r.kpi_code = m.kpi_code
      AND r.unit_code = m.owner_unit
ORDER BY m.position, m.weight DESC, m.kpi_code
"""
"""The KPIs measuring those key results with their weights and the owner unit's result in the quarter."""
MAP_OBJECTIVES = """
WITH listed AS (
    SELECT o.*, row_number() OVER () AS position FROM objectives AS o WHERE o.fiscal_year = $fiscal_year
)
SELECT o.objective_code, o.name_th, o.name_en, o.dimension, o.plan_code, o.owner_unit,
       p.score, p.progress_pct, coalesce(p.status, 'not_reported') AS status, p.reported_weight_pct
FROM listed AS o
LEFT JOIN okr_progress AS p
       ON p.fiscal_year = o.fiscal_year AND p.quarter = $quarter AND p.objective_code = o.objective_code
      AND p.key_result_code IS NULL
ORDER BY o.position
"""
"""Every objective of the year in file order, with its status in the quarter: the boxes of the strategy map."""
MAP_LINKS = """
SELECT from_objective, to_objective FROM objective_links WHERE fiscal_year = $fiscal_year
ORDER BY from_objective, to_objective
"""
MAP_PLAN_ITEMS = """
SELECT plan_code, name_th, name_en, level, parent_code FROM plan_items WHERE fiscal_year = $fiscal_year
"""
"""The year's plan hierarchy (in file order, as the view gives it): the rows above the strategy map's layers."""

# --- year-end forecasts on the dashboard (the view kpi_forecasts, filled at publish) ---------------------------
DASHBOARD_FORECAST_SCORES = """
WITH subtree AS (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit),
projected AS (  -- the subtree's projections as of the selected quarter, weighted as its results are (the catalogue's
                -- weight and dimension of the KPI: kpi_results copies them); no join with the results' rows
    SELECT k.dimension, sum(k.weight * f.projected_score) AS weighted_sum,
           coalesce(sum(k.weight) FILTER (WHERE f.projected_score IS NOT NULL), 0) AS scored_weight
    FROM kpi_forecasts AS f
    JOIN kpi AS k ON k.fiscal_year = f.fiscal_year AND k.kpi_code = f.kpi_code
    WHERE f.unit_code IN (SELECT unit_code FROM subtree) AND f.fiscal_year = $fiscal_year
      AND f.as_of_quarter = $quarter
    GROUP BY k.dimension
), weights AS (  -- the weight of every result of the subtree in the quarter, from the kept per-unit sums
    SELECT dimension, sum(weight) AS weight
    FROM kpi_result_total
    WHERE unit_code IN (SELECT unit_code FROM subtree) AND fiscal_year = $fiscal_year AND quarter = $quarter
    GROUP BY dimension
), per_dimension AS (
    SELECT w.dimension, p.weighted_sum, coalesce(p.scored_weight, 0) AS scored_weight, w.weight
    FROM weights AS w LEFT JOIN projected AS p USING (dimension)
), rolled_up AS (
    SELECT dimension, weighted_sum, scored_weight, weight FROM per_dimension
    UNION ALL
    SELECT NULL, sum(weighted_sum), sum(scored_weight), sum(weight) FROM per_dimension
)
SELECT dimension, weighted_score(weighted_sum, scored_weight) AS score,
       reported_weight_percent(scored_weight, weight) AS projected_weight_pct,
       aggregate_status(weighted_score(weighted_sum, scored_weight), reported_weight_percent(scored_weight, weight))
           AS status
FROM rolled_up
WHERE weight IS NOT NULL
ORDER BY dimension NULLS FIRST
"""
"""The subtree's projected year-end score, overall (dimension NULL) and per dimension: the projected scores of
kpi_forecasts as of the selected quarter, weighted as stored scores are (the macros of views.sql), with the share of
the weight that has a projection in place of the reported weight (a KPI with nothing reported has none). Every
projection is of a result of the quarter (pipelines.forecast projects kpi_results' rows), so the projections are
summed on their own and the weights from kpi_result_total: joining the 625,000 results of a 5M agency's quarter to
their projections row by row cost 0.35-0.8 s (docs/scaling.md, fourth round)."""
DASHBOARD_FORECAST_METHODS = """
SELECT f.method, count(*)::INTEGER AS count
FROM kpi_forecasts AS f
WHERE f.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
  AND f.fiscal_year = $fiscal_year AND f.as_of_quarter = $quarter
GROUP BY f.method
ORDER BY count DESC, f.method
"""
"""How many of the subtree's projections each method made (the product's choice, pipelines.forecast)."""
_FORECAST_COLUMNS = """
    SELECT f.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, f.kpi_code, k.name_th, k.name_en,
           k.unit, k.direction, k.kind, k.t1, k.t2, k.t3, k.t4, k.t5, f.method, f.projected_actual, f.low, f.high,
           f.projected_score, f.projected_status"""
_FORECAST_TABLES = """
    FROM kpi_forecasts AS f
    JOIN kpi AS k ON k.fiscal_year = f.fiscal_year AND k.kpi_code = f.kpi_code
    JOIN org_unit AS u ON u.code = f.unit_code
"""
DASHBOARD_FORECAST_AT_RISK = """
WITH below AS (  -- the subtree's projections as of the quarter that end the year below level 3
    SELECT f.unit_code, f.kpi_code, f.projected_score
    FROM kpi_forecasts AS f
    WHERE f.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
      AND f.fiscal_year = $fiscal_year AND f.as_of_quarter = $quarter
      AND f.projected_status IN ('at_risk', 'off_track')
), matched AS (  -- of those, the KPIs on track or at risk in the quarter (joined on the two keys left to match)
    SELECT r.unit_code, r.kpi_code, r.score, r.status, r.weight, b.projected_score
    FROM kpi_results AS r
    JOIN below AS b ON b.unit_code = r.unit_code AND b.kpi_code = r.kpi_code
    WHERE r.fiscal_year = $fiscal_year AND r.quarter = $quarter AND r.status IN ('on_track', 'at_risk')
), at_risk AS (
    SELECT unit_code, kpi_code, score, status, weight, (SELECT count(*) FROM matched)::INTEGER AS total
    FROM matched
    ORDER BY projected_score, weight DESC, unit_code, kpi_code
    LIMIT $limit
)""" + _FORECAST_COLUMNS + ", a.score, a.status, a.weight, a.total" + _FORECAST_TABLES + """
    JOIN at_risk AS a ON a.unit_code = f.unit_code AND a.kpi_code = f.kpi_code
WHERE f.fiscal_year = $fiscal_year AND f.as_of_quarter = $quarter
ORDER BY f.projected_score, a.weight DESC, u.sort_order, f.kpi_code
"""
"""The subtree's KPIs on track or at risk in the selected quarter whose projection as of that quarter ends the year
below level 3 (LIMIT of them, lowest projected score first), with the scoring rule, today's score and status, and
`total`: how many there are in all."""
DASHBOARD_KPI_FORECASTS = (
    _FORECAST_COLUMNS + _FORECAST_TABLES + """
    JOIN org_tree AS t ON t.unit_code = f.unit_code
WHERE t.ancestor_code = $unit AND f.fiscal_year = $fiscal_year AND f.as_of_quarter = $quarter
  AND f.kpi_code = $kpi_code
ORDER BY u.sort_order
""")
"""One KPI's projections for each owner in the subtree, as of the selected quarter, with the scoring rule."""

# --- the executive report (pipelines.report; docs/reference/report.md) -----------------------------------------
REPORT_CHILD_SCORES = """
SELECT child.code AS unit_code, any_value(child.name_th) AS name_th, any_value(child.name_en) AS name_en,
       weighted_score(sum(r.weighted_sum), sum(r.scored_weight)) AS score,
       coalesce(reported_weight_percent(sum(r.scored_weight), sum(r.weight)), 0) AS reported_weight_pct
FROM org_unit AS child
JOIN org_tree AS t ON t.ancestor_code = child.code
JOIN kpi_result_total AS r ON r.unit_code = t.unit_code AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter
WHERE child.parent_code = $unit
GROUP BY child.code
ORDER BY score DESC NULLS LAST, any_value(child.sort_order)
"""
"""The units directly below $unit that own KPIs in their subtree, each with the weighted score of its subtree (as
the overview's heat map sums kpi_result_total), best first."""
REPORT_BELOW_TARGET = """
SELECT r.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, r.kpi_code, c.name_th, c.name_en,
       r.actual, c.target, c.unit, r.score, r.status, r.note, count(*) OVER ()::INTEGER AS total
FROM kpi_results AS r
JOIN org_unit AS u ON u.code = r.unit_code
JOIN kpi_catalogue AS c ON c.fiscal_year = r.fiscal_year AND c.kpi_code = r.kpi_code AND c.owner_code = r.unit_code
WHERE r.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
  AND r.fiscal_year = $fiscal_year AND r.quarter = $quarter AND r.status IN ('off_track', 'at_risk')
ORDER BY r.score, r.weight DESC, u.sort_order, r.kpi_code
LIMIT $limit
"""
"""The subtree's KPIs below target (the overview's rule: off track or at risk), lowest score first, with the note
the unit wrote (its problems and remedies) and `total`: how many there are in all."""
REPORT_OKR_PROGRESS = """
WITH subtree AS (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit),
krs AS (
    SELECT key_result_code, objective_code, name_th, name_en, sort_order
    FROM key_result WHERE fiscal_year = $fiscal_year AND owner_unit IN (SELECT unit_code FROM subtree)
)
SELECT p.objective_code, p.key_result_code, coalesce(k.name_th, o.name_th) AS name_th,
       coalesce(k.name_en, o.name_en) AS name_en, p.progress_pct, p.score, p.status, p.reported_weight_pct
FROM okr_progress AS p
JOIN objective AS o ON o.fiscal_year = p.fiscal_year AND o.objective_code = p.objective_code
LEFT JOIN krs AS k ON k.key_result_code = p.key_result_code
WHERE p.fiscal_year = $fiscal_year AND p.quarter = $quarter
  AND (k.key_result_code IS NOT NULL
       OR (p.key_result_code IS NULL AND (o.owner_unit IN (SELECT unit_code FROM subtree)
                                          OR p.objective_code IN (SELECT objective_code FROM krs))))
ORDER BY o.sort_order, p.key_result_code IS NOT NULL, k.sort_order
"""
"""okr_progress (each objective, then its key results) for the key results owned in the subtree and the objectives
they serve (or the subtree owns), with their names."""
REPORT_END_PRODUCTS = """
SELECT e.end_product_code, e.name_th, e.name_en, e.objective_code, count(*)::INTEGER AS unit_count,
       string_agg(u.name_th, ', ' ORDER BY p.sort_order) AS units_th,
       string_agg(coalesce(nullif(u.name_en, ''), u.name_th), ', ' ORDER BY p.sort_order) AS units_en
FROM end_product AS e
JOIN end_product_unit AS p ON p.fiscal_year = e.fiscal_year AND p.end_product_code = e.end_product_code
JOIN org_unit AS u ON u.code = p.unit_code
WHERE e.fiscal_year = $fiscal_year
GROUP BY e.end_product_code, e.name_th, e.name_en, e.objective_code, e.sort_order
HAVING bool_or(p.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit))
ORDER BY e.sort_order
"""
"""The End Products of the year with a contributing unit in the subtree, each with its contributing units' names."""
# ---------------------------------------------------------------------------- evidence files (pipelines.evidence)
INSERT_EVIDENCE_FILE = """
INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_by, uploaded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
EVIDENCE_SHA256_OF_RESULT = "SELECT sha256 FROM evidence_file WHERE submission_id = ? AND kpi_code = ?"
EVIDENCE_SIZES_OF_SUBMISSION = """
SELECT sha256, max(size_bytes) FROM evidence_file WHERE submission_id = ? GROUP BY sha256
"""
"""Each distinct file of a version once: the same file attached to two KPIs is stored (and counted) once."""
RESULT_IN_SUBMISSION = "SELECT 1 FROM submission_value WHERE submission_id = ? AND kpi_code = ?"
EVIDENCE_KPIS_OF_SUBMISSION = """
SELECT v.kpi_code, k.name_th, k.name_en
FROM submission_value AS v LEFT JOIN kpi AS k ON k.fiscal_year = ? AND k.kpi_code = v.kpi_code
WHERE v.submission_id = ?
ORDER BY k.sort_order NULLS LAST, v.kpi_code
"""
CARRY_OVER_EVIDENCE = """
INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_by, uploaded_at)
SELECT $new, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_by, uploaded_at
FROM evidence_file
WHERE submission_id = $old AND kpi_code IN (SELECT kpi_code FROM submission_value WHERE submission_id = $new)
ORDER BY evidence_id
"""
"""A new version keeps the evidence of the KPIs it still reports (pipelines.ingest)."""
EVIDENCE_OF_PERIOD = """
SELECT kpi_code, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at, version
FROM evidence_files
WHERE unit_code = ? AND fiscal_year = ? AND quarter = ? AND is_latest
ORDER BY kpi_code, evidence_id
"""
DASHBOARD_KPI_EVIDENCE = """
SELECT e.quarter, e.unit_code, u.name_th AS unit_name_th, u.name_en AS unit_name_en, e.version, e.file_name,
       e.media_type, e.size_bytes, e.sha256, e.uploaded_by, e.uploaded_at
FROM evidence_files AS e
JOIN org_units AS u ON u.code = e.unit_code
WHERE e.fiscal_year = $fiscal_year AND e.kpi_code = $kpi_code AND e.is_latest
  AND e.unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = $unit)
ORDER BY e.quarter, u.code, e.evidence_id
"""
"""The evidence of one KPI's latest results in the subtree, the KPI page's list."""
CHECK_EVIDENCE_FILES = """
SELECT s.unit_code || ' ' || s.fiscal_year || ' Q' || s.quarter || ' v' || s.version || ' ' || e.kpi_code AS what,
       e.file_name, e.media_type, e.sha256
FROM evidence_file AS e JOIN submission AS s USING (submission_id)
ORDER BY ALL
"""

# ---------------------------------------------------------------------------- reminders (pipelines.reminders)
SELECT_REMINDER_OFFSETS = """
SELECT offset_days FROM reminder_schedule WHERE fiscal_year = ? AND quarter = ? ORDER BY offset_days
"""
DELETE_REMINDER_OFFSETS = "DELETE FROM reminder_schedule WHERE fiscal_year = ? AND quarter = ?"
INSERT_REMINDER_OFFSET = """
INSERT INTO reminder_schedule (fiscal_year, quarter, offset_days, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
"""
LIST_REMINDER_SCHEDULES = """
SELECT fiscal_year, quarter, list(offset_days ORDER BY offset_days) FROM reminder_schedule GROUP BY ALL ORDER BY ALL
"""
REMINDER_QUARTERS = """
SELECT p.fiscal_year, p.quarter, p.deadline, list(r.offset_days ORDER BY r.offset_days)
FROM fiscal_period AS p JOIN reminder_schedule AS r USING (fiscal_year, quarter)
WHERE p.deadline IS NOT NULL AND NOT p.is_closed
GROUP BY ALL
ORDER BY ALL
"""
"""Every open quarter that has a deadline and reminder days."""
REMINDER_MISSING_UNITS = """
SELECT t.unit_code, u.name_th, u.name_en
FROM submission_timeliness AS t JOIN org_unit AS u ON u.code = t.unit_code
WHERE t.fiscal_year = ? AND t.quarter = ? AND t.latest_version IS NULL
ORDER BY u.sort_order
"""
"""The units that own KPIs in the year and have submitted nothing for the quarter."""
REMINDER_KPIS_OF_UNIT = """
SELECT k.kpi_code, k.name_th, k.name_en
FROM kpi AS k JOIN kpi_owner AS o USING (fiscal_year, kpi_code)
WHERE k.fiscal_year = ? AND o.owner_code = ?
ORDER BY k.sort_order
"""
REMINDER_DIVISION_HEADS = """
SELECT username, display_name, email FROM app_user
WHERE role = 'division_head' AND unit_code = ? AND NOT disabled AND coalesce(trim(email), '') <> ''
ORDER BY username
"""
DIVISION_HEADS_WITHOUT_EMAIL = """
SELECT username FROM app_user
WHERE role = 'division_head' AND NOT disabled AND coalesce(trim(email), '') = ''
ORDER BY username
"""
REMINDER_DIGEST_RECIPIENTS = """
SELECT username, display_name, email FROM app_user
WHERE list_contains(?::VARCHAR[], role) AND NOT disabled AND coalesce(trim(email), '') <> ''
ORDER BY username
"""
REMINDER_WAS_SENT = """
SELECT 1 FROM reminder_sent
WHERE kind = ? AND unit_code = ? AND fiscal_year = ? AND quarter = ? AND offset_days = ? AND due_on = ?
  AND recipient = ?
"""
INSERT_REMINDER_SENT = """
INSERT INTO reminder_sent (kind, unit_code, fiscal_year, quarter, offset_days, due_on, recipient, subject, sent_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
LIST_REMINDERS_SENT = """
SELECT sent_at, kind, unit_code, fiscal_year, quarter, offset_days, due_on, recipient, subject
FROM reminder_sent
ORDER BY sent_at DESC, kind, unit_code, recipient
LIMIT ?
"""
