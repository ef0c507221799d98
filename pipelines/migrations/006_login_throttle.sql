-- Failed sign-ins counted outside app_user (pipelines.auth): per source (the client's address, or '*' when the
-- server cannot tell) and per user name that has no account, so that an unknown name locks exactly like a real
-- one. A row lives for one window and is then deleted, so visitors cannot grow this table without limit.
CREATE TABLE login_throttle (
    bucket         VARCHAR NOT NULL PRIMARY KEY,  -- 'source:<address>' | 'name:<user name>' (at most 64 characters)
    failures       INTEGER NOT NULL,              -- failed or still running attempts in this window
    window_start   TIMESTAMP NOT NULL,
    refused_until  TIMESTAMP                      -- set when the limit is reached; attempts until then are refused
);
