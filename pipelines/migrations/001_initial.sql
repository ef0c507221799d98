-- Base tables. Public names (views.sql) are the stable interface; these may change by migration.
CREATE TABLE org_unit (
    code        VARCHAR NOT NULL,
    name_th     VARCHAR NOT NULL,
    name_en     VARCHAR,
    parent_code VARCHAR,
    level       VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE kpi (
    fiscal_year INTEGER NOT NULL,   -- Buddhist Era
    kpi_code    VARCHAR NOT NULL,
    name_th     VARCHAR NOT NULL,
    name_en     VARCHAR,
    dimension   VARCHAR NOT NULL,
    pmqa        INTEGER[] NOT NULL,
    unit        VARCHAR,
    direction   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    weight      DOUBLE NOT NULL,
    t1 DOUBLE, t2 DOUBLE, t3 DOUBLE, t4 DOUBLE, t5 DOUBLE,
    target      DOUBLE,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE kpi_owner (
    fiscal_year INTEGER NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    owner_code  VARCHAR NOT NULL
);

CREATE SEQUENCE catalogue_load_id;
CREATE TABLE catalogue_load (
    load_id      BIGINT NOT NULL DEFAULT nextval('catalogue_load_id'),
    fiscal_year  INTEGER NOT NULL,
    file_name    VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    kpi_count    INTEGER NOT NULL,
    loaded_by    VARCHAR,
    loaded_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE submission_id;
CREATE TABLE submission (
    submission_id BIGINT NOT NULL DEFAULT nextval('submission_id'),
    unit_code     VARCHAR NOT NULL,
    fiscal_year   INTEGER NOT NULL,
    quarter       INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    row_count     INTEGER NOT NULL,
    submitted_by  VARCHAR,
    submitted_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per KPI the file listed (actual may be NULL: left empty = not reported).
-- score/status are written by pipelines.scoring at ingest and again when a catalogue changes.
CREATE TABLE submission_value (
    submission_id BIGINT NOT NULL,
    kpi_code      VARCHAR NOT NULL,
    actual        DOUBLE,
    score         DOUBLE,
    status        VARCHAR NOT NULL,
    note          VARCHAR,
    evidence      VARCHAR,
    source_row    INTEGER
);
