"""The switch "include submitted, not yet approved" shows what approving the waiting versions would give: its sums
per unit, quarter and dimension (include_submitted.kpi_result_total) are, row for row and to the last digit, the
kept sums of main once the waiting version is approved; in the live database and in the published snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import approval
from tests.accounts_support import query
from tests.test_approval import published, require_approval, site, submit_plan_q2, user  # noqa: F401 (site)

pytestmark = pytest.mark.usefixtures("fast_hashing")

EVERY_TOTAL = "SELECT * FROM {}.kpi_result_total ORDER BY ALL"


def test_the_switch_sums_are_the_sums_approval_gives(site: Path) -> None:  # noqa: F811
    assert require_approval(site) == []
    waiting = submit_plan_q2(site, 90)
    live_switch = query(site, EVERY_TOTAL.format("include_submitted"))
    published_switch = published(site, EVERY_TOTAL.format("include_submitted"))
    assert live_switch == published_switch != query(site, EVERY_TOTAL.format("main"))

    assert approval.approve_submission(site, waiting, user=user(site, "rev")).stored

    assert query(site, EVERY_TOTAL.format("main")) == live_switch
    assert published(site, EVERY_TOTAL.format("main")) == published_switch

