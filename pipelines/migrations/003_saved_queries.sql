-- The SQL page (issue 5): each user's saved queries and their last 50 queries.
-- Neither table is a public view nor in the analyst snapshot: one analyst does not read another's.

-- A query a user saved under a title; saving the same title again replaces its text.
CREATE SEQUENCE saved_query_id;
CREATE TABLE saved_query (
    query_id    BIGINT NOT NULL DEFAULT nextval('saved_query_id'),
    username    VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    sql         VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Every query a user ran on the SQL page, newest kept: pipelines.saved_queries trims to 50 per user.
CREATE SEQUENCE query_history_id;
CREATE TABLE query_history (
    history_id  BIGINT NOT NULL DEFAULT nextval('query_history_id'),
    username    VARCHAR NOT NULL,
    sql         VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,         -- ok | refused | error | timeout
    row_count   BIGINT,                   -- rows returned (capped at the download limit); NULL unless ok
    elapsed_ms  INTEGER,
    ran_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);
