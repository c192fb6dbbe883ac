"""The ``vaultkit`` command: a thin layer over the Python API, one module per command group."""

from __future__ import annotations

from vaultkit.cli import (  # noqa: F401  (registers the commands)
    audit,
    base,
    db,
    graph,
    notes,
    query,
    refresh,
    status,
    tables,
    watch,
)
from vaultkit.cli.app import cli


def main() -> None:
    cli(prog_name="vaultkit")


__all__ = ["cli", "main"]
