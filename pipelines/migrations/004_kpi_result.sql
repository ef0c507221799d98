-- kpi_results kept as a table, refreshed by every commit (ingest) and catalogue load for what they touch,
-- so that dashboards over a million results read a table instead of re-deriving the latest versions.
-- The derivation itself stays in one place: the view kpi_results_computed (views.sql). db.migrate fills this
-- table from it right after this migration.
CREATE TABLE kpi_result (
    fiscal_year  INTEGER NOT NULL,
    quarter      INTEGER NOT NULL,
    unit_code    VARCHAR NOT NULL,
    kpi_code     VARCHAR NOT NULL,
    dimension    VARCHAR NOT NULL,
    actual       DOUBLE,
    score        DOUBLE,
    weight       DOUBLE NOT NULL,
    status       VARCHAR NOT NULL,
    note         VARCHAR,
    version      INTEGER,
    submitted_at TIMESTAMP
);
