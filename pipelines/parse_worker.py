"""Run a parser on untrusted bytes in a child process with a memory and a time limit, so that no upload can end
or starve the server: a reader that asks for too much memory dies alone (its own SIGABRT or MemoryError), a reader
that runs too long is killed, and the caller gets `ParseFailed` to show as "unreadable file".

A worker is a fresh interpreter (`python -m pipelines.parse_worker`: never a fork of the server with its DuckDB
connections and threads, and never a re-run of the server's main module as multiprocessing's spawn and forkserver
do) that limits itself with RLIMIT_AS and RLIMIT_CPU before it reads anything. Workers are reused: a parse then
costs the pickling of its input and result (about a millisecond for a 500-row sheet), not a process start (about
0.2 s). A worker that failed, ran out of time or grew large is discarded and the next call starts a fresh one.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
"""Address space of one parse worker (RLIMIT_AS). The interpreter and the reader take about 60 MB of it; a workbook
at the readers' cell limit (readers.MAX_CELLS) about 400 MB more."""
TIME_LIMIT_SECONDS = 30.0
"""Wall-clock time one parse may take before its worker is killed."""
MAX_WORKERS = 2
"""Parses that run at once (the others wait their turn): the server has two cores, and at most this many times
MEMORY_LIMIT_BYTES is at stake."""
RETIRE_AFTER_RSS_BYTES = MEMORY_LIMIT_BYTES // 4
"""A worker whose peak RSS passed this is not reused: its heap may be too fragmented for the next file."""
_ROOT = Path(__file__).resolve().parents[1]


class ParseFailed(Exception):
    """The worker died (memory limit, a crash in the reader) or ran out of time."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind  # "memory" or "time"


class _Worker:
    def __init__(self) -> None:
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
               "RUST_BACKTRACE": "0"}  # a reader that dies says why in one line of the server log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.parse_worker", str(to_child_read), str(from_child_write)],
            pass_fds=(to_child_read, from_child_write), stdin=subprocess.DEVNULL, env=env, cwd=_ROOT,
            start_new_session=True,  # Ctrl+C in the server's terminal is for the server, which then closes the pipe
        )
        os.close(to_child_read)
        os.close(from_child_write)
        self.send = Connection(to_child_write, readable=False)
        self.receive = Connection(from_child_read, writable=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, function: Callable, args: tuple, timeout: float) -> tuple[str, Any, int]:
        try:
            self.send.send((function, args))
            if not self.receive.poll(timeout):
                self.stop()
                raise ParseFailed("time")
            return self.receive.recv()
        except (EOFError, OSError) as error:
            self.stop()
            raise ParseFailed("memory") from error

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        self.send.close()
        self.receive.close()


_idle: list[_Worker] = []
_largest_peak = 0
_lock = threading.Lock()
_slots = threading.BoundedSemaphore(MAX_WORKERS)


def run(function: Callable, *args: Any, timeout: float | None = None) -> Any:
    """function(*args) in a limited worker: its result, or the exception it raised, or ParseFailed.

    `function` must be a module-level function of an importable module (it is pickled by name), and its
    arguments, result and exceptions picklable.
    """
    global _largest_peak
    with _slots:
        with _lock:
            worker = _idle.pop() if _idle else None
        if worker is not None and not worker.alive():
            worker.stop()
            worker = None
        status, value, peak = (worker or (worker := _Worker())).call(function, args, timeout or TIME_LIMIT_SECONDS)
        _largest_peak = max(_largest_peak, peak)
        if status == "memory" or peak > RETIRE_AFTER_RSS_BYTES:
            worker.stop()
        else:
            with _lock:
                _idle.append(worker)
    if status == "memory":
        raise ParseFailed("memory")
    if status == "error":
        raise value
    return value


def largest_worker_peak() -> int:
    """The largest peak RSS (bytes) a worker of this process reported; a worker that died reports nothing (the
    kernel's RUSAGE_CHILDREN has it, after stop())."""
    return _largest_peak


def peak_rss() -> int:
    """This process's peak resident memory in bytes. VmHWM, because on Linux ru_maxrss carries the figure of the
    process that forked this one across exec."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker_pids() -> list[int]:
    """Process ids of the idle workers (tests check that a failed worker is replaced)."""
    with _lock:
        return [worker.process.pid for worker in _idle]


def shutdown() -> None:
    """Stop the idle workers (they also stop by themselves when this process ends: their pipe closes)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.stop()


def _forget_workers_after_fork() -> None:
    """A copy of this process made by fork must not share the parent's workers, lock or slots."""
    global _lock, _slots
    _idle.clear()
    _lock = threading.Lock()
    _slots = threading.BoundedSemaphore(MAX_WORKERS)


os.register_at_fork(after_in_child=_forget_workers_after_fork)


# --- the worker side ----------------------------------------------------------------------------------------


def _lower_limit(kind: int, value: int) -> None:
    """Set a resource limit to `value`, or keep a lower one the server already runs under."""
    _, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, value))


def _limit_self() -> None:
    _lower_limit(resource.RLIMIT_AS, MEMORY_LIMIT_BYTES)
    _lower_limit(resource.RLIMIT_CPU, int(TIME_LIMIT_SECONDS) * 4)  # over the worker's life; the wall clock rules
    _lower_limit(resource.RLIMIT_CORE, 0)


def serve(receive: Connection, send: Connection) -> None:
    """The worker's loop: (function, args) in; ("ok", result, peak RSS), ("error", exception, peak RSS) or
    ("memory", None, peak RSS) out; until the server closes the pipe."""
    _limit_self()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            function, args = receive.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple = ("ok", function(*args))
        except MemoryError:
            reply = ("memory", None)
        except Exception as error:  # the parser's own refusal (UnreadableFile) or its bug: the caller's to judge
            reply = ("error", error)
        peak = peak_rss()
        try:
            send.send((*reply, peak))
        except MemoryError:
            send.send(("memory", None, peak))
        except (pickle.PicklingError, TypeError, AttributeError) as error:  # an exception that does not pickle
            send.send(("error", RuntimeError(repr(error)), peak))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
