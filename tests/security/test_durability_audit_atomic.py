"""The audit row of an upload, an org file and a catalogue is written in the same transaction as the data: when it
cannot be written, nothing is stored (issue 9 item 10; before, the data was committed first and the audit row
after, so a process that died in between left a change nobody could trace)."""

from __future__ import annotations

from pathlib import Path

from tests.accounts_support import query
from tests.support import SAMPLES, run_cli

STATE = ("SELECT (SELECT count(*) FROM submission), (SELECT count(*) FROM org_unit), "
         "(SELECT count(*) FROM catalogue_load), (SELECT max(loaded_at) FROM catalogue_load), "
         "(SELECT count(*) FROM kpi_result WHERE version IS NOT NULL)")


def test_an_upload_whose_audit_row_cannot_be_written_is_not_stored(
    sample_db: Path, tmp_path: Path, audit_fails: None
) -> None:
    before = query(sample_db, STATE)
    upload = tmp_path / "law_q3.csv"
    upload.write_text("division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,3,L-01,4\n", encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(upload)) == 1  # the I/O error reported in a line, exit 1
    assert query(sample_db, STATE) == before


def test_an_org_file_whose_audit_row_cannot_be_written_is_not_stored(
    sample_db: Path, tmp_path: Path, audit_fails: None
) -> None:
    before = query(sample_db, STATE)
    orgs = tmp_path / "orgs.csv"
    known = (SAMPLES / "orgs_th.csv").read_text(encoding="utf-8").rstrip("\n")
    orgs.write_text(known + "\nNEW,หน่วยใหม่,New,AG,division\n", encoding="utf-8")
    assert run_cli(sample_db, "orgs", str(orgs)) == 1
    assert query(sample_db, STATE) == before


def test_a_catalogue_whose_audit_row_cannot_be_written_is_not_stored(sample_db: Path, audit_fails: None) -> None:
    before = query(sample_db, STATE)
    assert run_cli(sample_db, "catalogue", str(SAMPLES / "catalogue_2568_th.csv")) == 1
    assert query(sample_db, STATE) == before
