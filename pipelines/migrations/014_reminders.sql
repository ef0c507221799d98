-- Reminders by e-mail (issue 15): when they go out for each quarter, and every one sent (pipelines.reminders).
-- Accounts already have an e-mail (migration 002): a division head's reminders and an admin's digest go there.

-- One row per reminder day of a quarter: offset_days before (negative) or after (positive) its deadline.
CREATE TABLE reminder_schedule (
    fiscal_year  INTEGER NOT NULL,
    quarter      INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    offset_days  INTEGER NOT NULL CHECK (offset_days BETWEEN -60 AND 60),
    updated_by   VARCHAR,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (fiscal_year, quarter, offset_days)
);

-- One row per e-mail sent, written in the transaction that sends it (committed once the SMTP server accepted it):
-- the unique key is why the same reminder never goes out twice. kind 'missing': to a division head whose unit
-- has not submitted; 'digest': the daily digest of the queue to an admin (unit_code '' and offset_days 0).
-- due_on: the day it was due (deadline + offset; the digest's day), so a moved deadline makes new reminders due.
CREATE TABLE reminder_sent (
    kind         VARCHAR NOT NULL CHECK (kind IN ('missing', 'digest')),
    unit_code    VARCHAR NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    quarter      INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    offset_days  INTEGER NOT NULL,
    due_on       DATE NOT NULL,
    recipient    VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,
    sent_at      TIMESTAMP NOT NULL,
    UNIQUE (kind, unit_code, fiscal_year, quarter, offset_days, due_on, recipient)
);
