"""Views: what a loaded vault is shown as — the link graph, the mentions table, tables and
facts as DataFrames, lint findings, JSON for one note — each built from a
:class:`~vaultkit.vault.Vault`
on demand."""
