-- The schema include_submitted: the scored views as they would be if every version waiting for review counted,
-- for the dashboard's switch "include submitted, not yet approved" (dashboard/filters.py) and for analysts who want
-- the same (`SELECT * FROM include_submitted.unit_scores`). Same names and columns as the views of main: the
-- dashboard runs its usual queries with `SET search_path = 'include_submitted,main'` (queries.INCLUDE_SUBMITTED),
-- so a name defined here shadows main's and every other name falls through to main. The views of main are not
-- touched: the default (approved) reads cost what they did.
--
-- Only the unit quarters whose latest version waits for review (waiting_versions: a handful, the review queue)
-- differ from the kept tables of main, so kpi_results and kpi_result_total read the kept tables without those
-- quarters and add the waiting versions' rows computed here (as kpi_results_computed and
-- kpi_result_totals_computed compute them; the sums are that view's own statement, waiting_totals);
-- kpi_subtree_total reads its kept table without the subtrees holding those quarters and sums theirs again from this
-- schema's kpi_result_total. The views built on them (scored_results, scored_totals, unit_scores, dimension_scores,
-- pmqa_coverage) are main's own statements created in this schema by pipelines.db (INCLUDE_SUBMITTED_COPIES), so
-- their rules have one text.
CREATE SCHEMA IF NOT EXISTS include_submitted;

-- The latest version of each unit quarter, where it waits for a reviewer (approval_status 'submitted').
CREATE OR REPLACE VIEW include_submitted.waiting_versions AS
SELECT s.submission_id, s.unit_code, s.fiscal_year, s.quarter, s.version, s.submitted_at
FROM main.submission_review AS w
JOIN main.submission AS s USING (submission_id)
WHERE w.status = 'submitted'
  AND NOT EXISTS (SELECT 1 FROM main.submission AS n
                  WHERE n.unit_code = s.unit_code AND n.fiscal_year = s.fiscal_year AND n.quarter = s.quarter
                    AND n.version > s.version);

-- kpi_results_computed for the waiting versions only.
CREATE OR REPLACE VIEW include_submitted.waiting_results AS
SELECT c.fiscal_year, w.quarter, c.owner_code AS unit_code, c.kpi_code, c.dimension,
       v.actual, v.score, c.weight, coalesce(v.status, 'not_reported') AS status,
       v.note, w.version, w.submitted_at
FROM include_submitted.waiting_versions AS w
JOIN main.kpi_catalogue AS c ON c.owner_code = w.unit_code AND c.fiscal_year = w.fiscal_year
LEFT JOIN main.submission_value AS v ON v.submission_id = w.submission_id AND v.kpi_code = c.kpi_code;

CREATE OR REPLACE VIEW include_submitted.kpi_results AS
SELECT r.fiscal_year, r.quarter, r.unit_code, r.kpi_code, r.dimension, r.actual, r.score, r.weight, r.status,
       r.note, r.version, r.submitted_at
FROM main.kpi_result AS r
WHERE NOT EXISTS (SELECT 1 FROM include_submitted.waiting_versions AS w
                  WHERE w.unit_code = r.unit_code AND w.fiscal_year = r.fiscal_year AND w.quarter = r.quarter)
UNION ALL
SELECT * FROM include_submitted.waiting_results;

-- kpi_result_total (the sums of kpi_result_totals_computed) with the waiting versions' sums: waiting_totals is
-- views.sql's kpi_result_totals_computed reading waiting_results, made by pipelines.db (WAITING_TOTALS) just before
-- this view, so the sums have one text.
CREATE OR REPLACE VIEW include_submitted.kpi_result_total AS
SELECT t.*
FROM main.kpi_result_total AS t
WHERE NOT EXISTS (SELECT 1 FROM include_submitted.waiting_versions AS w
                  WHERE w.unit_code = t.unit_code AND w.fiscal_year = t.fiscal_year AND w.quarter = t.quarter)
UNION ALL
SELECT * FROM include_submitted.waiting_totals;

-- kpi_subtree_total (the sums of kpi_subtree_totals_computed) with the subtrees that hold a waiting version summed
-- again, by this schema's copy of kpi_subtree_totals_computed, from the kpi_result_total above.
CREATE OR REPLACE VIEW include_submitted.kpi_subtree_total AS
WITH touched AS (  -- every ancestor of a waiting unit quarter, in that quarter
    SELECT DISTINCT c.ancestor_code AS unit_code, w.fiscal_year, w.quarter
    FROM include_submitted.waiting_versions AS w
    JOIN main.org_unit_closure AS c ON c.unit_code = w.unit_code
)
SELECT t.*
FROM main.kpi_subtree_total AS t
WHERE NOT EXISTS (SELECT 1 FROM touched AS x
                  WHERE x.unit_code = t.unit_code AND x.fiscal_year = t.fiscal_year AND x.quarter = t.quarter)
UNION ALL
SELECT s.*
FROM include_submitted.kpi_subtree_totals_computed AS s
JOIN touched AS x ON x.unit_code = s.unit_code AND x.fiscal_year = s.fiscal_year AND x.quarter = s.quarter;
