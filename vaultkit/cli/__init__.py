"""The ``vaultkit`` command: a thin layer over the Python API, one module per command group.

Each command's module is imported when the command runs (:class:`vaultkit.cli.app.LazyGroup`):
``vaultkit backlinks X`` does not pay for the refresh or the thesis ledger.
"""

from __future__ import annotations

from vaultkit.cli.app import cli


def main() -> None:
    cli(prog_name="vaultkit")


__all__ = ["cli", "main"]
