"""Browser time-to-render of every page (issue 12, target <= 1.0 s at 5M on a first visit): the time from the click
until the page's plotly charts are drawn and Streamlit's running indicator is gone (and stays gone for QUIET ms).

Each round starts its own `streamlit run dashboard/server.py` on a copy of the size's database (bench/live_server.py),
so a round's first visits are the first after the server started: nothing cached, no page module imported yet. In
chromium an executive signs in (landing on the overview: the overview's first visit is timed from the click on the
sign-in button) and clicks every page of `pipelines.roles.PAGES` it may open in the sidebar, in navigation order,
then every one again (the second visit); then an administrator signs in and does the same with the pages only an
administrator may open (upload, review, SQL, administration), whose shared data (the sidebar's org tree) the
executive's visits have already read.

The click and the wait run in the page (one `evaluate`): a page counts as drawn once its URL names the page, a
`script_finished` message of a run started after the click has arrived over the websocket, no element is stale or
still loading its code (`stSkeleton`: the first plotly chart of a session waits for plotly's script), the status
widget (`stStatusWidget`, "Running...") is absent, and every `stPlotlyChart` holds a drawn `.main-svg`, and all
that holds for QUIET ms. The split: `server_ms` is the click until the `script_finished` message arrived (the page's
run on the server, its messages streamed as it runs), `draw_ms` the rest (the browser applying the last messages and
plotly drawing), `kb` what the websocket carried in between.

    .venv/bin/python bench/browser_render.py --size 5M [--rounds 3] [--limit 1200] [--json OUT]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from live_server import (  # noqa: E402
    ADMIN,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXEC,
    OUT,
    PASSWORD,
    OutOfTime,
    clear_limit,
    dashboard,
    database_copy,
    hard_limit,
    memory_mb,
)
from timing import load, machine, write_json  # noqa: E402

from pipelines import roles  # noqa: E402

QUIET = 300
"""ms the page must stay drawn and idle before it counts as done (the time recorded is when that state began)."""
VISIT_LIMIT = 120_000
"""ms one visit may take before it is recorded as timed out."""
TARGET_S = 1.0

# Every websocket frame's arrival (page clock) and size, and the arrival of each script_finished ForwardMsg (field 6,
# a varint) of a run that drew its page: not one cut short by st.rerun (status 2, as the sign-in's run is) nor a
# fragment's (status 3). Read from the top level of the protobuf, without a decoder.
WATCH_SOCKET = """
(() => {
  const Native = window.WebSocket;
  const bench = window.__bench = {bytes: 0, finished: []};
  function varint(view, at) {
    let value = 0, shift = 0, byte;
    do { byte = view[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return [value, at];
  }
  function finishedStatus(buffer) {
    const view = new Uint8Array(buffer);
    let at = 0;
    while (at < view.length) {
      let tag, value;
      [tag, at] = varint(view, at);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [value, at] = varint(view, at); if (field === 6) return value; }
      else if (wire === 2) { [value, at] = varint(view, at); at += value; }
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return null;
    }
    return null;
  }
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const now = performance.now();
        if (!(event.data instanceof ArrayBuffer)) return;
        bench.bytes += event.data.byteLength;
        const status = finishedStatus(event.data);
        if (status !== null && status !== 2 && status !== 3) bench.finished.push({at: now, bytes: bench.bytes, status});
      });
    }
  };
})();
"""

# Click (the sidebar link to `path`, or the element `selector`) and wait until the page is drawn; times in ms.
CLICK_AND_WAIT = """
async ([selector, path, quiet, limit]) => {
  const bench = window.__bench;
  const target = path === null ? document.querySelector(selector)
    : [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
        .find(a => new URL(a.href).pathname.replace(/^\\/+/, '') === path);
  if (!target) return {error: 'no link or button ' + (path ?? selector)};
  const seen = bench.finished.length, bytes = bench.bytes;
  const started = performance.now();
  target.click();
  return await new Promise(resolve => {
    let since = null;
    const tick = () => {
      const now = performance.now();
      const finished = bench.finished.slice(seen).filter(f => f.at >= started);
      const running = [...document.querySelectorAll('[data-testid="stStatusWidget"]')]
        .some(e => !/exit/.test(e.className));
      const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
      const drawn = charts.filter(c => c.querySelector('.main-svg')).length;
      const stale = document.querySelectorAll('[data-stale="true"]').length;
      const loading = document.querySelectorAll('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]').length;
      const here = path === null || location.pathname.replace(/^\\/+/, '') === path;
      if (here && finished.length && !running && !stale && !loading && drawn === charts.length) {
        if (since === null) since = now;
        if (now - since >= quiet) {
          const last = finished[finished.length - 1];
          return resolve({ms: since - started, server_ms: last.at - started, draw_ms: since - last.at,
                          kb: (last.bytes - bytes) / 1024, charts: charts.length, runs: finished.length,
                          exceptions: document.querySelectorAll('[data-testid="stException"]').length});
        }
      } else since = null;
      if (now - started > limit) return resolve({error: 'timed out', ms: now - started, charts: charts.length,
                                                 drawn, running, stale, loading, finished: finished.length});
      setTimeout(tick, 10);
    };
    tick();
  });
}
"""


def sign_in(page, base: str, username: str) -> dict:
    """Open the site, fill the sign-in form and time the click on its button until the landing page is drawn."""
    page.goto(base + "/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    button = page.get_by_role("button", name="เข้าสู่ระบบ")
    button.wait_for()
    button.evaluate("b => b.setAttribute('data-bench', 'sign-in')")
    timed = page.evaluate(CLICK_AND_WAIT, ['[data-bench="sign-in"]', None, QUIET, VISIT_LIMIT])
    if not page.locator('[data-testid="stSidebarNav"]').count():
        raise RuntimeError(f"{username} could not sign in: {page.locator('[data-testid=stAlert]').all_inner_texts()}")
    return timed


def visit(page, key: str) -> dict:
    path = "" if roles.page(key).default else key
    return page.evaluate(CLICK_AND_WAIT, [None, path, QUIET, VISIT_LIMIT])


def one_user(browser, base: str, username: str, keys: list[str], landing: str | None) -> list[dict]:
    """One browser context signed in as `username`: the sign-in (counted as the first visit of `landing`), then every
    page of `keys` twice over."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    try:
        page = context.new_page()
        page.add_init_script(WATCH_SOCKET)
        rows = [{"page": landing or f"(sign-in {username})", "visit": 1, "from": "sign-in click", "user": username,
                 **sign_in(page, base, username)}]
        for visit_number in (1, 2):
            for key in keys:
                if visit_number == 1 and key == landing:
                    continue  # its first visit was the sign-in
                rows.append({"page": key, "visit": visit_number, "from": "sidebar click", "user": username,
                             **visit(page, key)})
                print(f"  {username:<12} {key:<15} visit {visit_number}: {describe(rows[-1])}", flush=True)
        return rows
    finally:
        context.close()


def describe(row: dict) -> str:
    if "error" in row:
        return f"{row['error']} ({row})"
    return (f"{row['ms'] / 1000:.2f} s (server {row['server_ms'] / 1000:.2f} s + drawing {row['draw_ms'] / 1000:.2f} s,"
            f" {row['kb']:.0f} KB, {row['charts']} charts{', EXCEPTION' if row['exceptions'] else ''})")


def one_round(work: Path, number: int) -> dict:
    from playwright.sync_api import sync_playwright

    executive = [row.key for row in roles.pages_for("executive")]
    admin_only = [row.key for row in roles.pages_for("admin") if row.key not in executive]
    landing = next(row.key for row in roles.PAGES if row.default)
    with dashboard(work, OUT / f"browser_render_server_{number}.log") as (base, server), \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            started = memory_mb(server.pid)
            rows = one_user(browser, base, EXEC, executive, landing)
            rows += one_user(browser, base, ADMIN, admin_only, None)
        finally:
            browser.close()
        return {"round": number, "load": round(load(), 2), "server_start": started, "server_end": memory_mb(server.pid),
                "visits": rows}


def summary(rounds: list[dict]) -> list[dict]:
    """Per page and visit: min and median over the rounds of the time, and of its split."""
    cells: dict[tuple[str, int], list[dict]] = {}
    for result in rounds:
        for row in result["visits"]:
            cells.setdefault((row["page"], row["visit"]), []).append(row)
    table = []
    for (page, number), rows in cells.items():
        done = [row for row in rows if "error" not in row]
        entry = {"page": page, "visit": number, "from": rows[0]["from"], "user": rows[0]["user"],
                 "rounds": len(rows), "errors": len(rows) - len(done),
                 "exceptions": sum(row.get("exceptions", 0) for row in done)}
        if done:
            best = min(done, key=lambda row: row["ms"])
            entry |= {"min_s": round(best["ms"] / 1000, 3),
                      "median_s": round(statistics.median(row["ms"] for row in done) / 1000, 3),
                      "server_s": round(best["server_ms"] / 1000, 3), "draw_s": round(best["draw_ms"] / 1000, 3),
                      "kb": round(best["kb"]), "charts": best["charts"]}
        table.append(entry)
    return table


def print_table(table: list[dict]) -> None:
    print(f"\n{'page':<16}{'visit':>6}{'min':>8}{'median':>8}{'server':>8}{'drawing':>9}{'KB':>7}{'charts':>7}")
    for row in table:
        if "min_s" not in row:
            print(f"{row['page']:<16}{row['visit']:>6}  every round failed")
            continue
        flag = "  over 1.0 s" if row["visit"] == 1 and row["min_s"] > TARGET_S else ""
        print(f"{row['page']:<16}{row['visit']:>6}{row['min_s']:>7.2f}s{row['median_s']:>7.2f}s{row['server_s']:>7.2f}s"
              f"{row['draw_s']:>8.2f}s{row['kb']:>7}{row['charts']:>7}{flag}"
              + (f"  ({row['errors']} timed out)" if row["errors"] else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="5M", help="demo, 100k, 1M, 5M (the database bench/make_large_db.py builds)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=float, default=1200, help="hard overall limit in seconds")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    hard_limit(args.limit)
    result: dict = {"size": args.size, "machine": machine(), "load_before": round(load(), 2),
                    "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "quiet_ms": QUIET,
                    "first_visit": "first visit after the server started (a fresh server each round)", "rounds": []}
    try:
        work = database_copy(args.size, "render")
        for number in range(1, args.rounds + 1):
            print(f"round {number} (load {load():.2f})", flush=True)
            result["rounds"].append(one_round(work, number))
    except OutOfTime as stopped:
        result["stopped"] = str(stopped)
        print(f"{stopped}: reporting the rounds done", flush=True)
    finally:
        clear_limit()
    result["load_after"] = round(load(), 2)
    result["pages"] = summary(result["rounds"])
    print_table(result["pages"])
    print(f"load average {result['load_before']} -> {result['load_after']}; {len(result['rounds'])} rounds")
    write_json(args.json, result)
    return 0 if result["rounds"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
