"""CLI start-up: `import pipelines.cli`, `python -m pipelines scores` and an identical re-upload through
`python -m pipelines ingest` (validate, nothing stored: start-up and reading dominate) against a
`python -c "import duckdb"` process, interleaved (bench/timing.py), on the demo database (built under bench/out/ if
absent).

    .venv/bin/python bench/startup.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from timing import Figure, interleaved, report  # noqa: E402
from upload_cost import source_db  # noqa: E402

CPU: dict[str, list[float]] = {}
"""Name -> CPU seconds (user + system) of each run's process: steadier than wall time on a loaded machine."""


def process(*args: str, name: str = "") -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    if name:
        CPU.setdefault(name, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


DUCKDB = "python -c 'import duckdb'"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    database = str(source_db("demo"))
    sample = sorted((Path(database).parent / "files" / "submissions").rglob("*.xlsx"))[-1]  # a demo unit's file
    scratch = ROOT / "bench" / "out" / "startup.duckdb"
    import shutil

    shutil.copyfile(database, scratch)
    process("-m", "pipelines", "--db", str(scratch), "ingest", str(sample))  # stored once; later rounds identical
    figures = interleaved({
        DUCKDB: lambda _: process("-c", "import duckdb", name=DUCKDB),
        "python -c 'import pipelines.cli'": lambda _: process("-c", "import pipelines.cli",
                                                              name="python -c 'import pipelines.cli'"),
        "python -m pipelines scores (demo)": lambda _: process("-m", "pipelines", "--db", database, "scores",
                                                               "--fiscal-year", "2568", "--quarter", "2",
                                                               name="python -m pipelines scores (demo)"),
        "python -m pipelines ingest, identical re-upload (demo)": lambda _: process(
            "-m", "pipelines", "--db", str(scratch), "ingest", str(sample),
            name="python -m pipelines ingest, identical re-upload (demo)"),
    }, args.rounds)
    print("wall time:")
    report(figures, baseline=DUCKDB)
    print("CPU time of the process (user + system):")
    report({name: Figure(name, tuple(times)) for name, times in CPU.items()}, baseline=DUCKDB)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
