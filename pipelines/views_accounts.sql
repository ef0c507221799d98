-- Views over the accounts migration (002), recreated by every `python -m pipelines init` after views.sql.
-- submission_periods and submission_timeliness are public; audit_log is for the admin role only
-- (pipelines.auth.ADMIN_ONLY_VIEWS): the SQL page must not offer it to anyone else.

-- Every quarter of every fiscal year with a catalogue: whether it is closed to uploads, and its deadline.
--   fiscal_year (BE), quarter (1-4), is_closed, reason (why it was last closed or reopened),
--   deadline (last day to submit; NULL = none set)
CREATE OR REPLACE VIEW submission_periods AS
SELECT q.fiscal_year, q.quarter, coalesce(p.is_closed, false) AS is_closed, p.reason, p.deadline
FROM fiscal_quarters AS q
LEFT JOIN fiscal_period AS p USING (fiscal_year, quarter)
ORDER BY q.fiscal_year, q.quarter;

-- One row per quarter and unit that owns KPIs that year: when it submitted, measured against the deadline.
--   first_submitted_at (version 1), latest_submitted_at, latest_version (NULL = nothing submitted),
--   timeliness: on_time (version 1 on or before the deadline day), late (after it),
--               submitted (no deadline set), overdue (nothing submitted, deadline passed),
--               pending (nothing submitted, deadline not passed or not set)
CREATE OR REPLACE VIEW submission_timeliness AS
WITH owners AS (  -- kpi_owner itself, not the catalogue view joining every owner row to its KPI: the same units
    SELECT DISTINCT fiscal_year, owner_code AS unit_code FROM kpi_owner
), submitted AS (
    SELECT unit_code, fiscal_year, quarter, min(submitted_at) AS first_submitted_at,
           max(submitted_at) AS latest_submitted_at, max(version) AS latest_version
    FROM submission
    GROUP BY unit_code, fiscal_year, quarter
)
SELECT p.fiscal_year, p.quarter, o.unit_code, p.deadline, p.is_closed,
       s.first_submitted_at, s.latest_submitted_at, s.latest_version,
       CASE
           WHEN s.first_submitted_at IS NULL AND p.deadline IS NOT NULL AND current_date > p.deadline THEN 'overdue'
           WHEN s.first_submitted_at IS NULL THEN 'pending'
           WHEN p.deadline IS NULL THEN 'submitted'
           WHEN s.first_submitted_at < p.deadline + INTERVAL 1 DAY THEN 'on_time'
           ELSE 'late'
       END AS timeliness
FROM submission_periods AS p
JOIN owners AS o USING (fiscal_year)
LEFT JOIN submitted AS s ON s.unit_code = o.unit_code AND s.fiscal_year = p.fiscal_year AND s.quarter = p.quarter
ORDER BY p.fiscal_year, p.quarter, o.unit_code;

-- Admin only. Every audited event, oldest first; never updated or deleted.
--   event_id, occurred_at (server clock), actor (user name, or --by / 'cli' from the command line),
--   action (login, login_failed, account_locked, logout, access_denied, upload, catalogue_load, orgs_load,
--           user_add, user_update, password_set, user_disable, user_enable, user_unlock,
--           period_close, period_reopen, deadline_set),
--   outcome (success | rejected | refused | failed), unit_code, fiscal_year, quarter, detail, channel (web | cli)
CREATE OR REPLACE VIEW audit_log AS
SELECT event_id, occurred_at, actor, action, outcome, unit_code, fiscal_year, quarter, detail, channel
FROM audit_event
ORDER BY event_id;
