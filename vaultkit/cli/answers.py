"""How ``vaultkit query`` and ``vaultkit base`` print an answer: one ``--format`` switch, and
one layout for a note's several code blocks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from vaultkit.cli.app import echo_json

Answer = TypeVar("Answer")


def echo_answer(fmt: str, *, data: Callable[[], Any], markdown: Callable[[], str],
                csv: Callable[[], str], table: Callable[[], None]) -> None:
    """Print one answer as ``fmt`` (json, md, csv, else the terminal table); only the
    chosen form is made."""
    if fmt == "json":
        echo_json(data())
    elif fmt == "md":
        click.echo(markdown())
    elif fmt == "csv":
        click.echo(csv(), nl=False)
    else:
        table()


def echo_blocks(labelled: Sequence[tuple[str, Answer]], fmt: str,
                echo: Callable[[Answer, str], None]) -> None:
    """Print a note's code blocks' answers in order; as md or a table each comes under its
    label (a blank line between), as csv one after the other."""
    for i, (label, answer) in enumerate(labelled):
        if fmt in ("md", "table"):
            click.echo(("\n" if i else "") + label)
        echo(answer, fmt)
