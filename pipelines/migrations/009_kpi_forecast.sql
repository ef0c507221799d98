-- Year-end forecasts (pipelines.forecast), kept as a table behind the public view kpi_forecasts: the projection
-- needs the scoring rules (pipelines.scoring) and a backtest of the previous year, so it is computed in Python and
-- written here when the analyst snapshot is published (snapshot.publish), never derived twice in SQL.
-- One row per (fiscal_year, as_of_quarter, kpi_code, unit_code) by construction; no index, so that a refresh of a
-- million-result database's 600,000 rows does not build one.
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
-- What the rows were computed from, so that a publish computes only what a change reaches
-- (pipelines.forecast.refresh_table; docs/reference/forecast.md):
-- kpi_forecast_state, one row: the data generation (migration 007) the rows are current at, so that a publish that
-- follows no change to the data computes nothing; `rules`, a fingerprint of the forecast and scoring code and of
-- the schema (a change recomputes everything); and the newest submission and catalogue load the rows include with
-- how many there were, both tables being append-only: what came after is what changed.
CREATE TABLE kpi_forecast_state (database_id VARCHAR, generation BIGINT NOT NULL, rules VARCHAR NOT NULL,
                                 submission_id BIGINT NOT NULL, submissions BIGINT NOT NULL,
                                 load_id BIGINT NOT NULL, loads BIGINT NOT NULL);
-- One row per fiscal year with data: the newest submission and catalogue load of the year (0: none); the as-of
-- quarters it has forecasts for; and the method selection its forecasts use, made by the backtest of the year
-- before: `basis`, the newest submissions and loads of the two years before it was made from (the backtested year
-- and that year's last year), and the overall winner. The per-KPI winners and the interval bounds are the two
-- tables after it.
CREATE TABLE kpi_forecast_year (
    fiscal_year   INTEGER NOT NULL,
    submission_id BIGINT  NOT NULL,
    load_id       BIGINT  NOT NULL,
    quarters    INTEGER[] NOT NULL,
    basis       VARCHAR NOT NULL,
    overall     VARCHAR NOT NULL
);
CREATE TABLE kpi_forecast_method (
    fiscal_year INTEGER NOT NULL,
    kpi_code    VARCHAR NOT NULL,
    unit_code   VARCHAR NOT NULL,
    method      VARCHAR NOT NULL
);
-- below/above: the 10th and 90th percentiles of the method's backtest errors at that quarter, NULL for the fixed
-- band (fewer than forecast.MIN_RESIDUALS errors).
CREATE TABLE kpi_forecast_bounds (
    fiscal_year   INTEGER NOT NULL,
    method        VARCHAR NOT NULL,
    as_of_quarter INTEGER NOT NULL,
    below         DOUBLE,
    above         DOUBLE
);
