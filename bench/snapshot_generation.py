"""What the snapshot's data generation check costs a dashboard read (issue 9 item 7), on the demo database.

- `read_source.current` when nothing changed since the live file and the snapshot last agreed: three stats;
- the same right after a write that changes no public data (a sign-in): one short read-only open of the live file;
- a snapshot behind the live file (a writer killed between commit and publish): the republish;
- one `python -m pipelines check` and one `backup` of the demo database.

Run: .venv/bin/python bench/snapshot_generation.py [--db data/bsc.duckdb]   (builds a demo database in a temp
folder if the file does not exist; prints the figures; nothing is asserted)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import audit, cli, db, read_source, snapshot  # noqa: E402

RUNS = 200


def timed(action, runs: int) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, min(timings) * 1000


def sign_in_like_write(db_path: Path) -> None:
    with db.open_db(db_path) as con:
        audit.record(con, "bench", "login_failed", "failed", detail="bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "bsc.duckdb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bsc.duckdb"
        if args.db.exists():
            shutil.copy(args.db, db_path)
            cli.main(["--db", str(db_path), "snapshot"])
        else:
            cli.main(["--db", str(db_path), "demo", "--demo-dir", str(Path(folder) / "demo")])
        read_source.current(db_path)
        agreed = timed(lambda: read_source.current(db_path), RUNS)

        def after_sign_in() -> None:
            sign_in_like_write(db_path)
            start = time.perf_counter()
            read_source.current(db_path)
            changed.append(time.perf_counter() - start)

        changed: list[float] = []
        for _ in range(20):
            after_sign_in()

        def behind() -> None:
            with db.open_db(db_path) as con:
                db.bump_generation(con)
            start = time.perf_counter()
            assert read_source.current(db_path).kind == "snapshot"
            republished.append(time.perf_counter() - start)

        republished: list[float] = []
        for _ in range(5):
            behind()
        check = timed(lambda: cli.main(["--db", str(db_path), "check"]), 3)
        backup = timed(lambda: cli.main(["--db", str(db_path), "backup", "--out", str(Path(folder) / "b.tar")]), 3)
        size = os.path.getsize(db_path) / 1024 / 1024
    print(f"load average {os.getloadavg()[0]:.1f}; demo database {size:.1f} MiB; snapshot {snapshot.STORAGE_VERSION}")
    print(f"read_source.current, nothing changed:          median {agreed[0]:.3f} ms, best {agreed[1]:.3f} ms")
    print(f"read_source.current after a sign-in write:     median {statistics.median(changed) * 1000:.1f} ms, "
          f"best {min(changed) * 1000:.1f} ms")
    print(f"read_source.current, snapshot behind (republish): median {statistics.median(republished) * 1000:.0f} ms")
    print(f"python -m pipelines check (in-process):        median {check[0]:.0f} ms")
    print(f"python -m pipelines backup (in-process):       median {backup[0]:.0f} ms")


if __name__ == "__main__":
    main()
