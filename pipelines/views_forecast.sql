-- Views over the forecast migration (009), recreated by every `python -m pipelines init` after views.sql.

-- The year-end (Q4) projection of every KPI and owner, as of each quarter reported so far: the rows of the table
-- kpi_forecast, which pipelines.forecast fills when the snapshot is published (docs/reference/forecast.md).
CREATE OR REPLACE VIEW kpi_forecasts AS
SELECT fiscal_year, as_of_quarter, kpi_code, unit_code, method, projected_actual, low, high, projected_score,
       projected_status
FROM kpi_forecast;
