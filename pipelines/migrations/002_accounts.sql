-- Accounts, sessions, the audit trail and quarter periods (issue 4).
-- None of these tables is a public view: analysts never see password hashes or session ids.

-- Local accounts. password_hash is bcrypt over SHA-256 of the NFC password (pipelines.auth);
-- failed_logins counts wrong passwords in a row, locked_until is set when it reaches five.
CREATE TABLE app_user (
    username       VARCHAR NOT NULL PRIMARY KEY,
    display_name   VARCHAR NOT NULL,
    role           VARCHAR NOT NULL,      -- executive | division_head | analyst | admin
    unit_code      VARCHAR,               -- required for division_head: the unit they submit for (and below)
    email          VARCHAR,               -- for single sign-on: the identity's e-mail maps to this account
    password_hash  VARCHAR NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT false,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TIMESTAMP,
    last_login_at  TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    created_by     VARCHAR
);

-- One row per sign-in; a session is valid while ended_at is NULL and expires_at is ahead.
CREATE TABLE user_session (
    session_id  VARCHAR NOT NULL PRIMARY KEY,
    username    VARCHAR NOT NULL,
    method      VARCHAR NOT NULL,         -- password | sso
    started_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    ended_at    TIMESTAMP
);

-- Append-only: the product only ever INSERTs here (pipelines.audit.record).
CREATE SEQUENCE audit_event_id;
CREATE TABLE audit_event (
    event_id     BIGINT NOT NULL DEFAULT nextval('audit_event_id'),
    occurred_at  TIMESTAMP NOT NULL,
    actor        VARCHAR NOT NULL,        -- user name, or what a CLI user gave with --by, or 'cli'
    action       VARCHAR NOT NULL,        -- see pipelines.audit.ACTIONS
    outcome      VARCHAR NOT NULL,        -- success | rejected | refused | failed
    unit_code    VARCHAR,
    fiscal_year  INTEGER,
    quarter      INTEGER,
    detail       VARCHAR NOT NULL DEFAULT '',
    channel      VARCHAR NOT NULL         -- web | cli
);

-- A fiscal quarter's submission state. No row = open, no deadline.
CREATE TABLE fiscal_period (
    fiscal_year   INTEGER NOT NULL,
    quarter       INTEGER NOT NULL,
    is_closed     BOOLEAN NOT NULL DEFAULT false,
    reason        VARCHAR,                -- why it was last closed or reopened
    deadline      DATE,                   -- last day to submit; a first version after that day is late
    updated_by    VARCHAR,
    updated_at    TIMESTAMP,
    PRIMARY KEY (fiscal_year, quarter)
);
