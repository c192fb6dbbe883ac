"""Dataview's query language (DQL), headless: parse with lark, evaluate over a vault's pages.

>>> from vaultkit.dataview import run_query       # doctest: +SKIP
>>> run_query('LIST FROM #entity', pages).rows    # doctest: +SKIP
"""

from vaultkit.dataview.engine import QueryError, Result, run_query
from vaultkit.dataview.parser import DQLSyntaxError, parse_query

__all__ = ["DQLSyntaxError", "QueryError", "Result", "parse_query", "run_query"]
