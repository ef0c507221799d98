"""Helpers for the tests that build a database as the product did before migration 012 (review and approval)."""

from __future__ import annotations

import pytest

from pipelines import approval, db, queries

NO_REVIEWS = ("(SELECT NULL::BIGINT AS submission_id, NULL::VARCHAR AS status, NULL::VARCHAR AS reviewed_by, "
              "NULL::TIMESTAMP AS reviewed_at, NULL::BIGINT AS review_id)")


def code_before_012(patch: pytest.MonkeyPatch) -> None:
    """Today's code as it was before migration 012, for a database built with older migrations: the views and the
    queries that read submission_review (012) read a review table with no row instead (before 012 no version needed
    approval), no version is marked for review, and there is no schema include_submitted; nor the evidence of
    migration 013 (its view, and the carry-over of a version's evidence to the next)."""
    patch.setattr(db, "VIEW_FILES", tuple(name for name in db.VIEW_FILES if name != "views_evidence.sql"))
    patch.setattr(queries, "CARRY_OVER_EVIDENCE", "SELECT $new, $old")
    views_sql = db.views_sql
    patch.setattr(db, "views_sql", lambda: views_sql().replace("submission_review AS r", f"{NO_REVIEWS} AS r"))
    patch.setattr(db, "include_submitted_sql", lambda: "")
    patch.setattr(approval, "open_review", lambda *args: False)
    for name, text in vars(queries).copy().items():
        if isinstance(text, str) and "submission_review AS r" in text:
            patch.setattr(queries, name, text.replace("submission_review AS r", f"{NO_REVIEWS} AS r"))
