-- The constraints the core tables' rules imply (issue 11), so that the database itself refuses a row the code
-- would never write: one org unit per code, one KPI per code and fiscal year, one version number per unit, year
-- and quarter, values only of stored submissions, owners and submitters that exist, and the fixed vocabulary of
-- DOMAIN.md (levels, dimensions, directions, kinds, statuses, quarters 1-4). Documented in
-- docs/development/constraints.md; tests/test_constraints.py shows each one refusing a bad row.
--
-- DuckDB cannot add a constraint to an existing table, so each table is rebuilt: the old one renamed, the new one
-- created with the same columns in the same order, the rows copied, the old one dropped, all in the migration's
-- transaction (a database whose rows break a rule is left at 007, unchanged). The views are recreated after it.
--
-- Left out on purpose, because DuckDB checks a foreign key at once and not at commit:
-- * kpi_owner -> kpi: a catalogue load deletes a year's owners and KPIs and inserts them again in one
--   transaction, and DuckDB refuses to delete a KPI whose owner rows were deleted earlier in the same transaction;
-- * org_unit.parent_code -> org_unit: an org file may list a unit before its parent (orgs.validate checks parents
--   and cycles);
-- * submission_value -> kpi: a value has no fiscal year of its own; the catalogue load refuses to drop a reported
--   KPI instead.
-- The tables kept equal to views (kpi_result, kpi_result_total, org_unit_closure, org_unit_outline) get none:
-- pipelines.results rewrites them from the views, and `python -m pipelines check` compares them.

ALTER TABLE org_unit RENAME TO org_unit_before_008;
ALTER TABLE kpi RENAME TO kpi_before_008;
ALTER TABLE kpi_owner RENAME TO kpi_owner_before_008;
ALTER TABLE catalogue_load RENAME TO catalogue_load_before_008;
ALTER TABLE submission RENAME TO submission_before_008;
ALTER TABLE submission_value RENAME TO submission_value_before_008;

CREATE TABLE org_unit (
    code        VARCHAR NOT NULL PRIMARY KEY,
    name_th     VARCHAR NOT NULL,
    name_en     VARCHAR,
    parent_code VARCHAR,
    level       VARCHAR NOT NULL CHECK (level IN ('agency', 'division', 'group', 'individual')),
    sort_order  INTEGER NOT NULL
);

CREATE TABLE kpi (
    fiscal_year INTEGER NOT NULL,   -- Buddhist Era
    kpi_code    VARCHAR NOT NULL,
    name_th     VARCHAR NOT NULL,
    name_en     VARCHAR,
    dimension   VARCHAR NOT NULL
                CHECK (dimension IN ('effectiveness', 'service_quality', 'efficiency', 'org_development')),
    pmqa        INTEGER[] NOT NULL,
    unit        VARCHAR,
    direction   VARCHAR NOT NULL CHECK (direction IN ('higher', 'lower')),
    kind        VARCHAR NOT NULL CHECK (kind IN ('numeric', 'milestone')),
    weight      DOUBLE NOT NULL CHECK (weight >= 0),
    t1 DOUBLE, t2 DOUBLE, t3 DOUBLE, t4 DOUBLE, t5 DOUBLE,
    target      DOUBLE,
    sort_order  INTEGER NOT NULL,
    PRIMARY KEY (fiscal_year, kpi_code)
);

CREATE TABLE kpi_owner (
    fiscal_year INTEGER NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    owner_code  VARCHAR NOT NULL REFERENCES org_unit (code),
    PRIMARY KEY (fiscal_year, kpi_code, owner_code)
);

CREATE TABLE catalogue_load (
    load_id      BIGINT NOT NULL DEFAULT nextval('catalogue_load_id') PRIMARY KEY,
    fiscal_year  INTEGER NOT NULL,
    file_name    VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    kpi_count    INTEGER NOT NULL,
    loaded_by    VARCHAR,
    loaded_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE submission (
    submission_id BIGINT NOT NULL DEFAULT nextval('submission_id') PRIMARY KEY,
    unit_code     VARCHAR NOT NULL REFERENCES org_unit (code),
    fiscal_year   INTEGER NOT NULL,
    quarter       INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    version       INTEGER NOT NULL CHECK (version >= 1),
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    row_count     INTEGER NOT NULL,
    submitted_by  VARCHAR,
    submitted_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (unit_code, fiscal_year, quarter, version)
);

CREATE TABLE submission_value (
    submission_id BIGINT NOT NULL REFERENCES submission (submission_id),
    kpi_code      VARCHAR NOT NULL,
    actual        DOUBLE,
    score         DOUBLE,
    status        VARCHAR NOT NULL CHECK (status IN ('on_track', 'at_risk', 'off_track', 'not_reported')),
    note          VARCHAR,
    evidence      VARCHAR,
    source_row    INTEGER,
    PRIMARY KEY (submission_id, kpi_code)
);

INSERT INTO org_unit SELECT * FROM org_unit_before_008;
INSERT INTO kpi SELECT * FROM kpi_before_008;
INSERT INTO kpi_owner SELECT * FROM kpi_owner_before_008;
INSERT INTO catalogue_load SELECT * FROM catalogue_load_before_008;
INSERT INTO submission SELECT * FROM submission_before_008;
INSERT INTO submission_value SELECT * FROM submission_value_before_008;

DROP TABLE submission_value_before_008;
DROP TABLE submission_before_008;
DROP TABLE catalogue_load_before_008;
DROP TABLE kpi_owner_before_008;
DROP TABLE kpi_before_008;
DROP TABLE org_unit_before_008;
