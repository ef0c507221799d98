-- The public analyst views: stable names, documented column by column in docs/reference/views.md.
-- Recreated by every `python -m pipelines init`; never store data in them.

-- The weighted score of DOMAIN section 6 and the status of section 8, the one place SQL writes them: every view
-- below and every query of pipelines.queries that scores a group of results calls these macros (the analyst
-- snapshot has them too). They are authoritative for stored data; pipelines.scoring is the same rules in Python
-- for what is not stored yet (the upload preview), and tests/test_weighted_score_property.py checks the two
-- agree on random data. Arguments are sums over the group's results (kpi_result_total holds them per unit,
-- quarter and dimension): weighted_sum = Σ weight × score and scored_weight = Σ weight over results with a
-- score, weight = Σ weight over all results.
-- score = Σ weight × score / Σ weight over the results that have a score; NULL when none has.
CREATE OR REPLACE MACRO weighted_score(weighted_sum, scored_weight) AS weighted_sum / nullif(scored_weight, 0);
-- percent of the group's weight that has a score; 0 when nothing is reported (or the group weighs nothing).
CREATE OR REPLACE MACRO reported_weight_percent(scored_weight, weight) AS
    coalesce(100 * scored_weight / nullif(weight, 0), 0);
-- on_track / at_risk / off_track / not_reported by the score alone (scoring.status_of; 1e-9 absorbs float error).
CREATE OR REPLACE MACRO score_status(score) AS
    CASE WHEN score IS NULL THEN 'not_reported' WHEN score >= 3 - 1e-9 THEN 'on_track'
         WHEN score >= 2 - 1e-9 THEN 'at_risk' ELSE 'off_track' END;
-- a score resting on less than 50 % of the weight (scoring.PROVISIONAL_BELOW_PCT, scoring.is_provisional).
CREATE OR REPLACE MACRO is_provisional(score, reported_weight_pct) AS
    score IS NOT NULL AND reported_weight_pct < 50 - 1e-9;
-- the status of an aggregate: provisional, else by the score (scoring.aggregate_status).
CREATE OR REPLACE MACRO aggregate_status(score, reported_weight_pct) AS
    CASE WHEN is_provisional(score, reported_weight_pct) THEN 'provisional' ELSE score_status(score) END;

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

-- Every version of every submission, with its approval state (migration 012): not_required (stored while its year
-- did not require approval: it counts at once), submitted (waiting for a reviewer), approved, returned (with a
-- reason per KPI), superseded (a newer version came before a reviewer decided). is_counted marks the version the
-- scored views use: the latest one that is approved or needs no approval.
CREATE OR REPLACE VIEW submissions AS
SELECT s.submission_id, s.unit_code, s.fiscal_year, s.quarter, s.version,
       s.version = max(s.version) OVER unit_quarter AS is_latest,
       s.file_name, s.sha256, s.row_count, s.submitted_by, s.submitted_at,
       CASE WHEN r.status IS NULL THEN 'not_required'
            WHEN r.status = 'submitted' AND s.version < max(s.version) OVER unit_quarter THEN 'superseded'
            ELSE r.status END AS approval_status,
       CASE WHEN r.status = 'approved' THEN r.reviewed_by END AS approved_by,
       CASE WHEN r.status = 'approved' THEN r.reviewed_at END AS approved_at,
       coalesce(s.version = max(s.version) FILTER (WHERE r.status IS NULL OR r.status = 'approved') OVER unit_quarter,
                false) AS is_counted
FROM submission AS s
LEFT JOIN submission_review AS r USING (submission_id)
WINDOW unit_quarter AS (PARTITION BY s.unit_code, s.fiscal_year, s.quarter);

-- Every value of every version (history, notes and evidence).
CREATE OR REPLACE VIEW submission_values AS
SELECT s.submission_id, s.unit_code, s.fiscal_year, s.quarter, s.version, s.is_latest,
       v.kpi_code, v.actual, v.score, v.status, v.note, v.evidence, s.submitted_by, s.submitted_at,
       s.approval_status
FROM submissions AS s
JOIN submission_value AS v USING (submission_id);

-- The four quarters of every fiscal year that has a catalogue.
CREATE OR REPLACE VIEW fiscal_quarters AS
SELECT y.fiscal_year, q.quarter
FROM (SELECT DISTINCT fiscal_year FROM kpi) AS y
CROSS JOIN (VALUES (1), (2), (3), (4)) AS q(quarter);

-- The counted version (submissions.is_counted: the latest one approved or needing no approval) of each (unit, fiscal
-- year, quarter, KPI); every owned KPI appears, not_reported where empty.
-- The derivation; kpi_results reads the same rows from the table kpi_result, which ingest and catalogue loads
-- refresh from this view for what they change (pipelines.results).
CREATE OR REPLACE VIEW kpi_results_computed AS
SELECT c.fiscal_year, p.quarter, c.owner_code AS unit_code, c.kpi_code, c.dimension,
       v.actual, v.score, c.weight, coalesce(v.status, 'not_reported') AS status,
       v.note, s.version, s.submitted_at
FROM kpi_catalogue AS c
JOIN fiscal_quarters AS p ON p.fiscal_year = c.fiscal_year
LEFT JOIN submissions AS s
       ON s.is_counted AND s.unit_code = c.owner_code
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

-- kpi_result_total summed over each unit's subtree (the unit and every unit below it) per quarter and dimension:
-- the derivation of the table kpi_subtree_total (migration 015), which pipelines.results refreshes after
-- kpi_result_total for the ancestors of what a write changed. A subtree's weighted score is then one row per
-- dimension (DOMAIN section 6 over its sums). The sums are exact (DECIMAL, 18 places, then DOUBLE again), so they
-- do not depend on the order DuckDB adds the units in: the table refreshed for a few ancestors and the view
-- computed whole give the same bits.
CREATE OR REPLACE VIEW kpi_subtree_totals_computed AS
SELECT t.fiscal_year, t.quarter, c.ancestor_code AS unit_code, t.dimension,
       sum(t.result_count)::INTEGER AS result_count,
       sum(t.weight::DECIMAL(38, 18))::DOUBLE AS weight,
       sum(t.scored_weight::DECIMAL(38, 18))::DOUBLE AS scored_weight,
       sum(t.weighted_sum::DECIMAL(38, 18))::DOUBLE AS weighted_sum,
       sum(t.on_track_count)::INTEGER AS on_track_count,
       sum(t.at_risk_count)::INTEGER AS at_risk_count,
       sum(t.off_track_count)::INTEGER AS off_track_count,
       sum(t.not_reported_count)::INTEGER AS not_reported_count
FROM kpi_result_total AS t
JOIN org_tree AS c ON c.unit_code = t.unit_code
GROUP BY t.fiscal_year, t.quarter, c.ancestor_code, t.dimension;

-- The sums of kpi_result_total attributed to each unit that scores them (score_scopes).
CREATE OR REPLACE VIEW scored_totals AS
SELECT s.scope_code, t.*
FROM kpi_result_total AS t
JOIN score_scopes AS s ON s.unit_code = t.unit_code;

-- scored_totals summed per unit that scores them (score_scopes), quarter and dimension, read from the kept tables:
-- a unit's own sums (kpi_result_total), the agency's whole tree (its rows of kpi_subtree_total, the same sums added
-- up once). unit_scores and dimension_scores add these up; a query scoring a few units filters it by scope_code.
CREATE OR REPLACE VIEW scope_totals AS
SELECT t.fiscal_year, t.quarter, t.unit_code AS scope_code, t.dimension, t.weight, t.scored_weight, t.weighted_sum
FROM kpi_result_total AS t JOIN org_unit AS u ON u.code = t.unit_code AND u.level <> 'agency'
UNION ALL
SELECT t.fiscal_year, t.quarter, t.unit_code, t.dimension, t.weight, t.scored_weight, t.weighted_sum
FROM kpi_subtree_total AS t JOIN org_unit AS u ON u.code = t.unit_code AND u.level = 'agency';

-- Weighted score and reported weight per unit (agency row = the whole agency): scope_totals, summed.
-- provisional / status / score_status: DOMAIN section 8 (the macros above).
CREATE OR REPLACE VIEW unit_scores AS
WITH scores AS (
    SELECT fiscal_year, quarter, scope_code AS unit_code,
           weighted_score(sum(weighted_sum), sum(scored_weight)) AS score,
           reported_weight_percent(sum(scored_weight), sum(weight)) AS reported_weight_pct
    FROM scope_totals
    GROUP BY fiscal_year, quarter, scope_code
)
SELECT fiscal_year, quarter, unit_code, score, reported_weight_pct,
       is_provisional(score, reported_weight_pct) AS provisional,
       aggregate_status(score, reported_weight_pct) AS status, score_status(score) AS score_status
FROM scores;

-- Per unit and dimension; the agency has a row for all four dimensions, even one with no KPI.
-- provisional / status / score_status as in unit_scores.
CREATE OR REPLACE VIEW dimension_scores AS
WITH scores AS (
    SELECT fiscal_year, quarter, scope_code AS unit_code, dimension,
           weighted_score(sum(weighted_sum), sum(scored_weight)) AS score,
           reported_weight_percent(sum(scored_weight), sum(weight)) AS reported_weight_pct
    FROM scope_totals
    GROUP BY fiscal_year, quarter, scope_code, dimension
    UNION ALL
    SELECT p.fiscal_year, p.quarter, a.code AS unit_code, d.dimension, NULL AS score, 0 AS reported_weight_pct
    FROM fiscal_quarters AS p
    CROSS JOIN (SELECT code FROM org_unit WHERE level = 'agency') AS a
    CROSS JOIN (VALUES ('effectiveness'), ('service_quality'), ('efficiency'), ('org_development')) AS d(dimension)
    WHERE NOT EXISTS (  -- every quarter has a result for every catalogue KPI, so the catalogue decides
        SELECT 1 FROM kpi AS k WHERE k.fiscal_year = p.fiscal_year AND k.dimension = d.dimension
    )
)
SELECT fiscal_year, quarter, unit_code, dimension, score, reported_weight_pct,
       is_provisional(score, reported_weight_pct) AS provisional,
       aggregate_status(score, reported_weight_pct) AS status, score_status(score) AS score_status
FROM scores;

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
       weighted_score(sum(l.weight * l.score), sum(l.weight) FILTER (WHERE l.score IS NOT NULL)) AS score
FROM slots AS s
LEFT JOIN linked AS l USING (fiscal_year, quarter, category)
LEFT JOIN totals AS t USING (fiscal_year, quarter)
GROUP BY s.fiscal_year, s.quarter, s.category;
