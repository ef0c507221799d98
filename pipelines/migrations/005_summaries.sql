-- Two tables kept equal to views that are too slow to derive on every dashboard read at a million results
-- (pipelines.results refreshes them in the writer's transaction; db.migrate fills them after this migration):
-- kpi_result_total: kpi_result summed per unit, quarter and dimension (view kpi_result_totals_computed), so that
-- scores of a whole subtree (the agency: every unit) add up a few thousand rows instead of a million results;
-- org_unit_closure: every (ancestor, descendant) pair of the org tree (view org_tree_computed, recursive);
-- org_unit_outline: the tree depth-first as the dashboard lists it, with each unit's depth (org_outline_computed).
CREATE TABLE kpi_result_total (
    fiscal_year        INTEGER NOT NULL,
    quarter            INTEGER NOT NULL,
    unit_code          VARCHAR NOT NULL,
    dimension          VARCHAR NOT NULL,
    result_count       INTEGER NOT NULL,
    weight             DOUBLE  NOT NULL,
    scored_weight      DOUBLE  NOT NULL,
    weighted_sum       DOUBLE,
    on_track_count     INTEGER NOT NULL,
    at_risk_count      INTEGER NOT NULL,
    off_track_count    INTEGER NOT NULL,
    not_reported_count INTEGER NOT NULL,
    version            INTEGER,
    submitted_at       TIMESTAMP
);

CREATE TABLE org_unit_closure (
    ancestor_code VARCHAR NOT NULL,
    unit_code     VARCHAR NOT NULL,
    depth         INTEGER NOT NULL
);

CREATE TABLE org_unit_outline (
    code     VARCHAR NOT NULL,
    depth    INTEGER NOT NULL,
    position INTEGER NOT NULL
);
