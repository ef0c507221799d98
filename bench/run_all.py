"""`make bench`: the upload-cost figures (bench/upload_cost.py) and each page's figures (bench/pages.py:
queries against raw SQL, AppTest against a bare page) at each size, as tables in bench/results/bench.md and
bench/results/bench.json, with the date, the machine and the load average.

    .venv/bin/python bench/run_all.py demo 1M          # make bench
    .venv/bin/python bench/run_all.py demo 1M 5M       # make bench-large (builds the 5M database once, ~35 s)

With 5M among the sizes, the table also gets the live-server figures at 5M: each page's browser time-to-render
(bench/browser_render.py, 3 rounds) and signed-in page runs per second with 10, 25 and 50 websocket sessions
(bench/sessions.py), each bounded by its own hard time limit.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import upload_cost  # noqa: E402
from timing import load, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def main(sizes: list[str]) -> int:
    sizes = sizes or ["demo", "1M"]
    started = dt.datetime.now(dt.UTC)
    by_size: dict[str, dict] = {}
    pages: dict[str, list[dict]] = {}
    loads = [load()]
    for size in sizes:
        out = RESULTS / f"upload_cost_{size}.json"
        upload_cost.main(["--size", size, "--json", str(out)])
        by_size[size] = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        loads.append(load())
        out = RESULTS / f"dashboard_{size}.json"
        which = ["--only", "demo"] if size == "demo" else ["--only", "large", "--rows", size]
        subprocess.run([sys.executable, str(ROOT / "bench" / "pages.py"), *which, "--json", str(out)], check=True)
        pages[size] = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        loads.append(load())
    names = list(dict.fromkeys(f["name"] for result in by_size.values() for f in result["figures"]))
    cell = {(size, f["name"]): f for size, result in by_size.items() for f in result["figures"]}
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {machine()}; load average {min(loads):.1f}–{max(loads):.1f} "
        "(the machine is shared: treat the figures as upper bounds). Each cell: min / median of "
        f"{by_size[sizes[0]]['figures'][0]['rounds']} interleaved rounds.",
        "",
        "| figure | " + " | ".join(sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for name in names:
        cells = []
        for size in sizes:
            figure = cell.get((size, name))
            cells.append(f"{figure['min_ms']:,.0f} / {figure['median_ms']:,.0f} ms" if figure else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Each page, for the agency and one division, on a cache miss: its data queries (best of 3) against "
              "the same aggregates in raw SQL over the base tables (ratio), and the AppTest run against a page "
              "drawing as many plotly charts with no query.", "",
              "| page | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    keys = list(dict.fromkeys((row["page"], index % 2) for rows in pages.values() for index, row in enumerate(rows)))
    for page, which in keys:
        cells = []
        for size in sizes:
            row = next((r for i, r in enumerate(pages[size]) if r["page"] == page and i % 2 == which), None)
            cells.append(f"{row['unit']}: queries {row['best_ms']:,.0f} ms (raw {row['raw_ms']:,.0f} ms, "
                         f"{row['ratio_raw']:.1f}×) · AppTest {row['miss_s']:.2f} s (bare {row['bare_s']:.2f} s)"
                         if row else "")
        lines.append(f"| {page} ({'agency' if which == 0 else 'division'}) | " + " | ".join(cells) + " |")
    live = live_figures("5M") if "5M" in sizes else {}
    lines += live.pop("lines", [])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "bench.json").write_text(json.dumps({"measured_at": started.isoformat(timespec="seconds"),
                                                    "machine": machine(), "sizes": by_size,
                                                    "pages": pages, **live}, indent=2),
                                        encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten {RESULTS / 'bench.md'} and {RESULTS / 'bench.json'}")
    return 0


LIVE = (("browser_render", ("--rounds", "3"), 1500), ("sessions", (), 1200))
"""The live-server scripts of the large run: their arguments and hard time limits (seconds)."""


def live_figures(size: str, scripts: tuple = LIVE) -> dict:
    """bench/browser_render.py and bench/sessions.py at `size`, their JSON and their tables as markdown lines (a
    script that failed or ran out of time leaves its table out and says so)."""
    figures: dict = {"lines": []}
    for script, args, limit in scripts:
        out = RESULTS / f"{script}_{size}.json"
        done = subprocess.run([sys.executable, str(ROOT / "bench" / f"{script}.py"), "--size", size, *args,
                               "--limit", str(limit), "--json", str(out)])
        if done.returncode != 0 or not out.exists():
            figures["lines"] += ["", f"bench/{script}.py at {size} failed (exit {done.returncode}): no figures."]
            continue
        figures[script] = json.loads(out.read_text(encoding="utf-8"))
    render = figures.get("browser_render")
    if render:
        figures["lines"] += [
            "", f"Browser time-to-render at {size} ({len(render['rounds'])} rounds, a fresh server each round, load "
            f"{render['load_before']}–{render['load_after']}): click to charts drawn and running indicator gone, "
            "min / median; the split of the best round: until the run's script_finished message arrived / drawing "
            "after it.", "", "| page | first visit | split | second visit |", "|---|---|---|---|"]
        cells = {(row["page"], row["visit"]): row for row in render["pages"]}
        for (page, visit), row in cells.items():
            if visit != 1:
                continue
            second = cells.get((page, 2))
            first = (f"{row['min_s']:.2f} / {row['median_s']:.2f} s ({row['from']})" if "min_s" in row
                     else "timed out")
            split = f"{row['server_s']:.2f} + {row['draw_s']:.2f} s, {row['kb']} KB" if "min_s" in row else ""
            again = f"{second['min_s']:.2f} / {second['median_s']:.2f} s" if second and "min_s" in second else ""
            figures["lines"].append(f"| {page} | {first} | {split} | {again} |")
    sessions = figures.get("sessions")
    if sessions:
        figures["lines"] += [
            "", f"Signed-in page runs against one dashboard process at {size} (websocket sessions, each clicking "
            f"through the executive's pages; load {sessions['load_before']}–{sessions['load_after']}):", "",
            "| sessions | signed in | runs/s | median run | p95 run | errors | server RSS (highest) | server CPU |",
            "|---|---|---|---|---|---|---|---|"]
        for row in sessions["levels"]:
            figures["lines"].append(
                f"| {row['sessions']} | {row['signed_in']} | {row['runs_per_second']} | {row['median_run_s']} s | "
                f"{row['p95_run_s']} s | {row['errors']} | {row['server_rss_mb']['highest']} MB | "
                f"{row['server_cpu_percent']} % |")
    return figures


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
