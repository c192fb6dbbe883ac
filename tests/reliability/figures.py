"""The suite's running figures, printed per module and as one summary line at the end.

``VAULTKIT_SOAK=1`` (``make soak``) scales every trial count and hypothesis budget.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings

SOAK = os.environ.get("VAULTKIT_SOAK", "") not in ("", "0")

#: The counters of the summary line, in print order.
KINDS = ("cases fuzzed", "kills survived", "faults injected", "bad files tried", "bytes lost")


def scale(normal: int, soak: int) -> int:
    """A trial count: ``normal`` in the everyday run, ``soak`` under ``make soak``."""
    return soak if SOAK else normal


def fuzz_settings(normal: int, soak: int) -> settings:
    """Hypothesis settings for a property: ``normal`` examples, ``soak`` under ``make soak``.

    No per-example deadline: the machine is small and shared, and a time limit would only
    make the suite flaky.
    """
    return settings(max_examples=scale(normal, soak), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@dataclass
class Figures:
    by_module: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(KINDS, 0)))

    def add(self, module: str, kind: str, count: int = 1) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown figure {kind!r}")
        self.by_module[module.rsplit(".", 1)[-1]][kind] += count

    def total(self, kind: str) -> int:
        return sum(counts[kind] for counts in self.by_module.values())

    def summary(self) -> str:
        return "reliability: " + ", ".join(f"{self.total(k)} {k}" for k in KINDS)


FIGURES = Figures()


def count(module: str, kind: str, n: int = 1) -> None:
    FIGURES.add(module, kind, n)


def lost_bytes(expected: bytes, actual: bytes) -> int:
    """How many bytes of ``expected`` are missing from ``actual``: 0 when they are equal.

    Measured as what is left of ``expected`` after its longest common prefix and suffix
    with ``actual`` — a cheap, never-zero-when-different estimate of the damage.
    """
    if expected == actual:
        return 0
    limit = min(len(expected), len(actual))
    prefix = 0
    while prefix < limit and expected[prefix] == actual[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and expected[-1 - suffix] == actual[-1 - suffix]:
        suffix += 1
    return max(1, len(expected) - prefix - suffix)


def record_preserved(module: str, expected: bytes, actual: bytes) -> int:
    """Add the bytes lost between ``expected`` and ``actual`` to the figures and return them."""
    lost = lost_bytes(expected, actual)
    FIGURES.add(module, "bytes lost", lost)
    return lost
