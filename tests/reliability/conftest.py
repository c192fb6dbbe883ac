"""Prints each module's figures and the suite's one-line summary when the session ends."""

from __future__ import annotations

import pytest

from .figures import FIGURES, KINDS, SOAK


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES.by_module:
        return
    write = terminalreporter.write_line
    write("")
    write(f"reliability figures ({'soak' if SOAK else 'normal'} run):")
    for module, counts in sorted(FIGURES.by_module.items()):
        shown = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
        write(f"  {module}: {shown or 'nothing counted'}")
    write(FIGURES.summary())
