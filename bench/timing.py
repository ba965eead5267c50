"""How every bench times two sides the same way (issue 19, "honest benchmarks").

Each side gets the same data and the same number of runs, after the same warm-up; the runs are
interleaved (A, B, A, B, ...) so that a change in the machine's load hits both sides alike. The
ratio printed is the median of the per-round ratios (robust to a noisy round); the best and the
median time of each side are printed beside it, with a line saying what each side computes.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    """Seconds per run of each side, in run order."""

    names: tuple[str, str]
    runs: tuple[list[float], list[float]]

    def best(self, side: int) -> float:
        return min(self.runs[side])

    def median(self, side: int) -> float:
        return statistics.median(self.runs[side])

    @property
    def ratio(self) -> float:
        """Median over the rounds of time(second side) / time(first side): above 1, the first side
        is faster."""
        return statistics.median(b / a for a, b in zip(*self.runs, strict=True))

    def describe(self, unit: str = "ms") -> str:
        scale = {"s": 1.0, "ms": 1e3}[unit]
        lines = [f"    {name}: best {self.best(i) * scale:.4g} {unit}, median "
                 f"{self.median(i) * scale:.4g} {unit} over {len(self.runs[i])} runs"
                 for i, name in enumerate(self.names)]
        lines.append(f"    ratio {self.names[1]} / {self.names[0]}: {self.ratio:.3g}x "
                     "(median of interleaved rounds)")
        return "\n".join(lines)


def once(fn: Callable[[], object]) -> float:
    """Seconds of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(first: tuple[str, Callable[[], object]], second: tuple[str, Callable[[], object]],
                repeat: int = 5, warmup: int = 1) -> Timing:
    """Time ``first`` and ``second`` alternately, ``repeat`` rounds after ``warmup`` untimed rounds."""
    for _ in range(warmup):
        first[1]()
        second[1]()
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        runs[0].append(once(first[1]))
        runs[1].append(once(second[1]))
    return Timing((first[0], second[0]), runs)
