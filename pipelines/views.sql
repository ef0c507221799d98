-- The public analyst views: stable names, documented column by column in docs/reference/views.md.
-- Recreated by every `python -m pipelines init`; never store data in them.

-- Org units in file order.
CREATE OR REPLACE VIEW org_units AS
SELECT code, name_th, name_en, parent_code, level
FROM org_unit
ORDER BY sort_order;

-- Every (ancestor, descendant) pair of the org tree, a unit being its own ancestor at depth 0: the derivation
-- of the table org_unit_closure, which org loads refresh (pipelines.results); org_tree reads the table.
CREATE OR REPLACE VIEW org_tree_computed AS
WITH RECURSIVE tree(ancestor_code, unit_code, depth) AS (
    SELECT code, code, 0 FROM org_unit
    UNION ALL
    SELECT tree.ancestor_code, child.code, tree.depth + 1
    FROM tree JOIN org_unit AS child ON child.parent_code = tree.unit_code
)
SELECT ancestor_code, unit_code, depth FROM tree;

CREATE OR REPLACE VIEW org_tree AS
SELECT ancestor_code, unit_code, depth FROM org_unit_closure;

-- The org tree depth-first (each unit followed by the units below it, siblings in file order) with each unit's
-- depth: the derivation of the table org_unit_outline, refreshed with org_unit_closure.
CREATE OR REPLACE VIEW org_outline_computed AS
SELECT unit_code AS code, max(t.depth)::INTEGER AS depth,
       (row_number() OVER (ORDER BY list(a.sort_order ORDER BY t.depth DESC)))::INTEGER AS position
FROM org_tree_computed AS t
JOIN org_unit AS a ON a.code = t.ancestor_code
GROUP BY unit_code;

-- One row per KPI and owner; target defaults to t3 (3 steps for a milestone KPI).
CREATE OR REPLACE VIEW kpi_catalogue AS
SELECT k.fiscal_year, k.kpi_code, k.name_th, k.name_en, k.dimension, k.pmqa, o.owner_code,
       k.unit, k.direction, k.kind, k.weight, k.t1, k.t2, k.t3, k.t4, k.t5,
       coalesce(k.target, k.t3, CASE WHEN k.kind = 'milestone' THEN 3 END) AS target
FROM kpi AS k
JOIN kpi_owner AS o USING (fiscal_year, kpi_code);

-- Every version of every submission.
CREATE OR REPLACE VIEW submissions AS
SELECT submission_id, unit_code, fiscal_year, quarter, version,
       version = max(version) OVER (PARTITION BY unit_code, fiscal_year, quarter) AS is_latest,
       file_name, sha256, row_count, submitted_by, submitted_at
FROM submission;

-- Every value of every version (history, notes and evidence).
CREATE OR REPLACE VIEW submission_values AS
SELECT s.submission_id, s.unit_code, s.fiscal_year, s.quarter, s.version, s.is_latest,
       v.kpi_code, v.actual, v.score, v.status, v.note, v.evidence, s.submitted_by, s.submitted_at
FROM submissions AS s
JOIN submission_value AS v USING (submission_id);

-- The four quarters of every fiscal year that has a catalogue.
CREATE OR REPLACE VIEW fiscal_quarters AS
SELECT y.fiscal_year, q.quarter
FROM (SELECT DISTINCT fiscal_year FROM kpi) AS y
CROSS JOIN (VALUES (1), (2), (3), (4)) AS q(quarter);

-- Latest version of each (unit, fiscal year, quarter, KPI); every owned KPI appears, not_reported where empty.
-- The derivation; kpi_results reads the same rows from the table kpi_result, which ingest and catalogue loads
-- refresh from this view for what they change (pipelines.results).
CREATE OR REPLACE VIEW kpi_results_computed AS
SELECT c.fiscal_year, p.quarter, c.owner_code AS unit_code, c.kpi_code, c.dimension,
       v.actual, v.score, c.weight, coalesce(v.status, 'not_reported') AS status,
       v.note, s.version, s.submitted_at
FROM kpi_catalogue AS c
JOIN fiscal_quarters AS p ON p.fiscal_year = c.fiscal_year
LEFT JOIN submissions AS s
       ON s.is_latest AND s.unit_code = c.owner_code
      AND s.fiscal_year = c.fiscal_year AND s.quarter = p.quarter
LEFT JOIN submission_value AS v
       ON v.submission_id = s.submission_id AND v.kpi_code = c.kpi_code;

CREATE OR REPLACE VIEW kpi_results AS
SELECT fiscal_year, quarter, unit_code, kpi_code, dimension, actual, score, weight, status, note, version,
       submitted_at
FROM kpi_result;

-- Whose results count towards each unit's score: a unit's own, and for the agency every unit in its tree.
CREATE OR REPLACE VIEW score_scopes AS
SELECT code AS scope_code, code AS unit_code
FROM org_unit
WHERE level <> 'agency'
UNION ALL
SELECT t.ancestor_code AS scope_code, t.unit_code
FROM org_tree AS t
JOIN org_unit AS a ON a.code = t.ancestor_code AND a.level = 'agency';

-- Results attributed to each unit that scores them (score_scopes).
CREATE OR REPLACE VIEW scored_results AS
SELECT s.scope_code, r.*
FROM kpi_results AS r
JOIN score_scopes AS s ON s.unit_code = r.unit_code;

-- kpi_results summed per unit, quarter and dimension: the derivation of the table kpi_result_total, which
-- pipelines.results refreshes with kpi_result. Weighted scores of any group of units add these sums up
-- (DOMAIN section 6: score = Σ weighted_sum / Σ scored_weight, reported weight = Σ scored_weight / Σ weight).
CREATE OR REPLACE VIEW kpi_result_totals_computed AS
SELECT fiscal_year, quarter, unit_code, dimension,
       count(*)::INTEGER AS result_count,
       sum(weight) AS weight,
       coalesce(sum(weight) FILTER (WHERE score IS NOT NULL), 0) AS scored_weight,
       sum(weight * score) AS weighted_sum,
       count(*) FILTER (WHERE status = 'on_track')::INTEGER AS on_track_count,
       count(*) FILTER (WHERE status = 'at_risk')::INTEGER AS at_risk_count,
       count(*) FILTER (WHERE status = 'off_track')::INTEGER AS off_track_count,
       count(*) FILTER (WHERE status = 'not_reported')::INTEGER AS not_reported_count,
       max(version) AS version,
       max(submitted_at) AS submitted_at
FROM kpi_results
GROUP BY fiscal_year, quarter, unit_code, dimension;

-- The sums of kpi_result_total attributed to each unit that scores them (score_scopes).
CREATE OR REPLACE VIEW scored_totals AS
SELECT s.scope_code, t.*
FROM kpi_result_total AS t
JOIN score_scopes AS s ON s.unit_code = t.unit_code;

-- The weighted score of DOMAIN section 6, the one place it is computed for stored data: every other view and
-- every dashboard query (pipelines.queries) reads scores from here. pipelines.scoring.weighted_score is the same
-- rule in Python for figures not stored yet (the upload preview); tests/test_weighted_score_property.py checks
-- the two agree on random data. Per unit, quarter and dimension (dimension NULL: all four together), and per
-- scope: 'own' scores the KPIs the unit owns, 'subtree' every result of the unit and of every unit below it
-- (org_tree). score = Σ weighted_sum / Σ scored_weight over kpi_result_total (Σ weight × score / Σ weight over
-- the results that have a score), reported_weight_pct = 100 × Σ scored_weight / Σ weight, NULL and 0 when
-- nothing is reported. provisional / status / score_status: DOMAIN section 8, as
-- pipelines.scoring.aggregate_status decides them (a score resting on less than 50 % of the weight,
-- scoring.PROVISIONAL_BELOW_PCT, is provisional; the 1e-9 absorbs float error as scoring does).
CREATE OR REPLACE VIEW scope_scores AS
WITH members AS (
    SELECT 'own' AS scope, code AS scope_code, code AS unit_code FROM org_unit
    UNION ALL
    SELECT 'subtree' AS scope, ancestor_code AS scope_code, unit_code FROM org_tree
), sums AS (  -- per dimension, and (dimension NULL) over all four: each summed from the same rows
    SELECT m.scope, m.scope_code AS unit_code, t.fiscal_year, t.quarter, t.dimension,
           sum(t.weight) AS weight, sum(t.scored_weight) AS scored_weight, sum(t.weighted_sum) AS weighted_sum,
           sum(t.result_count) AS result_count, sum(t.on_track_count) AS on_track_count,
           sum(t.at_risk_count) AS at_risk_count, sum(t.off_track_count) AS off_track_count,
           sum(t.not_reported_count) AS not_reported_count
    FROM members AS m
    JOIN kpi_result_total AS t ON t.unit_code = m.unit_code
    GROUP BY GROUPING SETS ((m.scope, m.scope_code, t.fiscal_year, t.quarter, t.dimension),
                            (m.scope, m.scope_code, t.fiscal_year, t.quarter))
), scores AS (
    SELECT *, weighted_sum / nullif(scored_weight, 0) AS score,
           coalesce(100 * scored_weight / nullif(weight, 0), 0) AS reported_weight_pct
    FROM sums
), judged AS (
    SELECT *, score IS NOT NULL AND reported_weight_pct < 50 - 1e-9 AS provisional,
           CASE WHEN score IS NULL THEN 'not_reported' WHEN score >= 3 - 1e-9 THEN 'on_track'
                WHEN score >= 2 - 1e-9 THEN 'at_risk' ELSE 'off_track' END AS score_status
    FROM scores
)
SELECT scope, unit_code, fiscal_year, quarter, dimension, weight, score, reported_weight_pct, provisional,
       CASE WHEN provisional THEN 'provisional' ELSE score_status END AS status, score_status,
       result_count::INTEGER AS result_count, (result_count - not_reported_count)::INTEGER AS scored_count,
       on_track_count::INTEGER AS on_track_count, at_risk_count::INTEGER AS at_risk_count,
       off_track_count::INTEGER AS off_track_count, not_reported_count::INTEGER AS not_reported_count
FROM judged;

-- Weighted score and reported weight per unit (agency row = the whole agency): scope_scores of the unit's own
-- KPIs, of the agency's whole tree (the scopes score_scopes lists).
CREATE OR REPLACE VIEW unit_scores AS
SELECT s.fiscal_year, s.quarter, s.unit_code, s.score, s.reported_weight_pct, s.provisional, s.status,
       s.score_status
FROM scope_scores AS s
JOIN org_unit AS u ON u.code = s.unit_code
WHERE s.dimension IS NULL AND s.scope = CASE WHEN u.level = 'agency' THEN 'subtree' ELSE 'own' END;

-- Per unit and dimension, scoped as unit_scores; the agency has a row for all four dimensions, even one with no
-- KPI (no score, not reported).
CREATE OR REPLACE VIEW dimension_scores AS
SELECT s.fiscal_year, s.quarter, s.unit_code, s.dimension, s.score, s.reported_weight_pct, s.provisional,
       s.status, s.score_status
FROM scope_scores AS s
JOIN org_unit AS u ON u.code = s.unit_code
WHERE s.dimension IS NOT NULL AND s.scope = CASE WHEN u.level = 'agency' THEN 'subtree' ELSE 'own' END
UNION ALL
SELECT p.fiscal_year, p.quarter, a.code AS unit_code, d.dimension, NULL AS score, 0.0 AS reported_weight_pct,
       false AS provisional, 'not_reported' AS status, 'not_reported' AS score_status
FROM fiscal_quarters AS p
CROSS JOIN (SELECT code FROM org_unit WHERE level = 'agency') AS a
CROSS JOIN (VALUES ('effectiveness'), ('service_quality'), ('efficiency'), ('org_development')) AS d(dimension)
WHERE NOT EXISTS (  -- every quarter has a result for every catalogue KPI, so the catalogue decides
    SELECT 1 FROM kpi AS k WHERE k.fiscal_year = p.fiscal_year AND k.dimension = d.dimension
);

-- Seven rows per fiscal year and quarter, one per PMQA category, gaps included (kpi_count 0).
CREATE OR REPLACE VIEW pmqa_coverage AS
WITH linked AS (
    SELECT r.fiscal_year, r.quarter, r.kpi_code, r.weight, r.score, unnest(k.pmqa) AS category
    FROM kpi_results AS r
    JOIN kpi AS k USING (fiscal_year, kpi_code)
), totals AS (
    SELECT fiscal_year, quarter, sum(weight) AS total_weight
    FROM kpi_results GROUP BY fiscal_year, quarter
), slots AS (
    SELECT p.fiscal_year, p.quarter, c.category
    FROM fiscal_quarters AS p
    CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6), (7)) AS c(category)
)
SELECT s.fiscal_year, s.quarter, s.category,
       count(DISTINCT l.kpi_code) AS kpi_count,
       coalesce(100 * sum(l.weight) / nullif(any_value(t.total_weight), 0), 0) AS weight_share_pct,
       count(DISTINCT l.kpi_code) FILTER (WHERE l.score IS NOT NULL) AS reported_count,
       sum(l.weight * l.score) / nullif(sum(l.weight) FILTER (WHERE l.score IS NOT NULL), 0) AS score
FROM slots AS s
LEFT JOIN linked AS l USING (fiscal_year, quarter, category)
LEFT JOIN totals AS t USING (fiscal_year, quarter)
GROUP BY s.fiscal_year, s.quarter, s.category;
