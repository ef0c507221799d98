"""Helpers for the tests that build a database as the product did before migration 012 (review and approval)."""

from __future__ import annotations

import re

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
    code_before_015(patch)


SUBTREE_TABLE = re.compile(r"\bkpi_subtree_total\b")


def code_before_015(patch: pytest.MonkeyPatch) -> None:
    """Today's code as it was before migration 015: no kept table kpi_subtree_total, so nothing refreshes it and what
    reads it reads its derivation (kpi_subtree_totals_computed: the same rows) instead."""
    views_sql = db.views_sql
    patch.setattr(db, "views_sql", lambda: SUBTREE_TABLE.sub("kpi_subtree_totals_computed", views_sql()))
    for name, text in vars(queries).copy().items():
        if isinstance(text, str) and SUBTREE_TABLE.search(text):
            patch.setattr(queries, name, SUBTREE_TABLE.sub("kpi_subtree_totals_computed", text))
    nothings = (("PERIOD", "SELECT $ancestors, $fiscal_year, $quarter"), ("YEAR", "SELECT ?"), ("ALL", "SELECT 1"))
    for name, nothing in nothings:
        for verb in ("DELETE", "INSERT"):
            statement = f"{verb}_ALL_SUBTREE_TOTALS" if name == "ALL" else f"{verb}_SUBTREE_TOTALS_OF_{name}"
            patch.setattr(queries, statement, nothing)
