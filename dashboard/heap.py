"""The dashboard server's C heap (glibc malloc): fewer arenas, and freed memory handed back after every page run.

Streamlit runs each browser session's script in its own thread, and glibc gives threads their own malloc arenas
(up to 8 per core); memory freed in one (a page's frames, pickled cache entries, DuckDB results) stays mapped in
it for that thread's next use, and the process's RSS only grows. Measured at 5M (bench/concurrency.py --only rss,
docs/scaling.md "Fourth round"): ARENAS arenas and `malloc_trim` after every page run. Both are no-ops where the
C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

ARENAS = 2
"""malloc arenas for the whole process (glibc's M_ARENA_MAX; the environment's MALLOC_ARENA_MAX wins when set)."""
_M_ARENA_MAX = -8


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        return libc
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return None


_LIBC = _glibc()


def limit_arenas() -> bool:
    """At most ARENAS malloc arenas for the threads started from now on, unless MALLOC_ARENA_MAX says otherwise."""
    if _LIBC is None or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    return bool(_LIBC.mallopt(_M_ARENA_MAX, ARENAS))


def trim() -> None:
    """Hand the heap's free pages back to the system (after a page run: the run's frames are garbage by then)."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
