"""The websocket session of bench/sessions.py against a real `streamlit run` on the demo database: it signs in only
through the product's sign-in form (a wrong password leaves the form drawn, with the product's refusal), and every
page an executive may open runs to its end with no exception element. No timings: bench/sessions.py measures them.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from pipelines import roles
from tests.browser_support import running_dashboard

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from sessions import Session, SessionError  # noqa: E402

pytestmark = pytest.mark.xdist_group("server")  # a `streamlit run` server per module: one at a time

EXECUTIVE = ("executive", "demo-exec-2568")


@pytest.fixture(scope="module")
def site(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    copy = tmp_path_factory.mktemp("live_sessions") / "bsc.duckdb"
    shutil.copy(demo_db_template, copy)
    with running_dashboard(copy, copy.parent / "streamlit.log") as base:
        yield base


def test_a_wrong_password_leaves_the_sign_in_form(site: str) -> None:
    async def attempt() -> str:
        session = Session(site)
        await session.connect()
        try:
            await session.sign_in(EXECUTIVE[0], "not-the-password")
        except SessionError as refused:
            return str(refused)
        finally:
            await session.close()
        return "signed in"

    outcome = asyncio.run(attempt())
    assert outcome.startswith("the sign-in form was drawn again")
    assert "ไม่ถูกต้อง" in outcome  # the product's own refusal (login_wrong), in Thai


def test_a_signed_in_session_runs_every_executive_page(site: str) -> None:
    async def visit() -> dict[str, tuple[int, int]]:
        session = Session(site)
        await session.connect()
        try:
            await session.sign_in(*EXECUTIVE)
            drawn = {}
            for row in roles.pages_for("executive"):
                await session.run(session.pages["" if row.default else row.key])
                drawn[row.key] = (len(session.widgets), session.exceptions)
            return drawn
        finally:
            await session.close()

    drawn = asyncio.run(visit())
    assert list(drawn) == [row.key for row in roles.pages_for("executive")]
    assert all(elements > 5 and exceptions == 0 for elements, exceptions in drawn.values()), drawn
