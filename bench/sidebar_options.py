"""What the sidebar's choices (the org tree of every unit, the fiscal years and periods) cost a page run, before and
after they were read once per publish and shared (issue 12). Interleaved rounds, min and median, load average:

- read from the database: `reports.filter_options` on the snapshot (what a page run paid on a cache miss, and what
  bench/pages.py counted in every page's queries until now);
- before, on a cache hit: st.cache_data handed each call a copy (an unpickled FilterOptions, twice a run: the
  database check and the sidebar), and the unit picker built its label index over every unit;
- after: `data.filter_options()` twice (the source check and a lookup of the shared object) and the picker's
  label function and first shortlist.

    .venv/bin/python bench/sidebar_options.py --size 5M [--rounds 7] [--json OUT]
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import load, machine, write_json  # noqa: E402
from upload_cost import source_db  # noqa: E402

from pipelines import read_source, reports, snapshot  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="5M")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # Streamlit's "no script run context" outside a server
    path = source_db(args.size)
    if snapshot.file_token(snapshot.snapshot_path(path)) is None:
        snapshot.publish_file(path)
    os.environ["BSC_DB"] = str(path)
    import pandas as pd

    from dashboard import data, filters

    source = read_source.current(path)

    def read() -> object:
        with read_source.connect(source) as con:
            return reports.filter_options(con)

    pickled = pickle.dumps(read())

    def before() -> None:
        for _ in range(2):  # filters._problem and filters.sidebar each called data.read(reports.filter_options)
            options = pickle.loads(pickled)
        units = options.units
        position = pd.Index(units["code"])
        codes = list(units["code"])
        position.get_loc(codes[-1])
        units.loc[units["code"] == codes[-1]].iloc[0]  # Filters.unit

    def after() -> None:
        for _ in range(2):
            options = data.filter_options()
        label = filters._unit_option_label(options, "th")
        label(options.codes[-1])
        options.units.iloc[options.position[options.codes[-1]]]

    after()  # the one read per publish
    times: dict[str, list[float]] = {"read": [], "before": [], "after": []}
    for _ in range(args.rounds):
        for name, action in (("read", read), ("before", before), ("after", after)):
            began = time.perf_counter()
            action()
            times[name].append((time.perf_counter() - began) * 1000)
    result = {"size": args.size, "units": len(data.filter_options().codes), "machine": machine(),
              "load": round(load(), 2), "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              **{name: {"min_ms": round(min(values), 2), "median_ms": round(statistics.median(values), 2)}
                 for name, values in times.items()}}
    print(f"sidebar choices at {args.size} ({result['units']:,} units), min / median of {args.rounds}, "
          f"load {result['load']}:")
    for name, label in (("read", "read from the database (each page run's cache miss before)"),
                        ("before", "a page run before, cache hit (two copies, label index)"),
                        ("after", "a page run after (shared, read once per publish)")):
        print(f"  {label:<62} {result[name]['min_ms']:8.2f} / {result[name]['median_ms']:8.2f} ms")
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
