"""What both browser tests need: Debian's chromium (or a clear skip), and `streamlit run` on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("BSC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


MAKE_RUN_STREAMLIT = [str(Path(sys.executable).parent / "streamlit")]


def require_browser() -> None:
    """Skip where chromium is absent locally; with CI set, fail instead: CI must always run the browser tests."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: .ci/run must apt-get install chromium fonts-thai-tlwg")
    pytest.skip(f"browser test skipped: Debian's chromium is not at {CHROMIUM} "
                "(apt-get install chromium fonts-thai-tlwg to run it; CI always runs it)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_dashboard(db_path: Path, log_path: Path, start_seconds: float = 90, *,
                      as_make_run: bool = False) -> Iterator[str]:
    """The dashboard reading `db_path`, its output in `log_path`; yields the base URL once it answers. With
    `as_make_run`, started as `make run` starts it: the venv's `streamlit` script on dashboard/server.py, with no
    PYTHONPATH to lean on."""
    port = free_port()
    env = os.environ | {"BSC_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    if as_make_run:
        env.pop("PYTHONPATH")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            # `python -m` puts the working directory on sys.path; the `streamlit` script (as make run) does not
            [*(MAKE_RUN_STREAMLIT if as_make_run else [sys.executable, "-m", "streamlit"]), "run",
             str(ROOT / "dashboard" / ("server.py" if as_make_run else "app.py")),
             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_seconds
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text(errors="replace"))
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
