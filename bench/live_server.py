"""What the two live-server benchmarks share (bench/browser_render.py, bench/sessions.py): `streamlit run
dashboard/server.py` on a copy of a benchmark database, in its own process group so that nothing it started
outlives the benchmark, its resident memory, and a hard overall time limit.

The database copy is bench/concurrency.py's (`work_copy`: the size's database copied under bench/out/, migrated and
published) with this module's own executive and administrator accounts (`EXEC`, `ADMIN`, `PASSWORD`): the large
databases may already hold a `bench.exec` of bench/pages.py's with another password.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from concurrency import PASSWORD, work_copy  # noqa: E402
from pages import ensure_account  # noqa: E402
from upload_cost import ENV  # noqa: E402

OUT = ROOT / "bench" / "out"
CHROMIUM = Path(os.environ.get("BSC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


EXEC, ADMIN = "bench.live.exec", "bench.live.admin"


def database_copy(size: str, part: str, executives: tuple[str, ...] = ()) -> Path:
    """A fresh copy of the size's benchmark database for `part`, with EXEC, ADMIN and the `executives` named (all
    with PASSWORD)."""
    work = work_copy(size, {part})
    accounts = [(EXEC, "executive"), (ADMIN, "admin"), *((name, "executive") for name in executives)]
    for username, role in accounts:
        ensure_account(work, username, role, PASSWORD)
    return work


class OutOfTime(Exception):
    """The benchmark's overall time limit passed: every `finally` below stops what it started."""


def hard_limit(seconds: float) -> None:
    """Raise OutOfTime in the main thread once `seconds` have passed (SIGALRM), and on SIGTERM, so that a stopped or
    overrunning benchmark still closes chromium and stops its server in its `finally` blocks."""
    def stop(signum, frame):
        raise OutOfTime(f"stopped by {signal.Signals(signum).name} (limit {seconds:.0f} s)")

    signal.signal(signal.SIGALRM, stop)
    signal.signal(signal.SIGTERM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def clear_limit() -> None:
    """The hard limit off again, once the benchmark's work is done."""
    signal.setitimer(signal.ITIMER_REAL, 0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def memory_mb(pid: int) -> dict:
    """Resident memory now and its peak (VmRSS, VmHWM) of one process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) // 1024
    return {"rss_mb": fields["VmRSS"], "peak_mb": fields["VmHWM"]}


@contextmanager
def dashboard(work: Path, log: Path, start_seconds: float = 120) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL, process) of `streamlit run dashboard/server.py` reading `work`, as `make run` serves it; stopped
    (its whole process group) on leaving, whatever happened."""
    port = free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "server.py"), "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats",
             "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=ENV | {"BSC_DB": str(work), "PYTHONPATH": str(ROOT)}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_seconds
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the dashboard did not start: see {log}")
                time.sleep(0.3)
            yield base, server
        finally:
            stop_group(server)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process's group, SIGKILL after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # anything the server started and left behind
    except ProcessLookupError:
        pass
