"""JSON text exactly as ``json.dumps(data, indent=2, ensure_ascii=False, default=str)``
writes it — the text every ``--format json`` prints — made faster for the shapes commands
print (lists of flat records). Below the CLI, so that a query can keep its answer in the
index as the very text a command prints (:mod:`vaultkit.index.kept`).

The standard library pretty-prints in pure Python (its C encoder serves only compact
output): 5 MB of ``unresolved`` took 0.3 s. Here a list of scalars — the long ``where``
lists, the rows of ``sql`` — is written by the C encoder, its separator carrying the
newline and indentation (an encoded string never holds a raw newline, so this is exact),
and a record's scalars are encoded one by one; anything else (a key that is not a
string, a value of another type) falls back to the standard library, re-indented.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_INDENT = "  "
_PLAIN = (str, int, float, bool, type(None))
_LISTS: dict[str, json.JSONEncoder] = {}


def dumps(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False, default=str)``, faster."""
    out: list[str] = []
    _write(data, "", out)
    return "".join(out)


def _write(value: Any, indent: str, out: list[str]) -> None:
    kind = type(value)
    if kind in _PLAIN:
        out.append(_scalar(value))
    elif kind is dict and all(type(key) is str for key in value):
        if not value:
            out.append("{}")
            return
        inner = indent + _INDENT
        lead = "{\n"
        for key, item in value.items():
            out.append(f"{lead}{inner}{encode_basestring(key)}: ")
            _write(item, inner, out)
            lead = ",\n"
        out.append(f"\n{indent}}}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = indent + _INDENT
        if all(type(item) in _PLAIN for item in value):
            encoder = _LISTS.get(inner)
            if encoder is None:
                encoder = _LISTS[inner] = json.JSONEncoder(
                    ensure_ascii=False, separators=(",\n" + inner, ": "))
            out.append(f"[\n{inner}{encoder.encode(value)[1:-1]}\n{indent}]")
            return
        lead = "[\n"
        for item in value:
            out.append(lead + inner)
            _write(item, inner, out)
            lead = ",\n"
        out.append(f"\n{indent}]")
    else:  # the standard library's own rules (default=str, odd keys), at this depth
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
        out.append(text.replace("\n", "\n" + indent))


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return str(encode_basestring(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
