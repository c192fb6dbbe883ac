"""The thesis ledger: every table figure of the vault, checked against the data then and now.

:func:`audit_vault` reads each fact (:mod:`vaultkit.views.facts`) through the mapping rules
(:mod:`vaultkit.audit.rules`), measures the claims it can (:mod:`vaultkit.audit.measure`)
and judges them (:mod:`vaultkit.audit.verdict`). Figures inside managed regions are left
out: vaultkit wrote them, the researcher did not.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultkit.audit.entities import Entities
from vaultkit.audit.labels import Reading, read_label
from vaultkit.audit.measure import Measured, Prices, measure
from vaultkit.audit.rules import Claim, Skip, metric_of, read_claim
from vaultkit.audit.verdict import DEFAULT_THRESHOLD, NOT_CHECKED, judge
from vaultkit.errors import MarkerError
from vaultkit.index.resolve import normalise
from vaultkit.model import Note, Table
from vaultkit.parse.values import CellValue, parse_cell, plain_text
from vaultkit.refresh.regions import find_regions
from vaultkit.syntax import obsidian_markdown
from vaultkit.vault import Vault
from vaultkit.views.facts import entity_names, note_facts

if TYPE_CHECKING:
    from vaultkit.data import PriceProvider

#: The documented row shape (DESIGN.md), then the fields added after it.
AUDIT_COLUMNS = ("path", "line", "text", "entity", "ticker", "metric", "window", "date",
                 "stated", "unit", "then", "now", "verdict", "reason")
EXTRA_COLUMNS = ("code", "then_session", "now_session")


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One figure of the ledger. ``code`` is the reason code of a figure not checked
    (:data:`vaultkit.audit.rules.CODES`); ``heading`` (the claim's section), ``label`` (its
    row and column) and ``raw`` (the cell as written) are for rendering, not the contract."""

    path: str
    line: int
    text: str
    entity: str | None
    ticker: str | None
    metric: str | None
    window: str | None
    date: str | None
    stated: float | str | None
    unit: str | None
    then: float | None
    now: float | None
    verdict: str
    reason: str
    code: str | None
    then_session: str | None
    now_session: str | None
    heading: tuple[str, ...]
    label: str
    raw: str

    @property
    def checked(self) -> bool:
        return self.verdict != NOT_CHECKED

    def record(self) -> dict[str, Any]:
        """The row as the JSON contract has it (``docs/audit.md``)."""
        return {name: getattr(self, name) for name in (*AUDIT_COLUMNS, *EXTRA_COLUMNS)}


def audit_vault(vault: Vault, provider: PriceProvider, latest: dt.date, *,
                note: str | None = None, entity: str | None = None,
                since: dt.date | None = None, threshold: float = DEFAULT_THRESHOLD,
                ) -> list[AuditRow]:
    """Audit every table figure of ``vault`` (or of ``note``, or about ``entity``) against
    the ``provider``'s closes up to ``latest``; figures dated before ``since`` (and undated
    ones, when ``since`` is given) are left out. Rows are in path, line, column order.

    Raises :class:`~vaultkit.errors.NoteNotFound` for an unknown ``note``.
    """
    paths = [vault.note(note).path] if note is not None else sorted(vault.notes)
    names = entity_names(vault, entity) if entity is not None else None
    auditor = _Auditor(vault, Entities(vault, provider), Prices(provider, latest), threshold)
    rows: list[AuditRow] = []
    for path in paths:
        for row in auditor.note_rows(vault.notes[path], names):
            if since is None or (row.date is not None and row.date >= since.isoformat()):
                rows.append(row)
    return rows


def region_spans(root: Path, path: str) -> dict[str, tuple[int, int]]:
    """Managed regions of the note at ``path``: id → 1-based lines of its begin and end
    markers. Broken markers give none: refresh reports them, and the figures are audited."""
    try:
        text = (root / path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    if "vaultkit:begin" not in text:
        return {}
    try:
        regions = find_regions(text, path)
    except MarkerError:
        return {}
    return {r.spec.id: (r.begin + 1, r.end + 1) for r in regions}


class _Auditor:
    def __init__(self, vault: Vault, entities: Entities, prices: Prices, threshold: float
                 ) -> None:
        self.vault, self.entities, self.prices = vault, entities, prices
        self.threshold = threshold
        self.read = functools.lru_cache(maxsize=65536)(self._read)

    def note_rows(self, note: Note, names: set[str] | None) -> list[AuditRow]:
        if not note.tables:
            return []
        facts = note_facts(self.vault, note)
        if names is not None:
            facts = [f for f in facts if any(normalise(n) in names
                                             for n in (f["row"], *f["entities"], *f["subjects"]))]
        if not facts:
            return []
        generated = {line for begin, end in region_spans(self.vault.root, note.path).values()
                     for line in range(begin, end + 1)}
        tables = {t.line: t for t in note.tables}
        headers: dict[int, list[str]] = {}
        rows = []
        for fact in facts:
            if fact["line"] in generated:
                continue
            table = tables[fact["table_line"]]
            if table.line not in headers:
                headers[table.line] = [plain_text(h) for h in table.columns]
            rows.append(self._row(note, table, headers[table.line], fact))
        return rows

    def _row(self, note: Note, table: Table, headers: list[str], fact: dict[str, Any]
             ) -> AuditRow:
        # facts already typed the cell; only a figure needs its full reading (its noun).
        cell = parse_cell(fact["raw"]) if fact["value"] is not None else CellValue(fact["raw"])
        readings = (Reading(), Reading())  # labels are read only for a figure rules can use
        if metric_of(cell):
            label, header = _label_cells(table, headers, fact)
            readings = (self.read(label), self.read(header))
        subjects = [*(self.entities.link(n) for n in fact["subjects"][1:]), note.path]
        found = read_claim(fact, cell, readings, subjects, self.entities)
        measured = measure(found, self.prices) if isinstance(found, Claim) else found
        label = " · ".join(p for p in (fact["row"], fact["column"]) if p)
        base = {"path": note.path, "line": fact["line"], "text": f"{label}: {fact['raw']}",
                "stated": fact["value"], "unit": fact["unit"], "heading": table.section,
                "label": label, "raw": fact["raw"]}
        if isinstance(measured, Skip):
            claim = found if isinstance(found, Claim) else None
            return AuditRow(
                **base, entity=claim.entity if claim else measured.entity,
                ticker=",".join(claim.tickers) if claim else measured.ticker,
                metric=claim.metric if claim else measured.metric,
                window=_window(claim) if claim else measured.window,
                date=_date(claim, fact), then=None, now=None, verdict=NOT_CHECKED,
                reason=measured.reason, code=measured.code, then_session=None,
                now_session=None)
        assert isinstance(found, Claim) and isinstance(measured, Measured)
        verdict, reason = judge(cell, measured, found.metric, self.threshold)
        digits = 0 if found.metric == "streak" else 2
        return AuditRow(
            **base, entity=found.entity, ticker=",".join(found.tickers), metric=found.metric,
            window=_window(found), date=_date(found, fact),
            then=round(measured.then, digits), now=round(measured.now, digits),
            verdict=verdict, reason=reason, code=None,
            then_session=measured.then_session.isoformat(),
            now_session=measured.now_session.isoformat())

    def _read(self, raw: str) -> Reading:
        links = [(shown, self.entities.link(target)) for shown, target in _links(raw)]
        return read_label(plain_text(raw), links, self.entities.lookup)


def _label_cells(table: Table, headers: list[str], fact: dict[str, Any]) -> tuple[str, str]:
    """The markdown of the fact's row label and column header cells (``headers`` as plain
    text, as facts name columns)."""
    row = table.rows[table.row_lines.index(fact["line"])]
    position = headers.index(fact["column"])
    label = row[0] if len(headers) > 1 and position > 0 and row else ""
    return label, table.columns[position]


@functools.lru_cache(maxsize=65536)
def _links(raw: str) -> tuple[tuple[str, str], ...]:
    """``(shown text, target)`` of each wikilink in a cell's markdown."""
    if "[[" not in raw:
        return ()
    tokens = obsidian_markdown().parseInline(raw)
    found = []
    for child in (tokens[0].children or []) if tokens else []:
        if child.type == "wikilink" and child.meta.get("target"):
            shown = child.meta.get("display") or child.meta["target"]
            found.append((str(shown), str(child.meta["target"])))
    return tuple(found)


def _window(claim: Claim | None) -> str | None:
    return claim.window.label if claim and claim.window else None


def _date(claim: Claim | None, fact: dict[str, Any]) -> str | None:
    if claim is not None and claim.date is not None:
        return claim.date.isoformat()
    value = fact["date"]
    return str(value) if value else None
