"""The thesis ledger: every dated figure in the vault's tables checked against price data,
as it was when written (*then*) and as of the latest session (*now*).

``labels`` reads a row label or column header, ``entities`` finds tickers, ``rules`` maps a
figure to a computation or says why none, ``measure`` computes it, ``verdict`` judges it,
``ledger`` runs the whole vault, ``region`` keeps a note's thesis check current.
"""

from vaultkit.audit.ledger import AUDIT_COLUMNS, AuditRow, audit_vault
from vaultkit.audit.verdict import DEFAULT_THRESHOLD

__all__ = ["AUDIT_COLUMNS", "DEFAULT_THRESHOLD", "AuditRow", "audit_vault"]
