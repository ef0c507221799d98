"""What the SQL page's AppTest files share: the samples with the test accounts, the page as a user opens it, a run."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.accounts_support import add_accounts, page, signed_in

EDITOR = "sql_editor"


def sql_page_site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The samples and the test accounts; the page reads env BSC_DB and the snapshot beside it."""
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    monkeypatch.delenv("BSC_SNAPSHOT", raising=False)
    return sample_db


def sql_page(db: Path, username: str = "ana", lang: str = "en") -> AppTest:
    app = signed_in(page("sql.py"), db, username)
    app.query_params["lang"] = lang
    return app.run()


def run(app: AppTest, sql: str) -> AppTest:
    app.text_area(key=EDITOR).set_value(sql)
    app.button(key="sql_run").click()
    return app.run()
