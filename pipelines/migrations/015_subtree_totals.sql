-- kpi_subtree_total: kpi_result_total summed over each unit's subtree (the unit and every unit below it, org_tree)
-- per quarter and dimension (view kpi_subtree_totals_computed), so that a page's score of a subtree (the agency:
-- every unit of a ministry) reads a few rows instead of summing the totals of tens of thousands of units.
-- pipelines.results refreshes it in the writer's transaction, for the ancestors of the unit quarter an upload or a
-- review changed, the whole fiscal year after a catalogue load, everything after an org load; db.migrate fills it
-- after this migration. Kept equal to its view like the tables of migration 005 (no constraints: migration 008).
CREATE TABLE kpi_subtree_total (
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
    not_reported_count INTEGER NOT NULL
);
