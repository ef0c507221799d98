-- Views over the strategy migration (010), recreated by every `python -m pipelines init` after views.sql.
-- A strategy is loaded per fiscal year from one strategy file (pipelines.strategy); docs/domain.md section 10.

-- Progress of a key result or objective towards its target (docs/domain.md section 10): level 3 of the scoring
-- scale is the target, so progress % = 100 x min(score, 3) / 3 (a score of 3 or more is 100 %); NULL without score
-- (not least(score, 3), which is 3 for a NULL score).
CREATE OR REPLACE MACRO okr_progress_percent(score) AS
    100 * CASE WHEN score > 3 THEN 3 ELSE score END / 3;

-- The plan hierarchy the agency answers to, per fiscal year, in file order.
CREATE OR REPLACE VIEW plan_items AS
SELECT fiscal_year, plan_code, name_th, name_en, level, parent_code
FROM plan_item
ORDER BY fiscal_year, sort_order;

-- Objectives per fiscal year, in file order.
CREATE OR REPLACE VIEW objectives AS
SELECT fiscal_year, objective_code, name_th, name_en, dimension, plan_code, thrust, owner_unit, owner_executive
FROM objective
ORDER BY fiscal_year, sort_order;

-- Key results, with the PMQA categories the file gives and those of the KPIs that measure them.
CREATE OR REPLACE VIEW key_results AS
SELECT k.fiscal_year, k.key_result_code, k.objective_code, k.name_th, k.name_en, k.owner_unit, k.target,
       k.due_quarter, k.pmqa,
       coalesce((SELECT list_sort(list_distinct(flatten(list(c.pmqa))))
                 FROM key_result_kpi AS m
                 JOIN kpi AS c ON c.fiscal_year = m.fiscal_year AND c.kpi_code = m.kpi_code
                 WHERE m.fiscal_year = k.fiscal_year AND m.key_result_code = k.key_result_code),
                []::INTEGER[]) AS kpi_pmqa,
       k.weight
FROM key_result AS k
ORDER BY k.fiscal_year, k.sort_order;

-- The KPIs that measure each key result, with their weights (they add up to 100 per key result).
CREATE OR REPLACE VIEW key_result_kpis AS
SELECT fiscal_year, key_result_code, kpi_code, weight
FROM key_result_kpi;

-- End Products: results only several units deliver together.
CREATE OR REPLACE VIEW end_products AS
SELECT e.fiscal_year, e.end_product_code, e.objective_code, e.name_th, e.name_en,
       (SELECT count(*) FROM end_product_unit AS u
        WHERE u.fiscal_year = e.fiscal_year AND u.end_product_code = e.end_product_code)::INTEGER AS unit_count
FROM end_product AS e
ORDER BY e.fiscal_year, e.sort_order;

-- Each End Product's contributing units and their part.
CREATE OR REPLACE VIEW end_product_units AS
SELECT fiscal_year, end_product_code, unit_code, part
FROM end_product_unit
ORDER BY fiscal_year, sort_order;

-- The key results each End Product is measured by.
CREATE OR REPLACE VIEW end_product_key_results AS
SELECT fiscal_year, end_product_code, key_result_code, weight
FROM end_product_key_result;

-- "Unit A's output is unit B's input", in file order.
CREATE OR REPLACE VIEW handoffs AS
SELECT fiscal_year, handoff_number, from_unit, to_unit, what, end_product_code
FROM handoff
ORDER BY fiscal_year, handoff_number;

-- Cause and effect between objectives (from -> to), for the strategy map.
CREATE OR REPLACE VIEW objective_links AS
SELECT fiscal_year, from_objective, to_objective
FROM objective_link;

-- Score and progress of every key result (a row with key_result_code) and objective (key_result_code NULL) per
-- quarter of its fiscal year. A key result's score is the weighted score of its KPIs' results for its owner unit
-- (the macros of views.sql, over the key-result weights of its KPIs); an objective's is the weighted score of its
-- key results' scores (weights: the key results' own), its reported_weight_pct the share of key-result weight
-- with a score. Status: aggregate_status, so an objective or key result under 50 % reported is provisional.
CREATE OR REPLACE VIEW okr_progress AS
WITH measured AS (
    SELECT k.fiscal_year, r.quarter, k.key_result_code, m.weight, r.score
    FROM key_result AS k
    JOIN key_result_kpi AS m USING (fiscal_year, key_result_code)
    JOIN kpi_results AS r
      ON r.fiscal_year = k.fiscal_year AND r.kpi_code = m.kpi_code AND r.unit_code = k.owner_unit
), krs AS (
    SELECT k.fiscal_year, p.quarter, k.objective_code, k.key_result_code, any_value(k.weight) AS weight,
           weighted_score(sum(x.weight * x.score), sum(x.weight) FILTER (WHERE x.score IS NOT NULL)) AS score,
           reported_weight_percent(coalesce(sum(x.weight) FILTER (WHERE x.score IS NOT NULL), 0), sum(x.weight))
               AS reported_weight_pct,
           any_value(k.sort_order) AS sort_order
    FROM key_result AS k
    JOIN fiscal_quarters AS p USING (fiscal_year)
    LEFT JOIN measured AS x
      ON x.fiscal_year = k.fiscal_year AND x.quarter = p.quarter AND x.key_result_code = k.key_result_code
    GROUP BY k.fiscal_year, p.quarter, k.objective_code, k.key_result_code
), objectives_scored AS (
    SELECT fiscal_year, quarter, objective_code, NULL::VARCHAR AS key_result_code,
           weighted_score(sum(weight * score), sum(weight) FILTER (WHERE score IS NOT NULL)) AS score,
           reported_weight_percent(coalesce(sum(weight) FILTER (WHERE score IS NOT NULL), 0), sum(weight))
               AS reported_weight_pct,
           -1 AS sort_order
    FROM krs
    GROUP BY fiscal_year, quarter, objective_code
), scored AS (
    SELECT fiscal_year, quarter, objective_code, key_result_code, score, reported_weight_pct, sort_order FROM krs
    UNION ALL
    SELECT * FROM objectives_scored
)
SELECT s.fiscal_year, s.quarter, s.objective_code, s.key_result_code, okr_progress_percent(s.score) AS progress_pct,
       s.score, aggregate_status(s.score, s.reported_weight_pct) AS status, s.reported_weight_pct
FROM scored AS s
JOIN objective AS o USING (fiscal_year, objective_code)
ORDER BY s.fiscal_year, s.quarter, o.sort_order, s.sort_order;
