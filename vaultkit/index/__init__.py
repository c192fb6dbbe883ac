"""Index: every note of a vault, parsed once and kept in ``<vault>/.vaultkit/``.

``store`` is the SQLite file and its codec, ``parallel`` parses across processes, ``load``
reuses unchanged rows and parses the rest, ``link_rows`` keeps each note's links apart for
graph queries, ``resolve`` maps link text to files as Obsidian does.
"""
