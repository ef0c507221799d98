"""The one timing helper every bench script shares: product and baseline interleaved over rounds, min and median,
and the machine's load average beside them (other work on a shared machine inflates every figure)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROUNDS = 5


@dataclass(frozen=True)
class Figure:
    name: str
    times: tuple[float, ...]
    """Seconds, one per round."""

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def ms(self) -> str:
        return f"{self.best * 1000:.1f} ms min / {self.median * 1000:.1f} ms median"

    def as_dict(self) -> dict:
        return {"name": self.name, "min_ms": round(self.best * 1000, 2), "median_ms": round(self.median * 1000, 2),
                "rounds": len(self.times)}


def interleaved(actions: dict[str, Callable[[int], object]], rounds: int = ROUNDS) -> dict[str, Figure]:
    """Run every action once per round, in turn (round r calls action(r)), so product and baseline see the same load."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for run in range(rounds):
        for name, action in actions.items():
            started = time.perf_counter()
            action(run)
            times[name].append(time.perf_counter() - started)
    return {name: Figure(name, tuple(values)) for name, values in times.items()}


def load() -> float:
    return os.getloadavg()[0]


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} CPUs, Linux {platform.release()}, Python {platform.python_version()}"


def report(figures: dict[str, Figure], baseline: str | None = None) -> None:
    """Print each figure's min and median (and its ratio to the baseline's min), with the load average."""
    print(f"  load average {load():.2f}")
    for name, figure in figures.items():
        ratio = f"  ({figure.best / figures[baseline].best:.2f}x {baseline})" if baseline and name != baseline else ""
        print(f"  {name:<55} {figure.ms()}{ratio}")


def write_json(path: Path | None, result: object) -> None:
    """A script's figures as JSON at `path` (its folder made first); nothing when no path was asked for."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
