"""Bytes one run of each admin and upload page sends the browser, at the large databases (issue 12: pickers with
thousands of options are searchable, wide tables send only what is shown).

Each page runs once through dashboard/app.py under streamlit.testing.v1.AppTest, signed in as an admin; the figure
is the serialized size of every element the run drew (the delta messages' payload, without the websocket framing),
largest elements named. Run it from a checkout to measure that checkout's pages:
`python bench/picker_bytes.py --db bench/out/large_1M.duckdb` (the database gets an admin account and a snapshot).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines import auth, db, read_source, snapshot  # noqa: E402

PAGES = ["upload", "admin_users", "admin_strategy", "admin_periods", "admin_audit", "review"]
ADMIN, PASSWORD = "bench.admin", "bench-admin-2568"


def ensure_admin(path: Path) -> None:
    with db.open_db(path) as con:
        if auth.get_user(con, ADMIN) is None:
            problems = auth.add_user(con, username=ADMIN, role="admin", password=PASSWORD, by="bench", channel="cli")
            if problems:
                raise RuntimeError(str(problems[0]))
    if read_source.current(path).kind != "snapshot":
        snapshot.publish_file(path)


def sizes(node, found: list[tuple[int, str]]) -> None:
    proto = getattr(node, "proto", None)
    children = getattr(node, "children", None)
    if proto is not None and not children:
        found.append((proto.ByteSize(), f"{type(node).__name__} {getattr(node, 'key', None) or ''}".strip()))
    for child in (children or {}).values():
        sizes(child, found)


def page_bytes(path: Path, page: str) -> tuple[int, float, list[tuple[int, str]]]:
    from streamlit.testing.v1 import AppTest

    os.environ["BSC_DB"] = str(path)
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    with db.open_db(path) as con:
        app.session_state["auth_session_id"] = auth.start_session(con, ADMIN)
    app.run()
    app.switch_page(f"app_pages/{page}.py")
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].value}")
    found: list[tuple[int, str]] = []
    sizes(app._tree, found)
    return sum(size for size, _ in found), elapsed, sorted(found, reverse=True)[:3]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "large_1M.duckdb")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    args = parser.parse_args(argv)
    ensure_admin(args.db)
    print(f"{'page':<16} {'bytes per run':>14} {'AppTest s':>10}  largest elements")
    for page in args.pages:
        total, elapsed, largest = page_bytes(args.db, page)
        print(f"{page:<16} {total:>14,} {elapsed:>10.2f}  " + ", ".join(f"{name} {size:,}" for size, name in largest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
