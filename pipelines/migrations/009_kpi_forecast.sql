-- Year-end forecasts (pipelines.forecast), kept as a table behind the public view kpi_forecasts: the projection
-- needs the scoring rules (pipelines.scoring) and a backtest of the previous year, so it is computed in Python and
-- written here when the analyst snapshot is published (snapshot.publish), never derived twice in SQL.
-- One row per (fiscal_year, as_of_quarter, kpi_code, unit_code) by construction; no index, so that a refresh of a
-- million-result database's 600,000 rows does not build one.
-- kpi_forecast_state records the data generation (migration 007) the rows were computed at, so that a publish that
-- follows no change to the data computes nothing, and a fingerprint of each fiscal year's results and catalogue,
-- so that a publish recomputes only the years whose forecasts depend on what changed (a year, and the two after).
CREATE TABLE kpi_forecast (
    fiscal_year      INTEGER NOT NULL,
    as_of_quarter    INTEGER NOT NULL,
    kpi_code         VARCHAR NOT NULL,
    unit_code        VARCHAR NOT NULL,
    method           VARCHAR NOT NULL,
    projected_actual DOUBLE  NOT NULL,
    low              DOUBLE  NOT NULL,
    high             DOUBLE  NOT NULL,
    projected_score  DOUBLE  NOT NULL,
    projected_status VARCHAR NOT NULL
);
CREATE TABLE kpi_forecast_state (database_id VARCHAR, generation BIGINT NOT NULL, fiscal_year INTEGER,
                                 fingerprint VARCHAR);
