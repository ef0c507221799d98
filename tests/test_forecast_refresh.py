"""The forecast table kept current incrementally (forecast.refresh_table, run by every publish): an upload recomputes
its unit's rows of its year, a change to last year the whole year, and after any sequence of writes the table holds
exactly what a computation from nothing (forecast.all_forecasts) gives, row for row."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from pipelines import cli, forecast, queries

UNITS = ("DIV1", "DIV2", "DIV3", "DIV4")
KPIS_PER_UNIT = 4
KINDS = (  # unit of measure, direction, kind, t1..t5
    ("เรื่อง", "higher", "numeric", "10,20,30,40,50"),
    ("ร้อยละ", "higher", "numeric", "60,70,80,90,100"),
    ("วัน", "lower", "numeric", "30,25,20,15,10"),
    ("ระดับ", "higher", "milestone", ",,,,"),
)
HEADER = "fiscal_year,kpi_code,name_th,dimension,owner,unit,direction,kind,weight,t1,t2,t3,t4,t5\n"


def run(db: Path, *args: str) -> int:
    return cli.main(["--db", str(db), *args])


def kpi_codes(unit: str) -> list[str]:
    return [f"{unit}-K{n}" for n in range(KPIS_PER_UNIT)]


def load_catalogue(db: Path, folder: Path, year: int, shift: float = 0) -> None:
    """Each unit owns four KPIs, one of each kind; `shift` moves every numeric threshold (a catalogue corrected)."""
    lines = []
    for unit in UNITS:
        for n, code in enumerate(kpi_codes(unit)):
            measure, direction, kind, levels = KINDS[n]
            if kind == "numeric":
                levels = ",".join(str(float(level) + shift) for level in levels.split(","))
            lines.append(f"{year},{code},ตัวชี้วัด {code},{n % 4 + 1},{unit},{measure},{direction},{kind},25,{levels}")
    path = folder / f"catalogue_{year}_{shift}.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    assert run(db, "catalogue", str(path)) == 0


def upload(db: Path, folder: Path, unit: str, year: int, quarter: int, rng: random.Random) -> None:
    """One unit's quarter, year-to-date values that grow through the year with some noise (some left empty)."""
    lines = []
    for n, code in enumerate(kpi_codes(unit)):
        _, _, kind, _ = KINDS[n]
        pace = quarter / 4 * rng.uniform(0.6, 1.3)
        if rng.random() < 0.1:
            actual = ""
        elif kind == "milestone":
            actual = str(min(5, round(5 * pace)))
        elif n == 1:
            actual = f"{rng.uniform(65, 99):.1f}"
        elif n == 2:
            actual = f"{rng.uniform(8, 32):.1f}"
        else:
            actual = f"{50 * pace:.1f}"
        lines.append(f"{unit},{year},{quarter},{code},{actual}")
    path = folder / f"{unit}_{year}_Q{quarter}_{rng.random():.6f}.csv"
    path.write_text("division,fiscal_year,quarter,kpi_code,actual\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert run(db, "ingest", str(path)) == 0


def stored_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT * FROM kpi_forecasts ORDER BY ALL").fetchall()


def from_nothing(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    computed = forecast.all_forecasts(con)[queries.FORECAST_COLUMNS]
    return sorted(tuple(row) for row in computed.itertuples(index=False))


def assert_as_if_computed_from_nothing(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        assert stored_rows(con) == from_nothing(con)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FY 2566 reported in all four quarters by four divisions; FY 2567 in Q1 and Q2."""
    folder = tmp_path_factory.mktemp("forecast_refresh")
    db = folder / "bsc.duckdb"
    orgs = ("code,name_th,name_en,parent_code,level\nOJA,สำนักงานทดสอบ,Test Office,,agency\n"
            + "".join(f"{unit},กอง {unit},Division {unit},OJA,division\n" for unit in UNITS))
    (folder / "orgs.csv").write_text(orgs, encoding="utf-8")
    assert run(db, "orgs", str(folder / "orgs.csv")) == 0
    rng = random.Random(2567)
    for year in (2566, 2567):
        load_catalogue(db, folder, year)
    for quarter in (1, 2, 3, 4):
        for unit in UNITS:
            upload(db, folder, unit, 2566, quarter, rng)
    for quarter in (1, 2):
        for unit in UNITS:
            upload(db, folder, unit, 2567, quarter, rng)
    return db


def copy_of(db: Path, folder: Path) -> Path:
    copy = folder / "bsc.duckdb"
    copy.write_bytes(db.read_bytes())
    return copy


def test_after_a_sequence_of_uploads_the_table_equals_a_computation_from_nothing(two_years: Path,
                                                                                 tmp_path: Path) -> None:
    db = copy_of(two_years, tmp_path)
    assert_as_if_computed_from_nothing(db)
    with duckdb.connect(str(db), read_only=True) as con:
        bounds = con.execute("SELECT count(*) FROM kpi_forecast_bounds WHERE fiscal_year = 2567 "
                             "AND below IS NOT NULL").fetchone()[0]
    assert bounds > 0, "the fixture should give FY 2567 intervals from the backtest, not only the fixed band"
    rng = random.Random(14)
    steps = [
        ("DIV2", 2567, 2),  # a correction of the current year: DIV2's rows only
        ("DIV3", 2567, 3),  # the first Q3 of the year: every unit gets rows as of Q3
        ("DIV1", 2567, 3),
        ("DIV4", 2566, 4),  # a correction of last year: its backtest, so the selection and all of 2567
        ("DIV4", 2567, 1),
        ("DIV2", 2566, 2),  # last year again, a quarter the backtest replays
        ("DIV1", 2567, 2),
    ]
    for unit, year, quarter in steps:
        upload(db, tmp_path, unit, year, quarter, rng)
        assert_as_if_computed_from_nothing(db)
    load_catalogue(db, tmp_path, 2567, shift=2.5)  # thresholds changed: every score of the year
    assert_as_if_computed_from_nothing(db)
    upload(db, tmp_path, "DIV3", 2567, 3, rng)
    assert_as_if_computed_from_nothing(db)


def marked_by_year_and_unit(db: Path) -> dict[tuple[int, str], bool]:
    """(fiscal year, unit) -> whether all its rows still carry the mark, i.e. were not recomputed."""
    with duckdb.connect(str(db), read_only=True) as con:
        found = con.execute("SELECT fiscal_year, unit_code, bool_and(method = 'marked') FROM kpi_forecast "
                            "GROUP BY ALL").fetchall()
    return {(year, unit): marked for year, unit, marked in found}


def mark_every_row(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE kpi_forecast SET method = 'marked'")


def test_an_upload_to_the_current_year_recomputes_its_units_rows_only(two_years: Path, tmp_path: Path) -> None:
    db = copy_of(two_years, tmp_path)
    mark_every_row(db)
    upload(db, tmp_path, "DIV2", 2567, 2, random.Random(1))
    recomputed = {key for key, marked in marked_by_year_and_unit(db).items() if not marked}
    assert recomputed == {(2567, "DIV2")}


def test_a_correction_of_last_year_recomputes_the_whole_of_this_year(two_years: Path, tmp_path: Path) -> None:
    """FY 2566's backtest selects FY 2567's methods, and last year's values are the shape: all of 2567 again, and
    of 2566 the unit's own rows."""
    db = copy_of(two_years, tmp_path)
    mark_every_row(db)
    upload(db, tmp_path, "DIV4", 2566, 4, random.Random(2))
    recomputed = {key for key, marked in marked_by_year_and_unit(db).items() if not marked}
    assert recomputed == {(2566, "DIV4"), *((2567, unit) for unit in UNITS)}


def test_the_first_report_of_a_quarter_adds_that_quarters_rows_for_every_unit(two_years: Path,
                                                                              tmp_path: Path) -> None:
    db = copy_of(two_years, tmp_path)
    upload(db, tmp_path, "DIV1", 2567, 3, random.Random(3))
    with duckdb.connect(str(db), read_only=True) as con:
        units = con.execute("SELECT DISTINCT unit_code FROM kpi_forecasts WHERE fiscal_year = 2567 "
                            "AND as_of_quarter = 3 ORDER BY 1").fetchall()
    assert [unit for (unit,) in units] == list(UNITS)


def test_a_submission_below_the_newest_one_included_recomputes_everything(two_years: Path, tmp_path: Path) -> None:
    """The refresh relies on submissions being append-only; if one appears below the newest it has seen (here a
    count that no longer matches), it starts over rather than trust the difference."""
    db = copy_of(two_years, tmp_path)
    mark_every_row(db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE kpi_forecast_state SET submissions = submissions - 1, generation = generation - 1")
        assert forecast.refresh_table(con).everything
        assert con.execute("SELECT count(*) FROM kpi_forecast WHERE method = 'marked'").fetchone() == (0,)
        assert stored_rows(con) == from_nothing(con)


NEWEST = {2566: (16, 2), 2567: (24, 3)}
THREE_YEARS = {2565: (9, 1), **NEWEST}


@pytest.mark.parametrize(("newest", "selected_on", "changed", "reloaded", "plan"), [
    (NEWEST, {2566: forecast.basis(NEWEST, 2566), 2567: forecast.basis(NEWEST, 2567)}, {2567: {"DIV2"}}, set(),
     {2567: frozenset({"DIV2"})}),
    # FY 2566 moved on since 2567's selection was made: all of 2567; of 2566, the unit
    ({2566: (25, 2), 2567: (24, 3)}, {2566: forecast.basis(NEWEST, 2566), 2567: forecast.basis(NEWEST, 2567)},
     {2566: {"DIV4"}}, set(), {2566: frozenset({"DIV4"}), 2567: None}),
    # and two years on, through that backtest's last year's shape
    ({**THREE_YEARS, 2565: (25, 1)}, {year: forecast.basis(THREE_YEARS, year) for year in THREE_YEARS},
     {2565: {"DIV1"}}, set(), {2565: frozenset({"DIV1"}), 2566: None, 2567: None}),
    (NEWEST, {2566: forecast.basis(NEWEST, 2566), 2567: forecast.basis(NEWEST, 2567)}, {}, {2567}, {2567: None}),
    (NEWEST, {}, {}, set(), {2566: None, 2567: None}),  # nothing stored: everything
    (NEWEST, {2566: forecast.basis(NEWEST, 2566), 2567: forecast.basis(NEWEST, 2567)}, {}, set(), {}),
])
def test_the_plan_names_the_units_an_upload_reaches_and_the_years_a_change_to_the_years_before_does(
        newest, selected_on, changed, reloaded, plan) -> None:
    assert forecast.refresh_plan(newest, selected_on, changed, reloaded) == plan
