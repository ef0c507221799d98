-- Review and approval of submissions (issue 15; docs/guides/planning-division.md). Per fiscal year the admin may
-- require that the planning division approve each new version before it counts (approval_setting; no row = not
-- required, the behaviour before this migration). A version stored while its year requires approval gets a
-- submission_review row, 'submitted'; a reviewer then approves it or returns it with a reason per KPI
-- (submission_return_reason). A version without a review row needs no approval and counts as soon as it is stored,
-- so every version stored before this migration keeps counting: nothing here rewrites a stored row.
--
-- review_id is drawn from the submissions' own sequence when the decision is made, so submissions and decisions
-- share one increasing number: the forecasts (pipelines.forecast.refresh_table) see a decision as a change that
-- came after the newest submission they include, as they see a new version.
--
-- Constraints as in migration 008 (docs/development/constraints.md): keys, the vocabulary, foreign keys onto
-- submission, and a decided review always has who, when and its number.

CREATE TABLE approval_setting (
    fiscal_year       INTEGER NOT NULL PRIMARY KEY,
    approval_required BOOLEAN NOT NULL,
    updated_by        VARCHAR NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE submission_review (
    submission_id BIGINT NOT NULL PRIMARY KEY REFERENCES submission (submission_id),
    status        VARCHAR NOT NULL CHECK (status IN ('submitted', 'approved', 'returned')),
    reviewed_by   VARCHAR,
    reviewed_at   TIMESTAMP,
    review_id     BIGINT UNIQUE,
    CHECK ((status = 'submitted') = (reviewed_by IS NULL)),
    CHECK ((status = 'submitted') = (reviewed_at IS NULL)),
    CHECK ((status = 'submitted') = (review_id IS NULL))
);

CREATE TABLE submission_return_reason (
    submission_id BIGINT NOT NULL REFERENCES submission (submission_id),
    kpi_code      VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL CHECK (trim(reason) <> ''),
    PRIMARY KEY (submission_id, kpi_code)
);
